/**
 * Builds and packs the desktop app with electron-builder (config: electron-builder.yml), then checks the
 * result (packageCheck.ts). With a stand-in Electron (a placeholder executable where Electron's binary cannot
 * be downloaded) it packs the Linux layout without Electron itself: everything but the runnable program, which
 * is what the packaging test reads. Entry point: `node scripts/pack.mjs` (docs/packaging.md).
 */
import {spawnSync} from "node:child_process";
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {buildElectron, repoRoot} from "../../src-main/electron/build.ts";
import {checkPackage, describePackage, findResourcesDir, readPackage, runtimeClosure, type PackOs, type PackageListing} from "./packageCheck.ts";

export type PackOptions = {
    /** electron-builder's target arguments, e.g. ["--linux", "dir"] or ["--mac", "dmg"]. */
    readonly targets: readonly string[];
    /** Pack against a placeholder Electron (Linux layout only): no download, nothing runnable. */
    readonly standIn?: boolean;
    /** Where electron-builder writes (default out/). */
    readonly outputDir?: string;
    /** Rebuild native modules for Electron's ABI (electron-builder's npmRebuild; default: as electron-builder.yml says, on). */
    readonly npmRebuild?: boolean;
    /** Build the renderer and the Electron entries first (default true). */
    readonly build?: boolean;
    /** Output of the tools (default: inherited). */
    readonly quiet?: boolean;
};

export type PackResult = {
    readonly outputDir: string;
    /** The unpacked app electron-builder made on the way (out/linux-unpacked, out/win-unpacked, out/mac-arm64). */
    readonly appOutDir: string;
    readonly electronVersion: string;
    readonly os: PackOs;
    readonly arch: string;
};

/** The Electron version the lockfile pins (the stand-in has none of its own). */
export function lockedElectronVersion(root = repoRoot): string {
    const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {packages?: Record<string, {version?: string}>};
    const version = lock.packages?.["node_modules/electron"]?.version;
    if (version == null) throw new Error("package-lock.json pins no electron version");
    return version;
}

/** The ABI (NODE_MODULE_VERSION) of the installed Electron, from its package's abi_version file; null without the package. */
export function installedElectronAbi(root = repoRoot): number | null {
    const file = path.join(root, "node_modules", "electron", "abi_version");
    return existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : null;
}

/** A folder standing in for Electron's Linux distribution: a placeholder `electron` that says what it is and fails. */
export function makeStandInElectron(version: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-stand-in-electron-"));
    const executable = path.join(dir, "electron");
    writeFileSync(executable, "#!/bin/sh\necho 'stand-in for Electron (packaging check): not runnable' >&2\nexit 1\n");
    chmodSync(executable, 0o755);
    writeFileSync(path.join(dir, "version"), `v${version}`);
    return dir;
}

function run(command: string, args: readonly string[], quiet: boolean): void {
    const result = spawnSync(command, args, {cwd: repoRoot, stdio: quiet ? "pipe" : "inherit", encoding: "utf8"});
    if (result.status !== 0) {
        const output = quiet ? `\n${(result.stdout ?? "") + (result.stderr ?? "")}`.trimEnd() : "";
        throw new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(" ")} failed (exit ${result.status ?? result.signal})${output}`);
    }
}

function targetOs(targets: readonly string[]): PackOs {
    if (targets.includes("--linux") || targets.includes("-l")) return "linux";
    if (targets.includes("--mac") || targets.includes("-m")) return "mac";
    if (targets.includes("--win") || targets.includes("-w")) return "win";
    return ({darwin: "mac", win32: "win"} as Record<string, PackOs>)[process.platform] ?? "linux";
}

function targetArch(targets: readonly string[]): string {
    for (const arch of ["x64", "arm64", "armv7l", "ia32", "universal"]) if (targets.includes(`--${arch}`)) return arch;
    return process.arch;
}

/** The folder in the output that holds the unpacked app for this os and arch. */
function findAppOutDir(outputDir: string, os: PackOs, arch: string): string {
    const candidates = readdirSync(outputDir).filter((name) => {
        if (os === "mac") return name === "mac" || name === `mac-${arch}`;
        return name === `${os}-unpacked` || name === `${os}-${arch}-unpacked`;
    });
    for (const name of candidates) {
        const dir = path.join(outputDir, name);
        try {
            findResourcesDir(dir);
            return dir;
        } catch {
            // not this one
        }
    }
    throw new Error(`electron-builder left no unpacked app for ${os}-${arch} in ${outputDir}`);
}

export async function packApp(options: PackOptions): Promise<PackResult> {
    const quiet = options.quiet ?? false;
    if (options.build ?? true) {
        run(process.execPath, [path.join(repoRoot, "node_modules", "vite", "bin", "vite.js"), "build"], quiet);
        await buildElectron();
    }
    const outputDir = path.resolve(options.outputDir ?? path.join(repoRoot, "out"));
    mkdirSync(outputDir, {recursive: true});
    const os = targetOs(options.targets);
    const arch = targetArch(options.targets);
    const electronVersion = lockedElectronVersion();
    const args = [
        path.join(repoRoot, "node_modules", "electron-builder", "cli.js"),
        ...options.targets,
        "--publish",
        "never",
        `-c.directories.output=${outputDir}`
    ];
    let standInDir: string | null = null;
    if (options.standIn === true) {
        if (os !== "linux") throw new Error("the stand-in Electron has the Linux layout: pack --linux with it");
        standInDir = makeStandInElectron(electronVersion);
        args.push(`-c.electronDist=${standInDir}`, `-c.electronVersion=${electronVersion}`);
    }
    if (options.npmRebuild != null) args.push(`-c.npmRebuild=${options.npmRebuild}`);
    try {
        run(process.execPath, args, quiet);
    } finally {
        if (standInDir != null) rmSync(standInDir, {recursive: true, force: true});
    }
    return {outputDir, appOutDir: findAppOutDir(outputDir, os, arch), electronVersion, os, arch};
}

/** Reads and checks a packed app; the ABI is checked when Electron is installed (its abi_version) unless told otherwise. */
export function inspectPack(
    appOutDir: string,
    target: {os: PackOs; arch: string},
    options: {electronAbi?: number | null; maxAppBytes?: number} = {}
): {listing: PackageListing; problems: string[]; report: string[]} {
    const listing = readPackage(appOutDir);
    const electronAbi = options.electronAbi === undefined ? installedElectronAbi() : options.electronAbi;
    const problems = checkPackage(listing, {
        ...target,
        allowedPackages: runtimeClosure(repoRoot),
        electronAbi,
        maxAppBytes: options.maxAppBytes ?? defaultMaxAppBytes
    });
    return {listing, problems, report: describePackage(listing)};
}

/**
 * Most bytes the app may hold besides Electron: linux-x64 measures 120 MiB (CPU 28 MiB and Vulkan 81 MiB
 * llama.cpp binaries); room for other systems' binaries, not for a CUDA variant (181–357 MiB).
 */
export const defaultMaxAppBytes = 200 * 2 ** 20;

/** The program inside the unpacked app (what the Electron smoke test launches as TANDEM_ELECTRON_APP). */
export function packedExecutable(appOutDir: string, os: PackOs): string {
    if (os === "mac") {
        const bundle = readdirSync(appOutDir).find((name) => name.endsWith(".app"));
        if (bundle == null) throw new Error(`no .app in ${appOutDir}`);
        return path.join(appOutDir, bundle, "Contents", "MacOS", bundle.replace(/\.app$/, ""));
    }
    return path.join(appOutDir, os === "win" ? "Tandem.exe" : "tandem");
}
