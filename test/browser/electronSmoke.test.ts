/**
 * The desktop app end to end with Playwright's `_electron`, where the Electron binary exists: builds the
 * renderer and the Electron entries, launches the app with a fresh data folder, sees the window, checks the
 * page has no Node and only the named bridge, and sends a message to the demo pair until the answer finishes
 * with its stats. Where the binary is absent (its download fails on some machines) it skips with one line.
 *
 * With TANDEM_ELECTRON_APP set to a packed app's program (`npm run pack` prints it: out/linux-unpacked/tandem,
 * out/win-unpacked/Tandem.exe, out/mac-arm64/Tandem.app/Contents/MacOS/Tandem) it launches that instead, built
 * and packed as users get it: the release workflow runs it so on each system (docs/packaging.md).
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync} from "node:fs";
import {createRequire} from "node:module";
import {tmpdir} from "node:os";
import path from "node:path";
import {test} from "node:test";
import {serviceFunctionNames} from "../../src-shared/index.ts";
import {buildElectron, repoRoot} from "../../src-main/electron/build.ts";

function electronBinary(): string | null {
    try {
        const binary = createRequire(import.meta.url)("electron") as unknown;
        return typeof binary === "string" && existsSync(binary) ? binary : null;
    } catch {
        return null;
    }
}

const packedApp =
    process.env.TANDEM_ELECTRON_APP != null && process.env.TANDEM_ELECTRON_APP !== "" ? path.resolve(process.env.TANDEM_ELECTRON_APP) : null;
const binary = packedApp ?? electronBinary();
const skip = binary == null ? "the Electron binary is not installed here (its download failed): Electron smoke test skipped" : false;

/** What to launch: the packed app as it is, or Electron on freshly built entries of this checkout. */
async function launchTarget(): Promise<{executablePath: string; args: string[]}> {
    if (packedApp != null) {
        assert.ok(existsSync(packedApp), `TANDEM_ELECTRON_APP: no such file ${packedApp}`);
        return {executablePath: packedApp, args: []};
    }
    const vite = spawnSync(process.execPath, [path.join(repoRoot, "node_modules", "vite", "bin", "vite.js"), "build"], {
        cwd: repoRoot,
        encoding: "utf8"
    });
    assert.equal(vite.status, 0, vite.stderr);
    const {outDir} = await buildElectron();
    return {executablePath: binary!, args: [path.join(outDir, "main.mjs")]};
}

test("the desktop app opens its window and answers with the demo pair", {skip, timeout: 300_000}, async () => {
    const {_electron} = await import("playwright-core");
    const app = await _electron.launch({
        ...(await launchTarget()),
        cwd: packedApp != null ? tmpdir() : repoRoot,
        env: {...process.env, TANDEM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tandem-electron-data-"))}
    });
    try {
        const window = await app.firstWindow();
        await window.waitForLoadState("domcontentloaded");
        assert.equal(await window.title(), "Tandem");
        const page = (await window.evaluate(`({
            node: typeof require !== "undefined" || typeof process !== "undefined",
            bridge: Object.keys(window.tandem ?? {}).sort()
        })`)) as {node: boolean; bridge: string[]};
        assert.equal(page.node, false, "no Node in the page");
        assert.deepEqual(page.bridge, [...serviceFunctionNames, "onEvent"].sort());

        await window.getByTestId("composer").fill("Once upon a time");
        await window.getByTestId("send").click();
        const answer = window.locator("[data-testid=message][data-role=assistant]").last();
        await answer.getByTestId("message-stats").waitFor({timeout: 180_000});
        assert.ok((await answer.innerText()).trim().length > 0, "the answer has text");
    } finally {
        await app.close();
    }
});
