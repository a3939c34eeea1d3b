/**
 * The Electron main process (built to dist/electron/main.mjs by scripts/start.mjs): one instance, one
 * window with its size and place remembered, locked down (context isolation, sandbox, no Node in the page,
 * navigation, window.open and permissions refused), the service in this process with its database in
 * userData, llama.cpp in a utilityProcess, and the API served to the window's preload over IPC with birpc.
 */
import {createRequire} from "node:module";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {createService, type TandemService} from "../service/index.ts";
import {startLocalServerSwitch} from "../server/index.ts";
import {serveApi} from "../transports/serveApi.ts";
import type {BrowserWindow, ElectronMain} from "./electronApi.ts";
import {ipcChannel} from "./ipcChannel.ts";
import {denyAllPermissions, lockDownWebContents} from "./security.ts";
import {utilityEngineLauncher} from "./utilityEngineLauncher.ts";
import {fitToDisplays, MIN_SIZE, readWindowState, writeWindowState} from "./windowState.ts";

const electron = createRequire(import.meta.url)("electron") as ElectronMain;
const {app, BrowserWindow, ipcMain, screen} = electron;

/** dist/electron, where this file, preload.cjs and engine.mjs are built. */
const buildDir = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.resolve(buildDir, "..", "..");
/** Files that llama.cpp must read from disk live outside the asar archive once packaged. */
const unpacked = (file: string) => file.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);

const rendererPage = path.join(appRoot, "dist", "renderer", "index.html");
const demoModelsDir = unpacked(path.join(appRoot, "resources", "models"));

let service: TandemService | null = null;
let mainWindow: BrowserWindow | null = null;

function log(line: string): void {
    process.stderr.write(`tandem: ${line}\n`);
}

function createWindow(activeService: TandemService): BrowserWindow {
    const userData = app.getPath("userData");
    const {bounds, maximized} = fitToDisplays(
        readWindowState(userData),
        screen.getAllDisplays().map((d) => d.workArea)
    );
    const window = new BrowserWindow({
        ...bounds,
        minWidth: MIN_SIZE.width,
        minHeight: MIN_SIZE.height,
        show: false,
        title: "Tandem",
        webPreferences: {
            preload: path.join(buildDir, "preload.cjs"),
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            nodeIntegrationInSubFrames: false,
            webviewTag: false,
            webSecurity: true,
            allowRunningInsecureContent: false
        }
    });
    denyAllPermissions(window.webContents);
    if (maximized) window.maximize();
    window.on("ready-to-show", () => window.show());
    window.on("close", () => {
        try {
            writeWindowState(userData, {bounds: window.getNormalBounds(), maximized: window.isMaximized()});
        } catch (error) {
            log(`could not save the window's size: ${error instanceof Error ? error.message : String(error)}`);
        }
    });
    window.on("closed", () => {
        if (mainWindow === window) mainWindow = null;
    });
    serveApi(activeService, ipcChannel(ipcMain, window.webContents), {log});
    void window.loadFile(rendererPage);
    return window;
}

async function start(): Promise<void> {
    if (!app.requestSingleInstanceLock()) {
        app.quit();
        return;
    }
    app.on("second-instance", () => {
        if (mainWindow == null) return;
        if (mainWindow.isMinimized()) mainWindow.restore();
        mainWindow.focus();
    });
    // Every web contents, including any the app never meant to create, gets the same lock-down.
    app.on("web-contents-created", (_event, contents) => lockDownWebContents(electron, contents));
    app.on("window-all-closed", () => app.quit());

    let closing = false;
    app.on("before-quit", (event) => {
        if (closing || service == null) return;
        // Stop the engine process and close the database before leaving.
        event.preventDefault();
        closing = true;
        const closingService = service;
        service = null;
        closingService
            .close()
            .catch((error: unknown) => log(`closing: ${error instanceof Error ? error.message : String(error)}`))
            .finally(() => app.quit());
    });

    await app.whenReady();
    const dataDir =
        process.env.TANDEM_DATA_DIR != null && process.env.TANDEM_DATA_DIR !== ""
            ? path.resolve(process.env.TANDEM_DATA_DIR)
            : app.getPath("userData");
    const modelsDir = process.env.TANDEM_MODELS_DIR;
    service = await createService({
        dataDir,
        modelsDirs: modelsDir != null && modelsDir !== "" ? [path.resolve(modelsDir)] : [],
        demoModelsDir,
        engineLauncher: utilityEngineLauncher(electron, path.join(buildDir, "engine.mjs")),
        // The engine starts and loads the last pair now, so the first answer does not wait for it.
        warmStart: true
    });
    // The local server (OpenAI-compatible API) follows the settings; a port in use shows in the status, the app runs on.
    await startLocalServerSwitch(service, log);
    const activeService = service;
    mainWindow = createWindow(activeService);
    app.on("activate", () => {
        if (mainWindow == null && service != null) mainWindow = createWindow(service);
    });
}

start().catch((error: unknown) => {
    log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
});
