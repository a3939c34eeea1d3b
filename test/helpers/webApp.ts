/**
 * The web app as a user runs it, for end-to-end tests and the UI benchmark: `scripts/serve.mjs` (what
 * `npm run serve` starts after building the UI) as a child process on a free port with its own data folder,
 * the built UI (built here first when dist/renderer is missing), Debian's Chromium through playwright-core,
 * and an API client holding the launch's token (to read back what the store holds).
 */
import assert from "node:assert/strict";
import {spawn, spawnSync, type ChildProcess} from "node:child_process";
import {existsSync, mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {chromium, type Browser, type Locator, type Page} from "playwright-core";
import WebSocket from "ws";
import {createApiClient, webSocketChannel, type ApiClient, type SocketLike} from "../../src-shared/index.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const serveScript = path.join(repoRoot, "scripts", "serve.mjs");
const builtIndex = path.join(repoRoot, "dist", "renderer", "index.html");
/** The demo pair committed with the app (resources/models), as the pair picker names them. */
export const demoExpertFile = "stories260K.gguf";
export const demoAmateurFile = "stories260K-L4-earlyexit.gguf";

/** Builds the UI with vite when dist/renderer holds no build (`npm run serve` always builds first). */
export function ensureUiBuilt(): void {
    if (existsSync(builtIndex)) return;
    const build = spawnSync(process.execPath, [path.join(repoRoot, "node_modules", "vite", "bin", "vite.js"), "build"], {
        cwd: repoRoot,
        encoding: "utf8"
    });
    assert.equal(build.status, 0, `vite build failed: ${build.stderr}`);
}

export type ServeProcess = {
    /** The printed address, token included (`http://127.0.0.1:PORT/#token=…`). */
    readonly address: URL;
    readonly token: string;
    readonly dataDir: string;
    readonly child: ChildProcess;
    /** Everything the server wrote on stderr so far. */
    log(): string;
    /** SIGTERM, then waits for the exit; resolves with the exit code. */
    stop(): Promise<number | null>;
    /** SIGKILL (a crash: nothing gets to clean up), then waits for the exit. */
    kill(): Promise<void>;
};

export type ServeOptions = {
    /** The data folder (tandem.sqlite); default: a fresh temporary folder. */
    readonly dataDir?: string;
    /** TANDEM_MODELS_DIR; default none (the demo pair only). */
    readonly modelsDir?: string;
    readonly token?: string;
    /** TANDEM_PORT; default 0 (a free port). A restart on the same port and token lets an open page reload. */
    readonly port?: number;
    /** More environment for the server (HOME of an empty folder so no other app's model cache is found, HF_ENDPOINT…). */
    readonly env?: Readonly<Record<string, string>>;
};

/** Starts scripts/serve.mjs on a free port and resolves once it printed its address. */
export async function startServe(options: ServeOptions = {}): Promise<ServeProcess> {
    const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "tandem-e2e-"));
    const token = options.token ?? `e2e-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
    const child = spawn(process.execPath, [serveScript], {
        cwd: repoRoot,
        env: {
            ...process.env,
            TANDEM_PORT: String(options.port ?? 0),
            TANDEM_TOKEN: token,
            TANDEM_DATA_DIR: dataDir,
            TANDEM_MODELS_DIR: options.modelsDir ?? "",
            ...options.env
        },
        stdio: ["ignore", "pipe", "pipe"]
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes("\n")) resolve(out.split("\n")[0]!);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code} before printing its address: ${stderr}`)));
    });
    const match = /^Tandem is running at (http:\/\/127\.0\.0\.1:\d+\/#token=.+)$/.exec(line);
    assert.ok(match, `serve printed an unexpected first line: ${line}`);
    return {
        address: new URL(match[1]!),
        token,
        dataDir,
        child,
        log: () => stderr,
        async stop() {
            if (child.exitCode != null || child.signalCode != null) return child.exitCode;
            child.kill("SIGTERM");
            return exited;
        },
        async kill() {
            if (child.exitCode != null || child.signalCode != null) return;
            child.kill("SIGKILL");
            await exited;
        }
    };
}

/** Debian's Chromium, headless, as the project runs it everywhere. */
export function launchChromium(): Promise<Browser> {
    return chromium.launch({executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]});
}

/** A typed API client over the server's WebSocket, holding the launch's token (reads what the store holds). */
export async function connectApi(serve: ServeProcess): Promise<ApiClient> {
    const socket = new WebSocket(`ws://${serve.address.host}/api?token=${serve.token}`, {origin: serve.address.origin});
    await new Promise((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
    });
    return createApiClient(webSocketChannel(socket as unknown as SocketLike));
}

/** Every answer on the page, oldest first. */
export function answersOn(page: Page): Locator {
    return page.locator("[data-testid=message][data-role=assistant]");
}

/**
 * Opens the model library, picks the demo pair in its selects (by file name), loads it and waits until the status
 * line says it is ready and the expert-alone baseline (the speedup's denominator) has been measured; then goes
 * back to the chat.
 */
export async function loadDemoPairInUi(page: Page, timeoutMs = 120_000): Promise<void> {
    await page.getByTestId("open-library").click();
    for (const [testId, file] of [
        ["expert-select", demoExpertFile],
        ["amateur-select", demoAmateurFile]
    ] as const) {
        const select = page.getByTestId(testId);
        const option = select.locator("option", {hasText: new RegExp(`^${file.replace(/\./g, "\\.")}`)}).first();
        await option.waitFor({state: "attached", timeout: 30_000});
        await select.selectOption((await option.getAttribute("value"))!);
    }
    await page.getByTestId("pair-verdict").filter({hasText: "work as a pair"}).waitFor({timeout: 30_000});
    // The app warms up with the pair used last (none on a fresh start): once any such load is over, the button
    // says "Loaded" when it is this pair, else "Load pair".
    const load = page.getByRole("button", {name: /^(Load pair|Loaded)$/});
    await page.waitForFunction(
        () =>
            Array.from(document.querySelectorAll("button")).some(
                (b) => (b.textContent?.trim() === "Load pair" && !b.disabled) || b.textContent?.trim() === "Loaded"
            ),
        undefined,
        {timeout: timeoutMs}
    );
    if ((await load.innerText()).trim() === "Load pair") await load.click();
    const status = page.getByRole("status").filter({hasText: demoAmateurFile});
    await status.filter({hasText: "expert alone:"}).waitFor({timeout: timeoutMs});
    await page.getByTestId("close-library").click();
}

/** Sets global settings through the settings drawer (label → text typed into the field), then closes it. */
export async function setSettingsInUi(page: Page, values: Readonly<Record<string, string>>): Promise<void> {
    await page.getByRole("button", {name: "Open settings"}).click();
    await page.getByRole("tab", {name: "All chats"}).click();
    for (const [label, value] of Object.entries(values)) {
        const field = page.getByRole("dialog").getByLabel(label, {exact: true});
        await field.fill(value);
        await field.press("Tab");
    }
    await page.getByRole("button", {name: "Close settings"}).click();
}
