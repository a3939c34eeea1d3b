/**
 * The part of Electron's API the shell uses, as structural types. The `electron` package is an optional
 * dependency whose binary download fails on some machines, so the sources never import its types: they
 * `require("electron")` at run time and cast to these. Each name and signature follows Electron 45's API.
 */

export type Rectangle = {x: number; y: number; width: number; height: number};

export type Event = {preventDefault(): void};

export interface WebContents {
    readonly id: number;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
    getURL(): string;
    on(event: "will-navigate" | "will-redirect", listener: (event: Event, url: string) => void): this;
    on(event: "will-attach-webview", listener: (event: Event) => void): this;
    on(event: "destroyed" | "did-finish-load", listener: () => void): this;
    setWindowOpenHandler(handler: (details: {url: string}) => {action: "deny"} | {action: "allow"}): void;
    readonly session: Session;
}

export interface Session {
    setPermissionRequestHandler(handler: ((webContents: WebContents, permission: string, callback: (granted: boolean) => void) => void) | null): void;
    setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: string) => boolean) | null): void;
}

export interface BrowserWindow {
    readonly webContents: WebContents;
    loadFile(filePath: string): Promise<void>;
    show(): void;
    focus(): void;
    restore(): void;
    maximize(): void;
    isMinimized(): boolean;
    isMaximized(): boolean;
    isDestroyed(): boolean;
    getNormalBounds(): Rectangle;
    on(event: "ready-to-show" | "closed", listener: () => void): this;
    on(event: "close", listener: (event: Event) => void): this;
}

export type BrowserWindowOptions = {
    x?: number;
    y?: number;
    width: number;
    height: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    backgroundColor?: string;
    webPreferences: {
        preload: string;
        contextIsolation: true;
        sandbox: true;
        nodeIntegration: false;
        nodeIntegrationInSubFrames: false;
        webviewTag: false;
        webSecurity: true;
        allowRunningInsecureContent: false;
        spellcheck?: boolean;
    };
};

export interface IpcMainEvent {
    readonly sender: WebContents;
    readonly senderFrame: {readonly url: string; readonly parent: unknown} | null;
}

export interface IpcMain {
    on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): this;
    removeListener(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): this;
}

export interface UtilityProcess {
    readonly pid: number | undefined;
    readonly stderr: {setEncoding(encoding: "utf8"): void; on(event: "data", listener: (text: string) => void): void} | null;
    postMessage(message: unknown): void;
    kill(): boolean;
    on(event: "message", listener: (message: unknown) => void): this;
    on(event: "exit", listener: (code: number) => void): this;
}

export type ElectronMain = {
    app: {
        readonly isPackaged: boolean;
        requestSingleInstanceLock(): boolean;
        quit(): void;
        exit(code?: number): void;
        whenReady(): Promise<void>;
        getPath(name: "userData"): string;
        getAppPath(): string;
        getVersion(): string;
        on(event: "second-instance" | "window-all-closed" | "activate", listener: () => void): unknown;
        on(event: "before-quit", listener: (event: Event) => void): unknown;
        on(event: "web-contents-created", listener: (event: Event, contents: WebContents) => void): unknown;
    };
    BrowserWindow: {
        new (options: BrowserWindowOptions): BrowserWindow;
        getAllWindows(): BrowserWindow[];
    };
    ipcMain: IpcMain;
    shell: {openExternal(url: string): Promise<void>};
    screen: {getAllDisplays(): {workArea: Rectangle}[]};
    utilityProcess: {
        fork(
            modulePath: string,
            args: string[],
            options: {stdio: "pipe" | ["ignore", "ignore", "pipe"]; serviceName: string; env?: NodeJS.ProcessEnv}
        ): UtilityProcess;
    };
};

export type ElectronPreload = {
    contextBridge: {exposeInMainWorld(key: string, api: unknown): void};
    ipcRenderer: {
        send(channel: string, ...args: unknown[]): void;
        on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
        removeAllListeners(channel: string): unknown;
    };
};

/** The one IPC channel birpc frames travel on between the preload and the main process. */
export const RPC_CHANNEL = "tandem:rpc";
