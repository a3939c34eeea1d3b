#!/usr/bin/env node
// Typechecks src-main/electron/electronApi.ts (the shell's hand-written view of Electron's API) against
// Electron's own typings, tools/packaging/electronTypes.check.mts. Those typings come with the `electron`
// package, which npm drops where Electron's binary cannot be downloaded: then this says so and exits 0, or 1
// with --require (the release workflow, where Electron is installed).
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(path.join(root, "node_modules", "electron", "electron.d.ts"))) {
    console.log("check-electron-types: the electron package (and its electron.d.ts) is not installed here: not checked");
    process.exit(process.argv.includes("--require") ? 1 : 0);
}
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", path.join(root, "tools", "packaging", "tsconfig.electron-types.json")], {
    stdio: "inherit"
});
if (result.status === 0) console.log("check-electron-types: electronApi.ts agrees with Electron's typings");
process.exit(result.status ?? 1);
