#!/usr/bin/env node
// `npm start`: builds the renderer (vite) and the Electron entries (esbuild, src-main/electron/build.ts),
// then launches Electron. Where the Electron binary is absent (its download fails on some machines) it says
// so in one line and points to the web app. `--build-only` builds the Electron entries without launching
// (for packaging: `npm run build:electron`).
import {spawn, spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {createRequire} from "node:module";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {register} from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildOnly = process.argv.includes("--build-only");

/** The Electron binary's path, or null when the package or its binary is missing. */
function electronBinary() {
    try {
        const binary = createRequire(import.meta.url)("electron");
        return typeof binary === "string" && existsSync(binary) ? binary : null;
    } catch {
        return null;
    }
}

const binary = electronBinary();
if (binary == null && !buildOnly) {
    console.error('Electron is not installed here (its binary download failed); run "npm run serve" for the web app instead.');
    process.exit(1);
}

if (!buildOnly) {
    const vite = spawnSync(process.execPath, [path.join(root, "node_modules", "vite", "bin", "vite.js"), "build"], {cwd: root, stdio: "inherit"});
    if (vite.status !== 0) process.exit(vite.status ?? 1);
}
register();
const {buildElectron} = await import("../src-main/electron/build.ts");
let built;
try {
    built = await buildElectron();
} catch (error) {
    console.error(`tandem: building the Electron entries failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    process.exit(1);
}
if (built.mainImportsLlama.length > 0) {
    // The import alone loads no native code (the service never calls getLlama), but it should not be there.
    console.warn(`note: the Electron main bundle imports node-llama-cpp (from ${built.mainImportsLlama.join(", ")})`);
}
if (buildOnly) process.exit(0);

const child = spawn(binary, [path.join(built.outDir, "main.mjs")], {cwd: root, stdio: "inherit"});
child.on("exit", (code, signal) => process.exit(signal != null ? 1 : (code ?? 0)));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
