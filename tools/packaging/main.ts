/**
 * `node scripts/pack.mjs`: builds, packs and checks the desktop app (docs/packaging.md).
 *
 *   node scripts/pack.mjs                      installer for this system (AppImage, dmg or nsis, electron-builder.yml)
 *   node scripts/pack.mjs --linux dir          any electron-builder targets
 *   node scripts/pack.mjs --stand-in           the Linux layout against a placeholder Electron (no download), no rebuild
 *   node scripts/pack.mjs --check out/linux-unpacked   check an app packed before
 *
 * Options: --output DIR (default out/), --no-build (use dist/ as it is), --no-rebuild (skip rebuilding native
 * modules for Electron), --electron-abi N|none (the ABI better-sqlite3 must have; default: the installed Electron's).
 * Prints the package's size and every rule it breaks; exits 1 if it breaks one. Its last line names the
 * packed program (for TANDEM_ELECTRON_APP, the smoke test).
 */
import {inspectPack, packApp, packedExecutable} from "./pack.ts";
import type {PackOs} from "./packageCheck.ts";

function take(args: string[], flag: string): string | undefined {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const value = args[at + 1];
    if (value == null) throw new Error(`${flag} needs a value`);
    args.splice(at, 2);
    return value;
}

function takeFlag(args: string[], flag: string): boolean {
    const at = args.indexOf(flag);
    if (at >= 0) args.splice(at, 1);
    return at >= 0;
}

export async function main(argv: readonly string[]): Promise<number> {
    const args = [...argv];
    const check = take(args, "--check");
    const output = take(args, "--output");
    const abiText = take(args, "--electron-abi");
    const standIn = takeFlag(args, "--stand-in");
    const noBuild = takeFlag(args, "--no-build");
    const noRebuild = takeFlag(args, "--no-rebuild") || standIn;
    const electronAbi = abiText == null ? (standIn ? null : undefined) : abiText === "none" ? null : Number(abiText);
    if (electronAbi != null && !Number.isInteger(electronAbi)) throw new Error(`--electron-abi takes a number or none, got ${abiText}`);

    let appOutDir: string;
    let target: {os: PackOs; arch: string};
    if (check != null) {
        appOutDir = check;
        const os = (args.find((arg) => ["--linux", "--mac", "--win"].includes(arg))?.slice(2) ??
            ({darwin: "mac", win32: "win"} as Record<string, PackOs>)[process.platform] ??
            "linux") as PackOs;
        target = {os, arch: ["x64", "arm64", "armv7l"].find((arch) => args.includes(`--${arch}`)) ?? process.arch};
    } else {
        const targets = args.length > 0 ? args : standIn ? ["--linux", "dir"] : [];
        const packed = await packApp({
            targets,
            standIn,
            build: !noBuild,
            ...(output != null ? {outputDir: output} : {}),
            ...(noRebuild ? {npmRebuild: false} : {})
        });
        appOutDir = packed.appOutDir;
        target = {os: packed.os, arch: packed.arch};
    }
    const {problems, report} = inspectPack(appOutDir, target, electronAbi === undefined ? {} : {electronAbi});
    for (const line of report) console.log(line);
    if (electronAbi === null) console.log("better-sqlite3's ABI: not checked (--stand-in or --electron-abi none)");
    for (const problem of problems) console.error(`problem: ${problem}`);
    console.log(`${problems.length === 0 ? "ok" : `${problems.length} problem(s)`}: ${packedExecutable(appOutDir, target.os)}`);
    return problems.length === 0 ? 0 : 1;
}
