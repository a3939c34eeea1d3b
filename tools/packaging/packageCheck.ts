/**
 * Reads a packed desktop app (electron-builder's unpacked output: out/linux-unpacked, out/win-unpacked,
 * out/mac-arm64/Tandem.app) and says what is wrong with it: what app.asar and app.asar.unpacked hold, checked
 * against what the app needs (docs/packaging.md). Used by the packaging test and by `node scripts/pack.mjs`
 * (and the release workflow) after every pack.
 */
import {existsSync, lstatSync, readdirSync, readFileSync, statSync} from "node:fs";
import path from "node:path";
import asar from "@electron/asar";

/** One file of the app as packed: its path inside the app (posix), its size, and whether it lies outside the archive. */
export type PackedFile = {readonly path: string; readonly size: number; readonly unpacked: boolean};

export type PackageListing = {
    /** The folder holding app.asar (resources/, or Tandem.app/Contents/Resources on macOS). */
    readonly resourcesDir: string;
    readonly files: readonly PackedFile[];
    /** Bytes of app.asar itself and of app.asar.unpacked. */
    readonly asarBytes: number;
    readonly unpackedBytes: number;
    /** Bytes of everything else in the output folder: Electron itself (a placeholder when packed against the stand-in). */
    readonly electronBytes: number;
};

/** Electron-builder's names for the systems, as in its `${os}` macro and node-llama-cpp's binary packages. */
export type PackOs = "linux" | "mac" | "win";

export type PackageExpectations = {
    readonly os: PackOs;
    readonly arch: string;
    /** Every package the app may carry: the native modules and what they depend on (runtimeClosure). */
    readonly allowedPackages: ReadonlySet<string>;
    /** The ABI better-sqlite3 must be built for (Electron's NODE_MODULE_VERSION); null: reported, not checked. */
    readonly electronAbi: number | null;
    /** Most bytes app.asar and app.asar.unpacked may hold together. */
    readonly maxAppBytes: number;
};

/** The packages the app needs at run time: the bundles leave only these two outside (src-main/electron/build.ts). */
export const nativeModules = ["node-llama-cpp", "better-sqlite3"] as const;

/** Build and development tools: none of them may be in the app. */
export const devTools = [
    "esbuild",
    "@esbuild/",
    "tsx",
    "typescript",
    "vite",
    "rolldown",
    "@rolldown/",
    "svelte",
    "@sveltejs/",
    "svelte-check",
    "electron-builder",
    "app-builder-lib",
    "app-builder-bin",
    "electron",
    "@electron/",
    "eslint",
    "typescript-eslint",
    "playwright-core"
] as const;

/** Packages the bundles already hold (the renderer's marked, DOMPurify, highlight.js; the main process's birpc, valibot; web mode's ws). */
export const bundledPackages = ["marked", "dompurify", "highlight.js", "birpc", "valibot", "ws"] as const;

/** Files of the app outside node_modules: the built entries, the built renderer, the demo pair and package.json. */
const appFilePatterns = [
    /^package\.json$/,
    /^dist\/electron\/(main\.mjs|preload\.cjs|engine\.mjs)$/,
    /^dist\/renderer\/(?!.*\.map$).+$/,
    /^resources\/models\/[^/]+\.gguf$/,
    /^resources\/models\/README\.md$/
];

/** Where the app's archive lies in electron-builder's output folder for one platform. */
export function findResourcesDir(appOutDir: string): string {
    if (existsSync(path.join(appOutDir, "resources", "app.asar"))) return path.join(appOutDir, "resources");
    if (existsSync(path.join(appOutDir, "Contents", "Resources", "app.asar"))) return path.join(appOutDir, "Contents", "Resources");
    for (const name of existsSync(appOutDir) ? readdirSync(appOutDir) : []) {
        if (name.endsWith(".app") && existsSync(path.join(appOutDir, name, "Contents", "Resources", "app.asar"))) {
            return path.join(appOutDir, name, "Contents", "Resources");
        }
    }
    throw new Error(`no app.asar in ${appOutDir} (expected resources/app.asar or *.app/Contents/Resources/app.asar)`);
}

function folderBytes(dir: string, skip: ReadonlySet<string> = new Set()): number {
    let total = 0;
    for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (skip.has(file)) continue;
        // lstat: links (a macOS framework's Versions/Current) count once, as the link itself.
        const stat = lstatSync(file, {throwIfNoEntry: false});
        if (stat == null) continue;
        total += stat.isDirectory() ? folderBytes(file, skip) : stat.size;
    }
    return total;
}

/** Everything the app holds, read from app.asar's header and the files beside it. */
export function readPackage(appOutDir: string): PackageListing {
    const resourcesDir = findResourcesDir(appOutDir);
    const archive = path.join(resourcesDir, "app.asar");
    const files: PackedFile[] = [];
    type HeaderEntry = {files?: Record<string, HeaderEntry>; size?: number; unpacked?: boolean; link?: string};
    const walk = (entry: HeaderEntry, at: string): void => {
        if (entry.files != null) {
            for (const [name, child] of Object.entries(entry.files)) walk(child, at === "" ? name : `${at}/${name}`);
        } else if (entry.link == null) {
            files.push({path: at, size: Number(entry.size ?? 0), unpacked: entry.unpacked === true});
        }
    };
    walk(asar.getRawHeader(archive).header as HeaderEntry, "");
    const unpackedDir = `${archive}.unpacked`;
    const asarBytes = statSync(archive).size;
    const unpackedBytes = existsSync(unpackedDir) ? folderBytes(unpackedDir) : 0;
    const outRoot = resourcesDir.includes(`${path.sep}Contents${path.sep}`) ? path.resolve(resourcesDir, "..", "..") : path.dirname(resourcesDir);
    const electronBytes = folderBytes(outRoot, new Set([archive, unpackedDir]));
    return {resourcesDir, files, asarBytes, unpackedBytes, electronBytes};
}

/** The package a file belongs to (the innermost node_modules/<name> or node_modules/@scope/<name>), or null. */
export function packageOf(file: string): string | null {
    const parts = file.split("/");
    const at = parts.lastIndexOf("node_modules");
    if (at < 0 || at + 1 >= parts.length - 1) return null;
    const first = parts[at + 1]!;
    return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}

function matchesName(name: string, pattern: string): boolean {
    return pattern.endsWith("/") ? name.startsWith(pattern) : name === pattern;
}

/** The os-arch words that name binaries for one target in package names (node-llama-cpp's and Node's spellings). */
function targetWords(os: PackOs, arch: string): string[] {
    const nodeOs = {linux: "linux", mac: "darwin", win: "win32"}[os];
    return [`${os}-${arch}`, `${nodeOs}-${arch}`];
}

const platformWord = /(?:^|[-/])((?:linux|mac|darwin|win32|win|freebsd|android)-(?:x64|arm64|armv7l|arm|ia32|riscv64|ppc64|s390x|loong64))(?=$|[-/])/;

/**
 * Every rule the package breaks, in words (empty: none). Pure over the listing, so a test can show a rule
 * catching a file that a careless dependency would drag in.
 */
export function checkPackage(listing: PackageListing, expect: PackageExpectations): string[] {
    const problems: string[] = [];
    const packages = new Map<string, number>();
    for (const file of listing.files) {
        const name = packageOf(file.path);
        if (name == null) {
            if (!appFilePatterns.some((pattern) => pattern.test(file.path)))
                problems.push(`${file.path}: not built output, the demo pair or package.json`);
            continue;
        }
        packages.set(name, (packages.get(name) ?? 0) + file.size);
        if (/\.(node|so|dylib|dll|exe|metal|gguf)$/.test(file.path) && !file.unpacked)
            problems.push(`${file.path}: native code inside app.asar (must be unpacked)`);
        if (/^node_modules\/node-llama-cpp\/llama\/(gitRelease\.bundle|llama\.cpp\/|localBuilds\/)/.test(file.path)) {
            problems.push(`${file.path}: llama.cpp sources or local builds (the app only loads prebuilt binaries)`);
        }
        if (/\.map$/.test(file.path)) problems.push(`${file.path}: a source map`);
    }
    for (const file of listing.files) {
        if (/^resources\/models\//.test(file.path) && !file.unpacked)
            problems.push(`${file.path}: the demo pair must be unpacked (llama.cpp reads it from disk)`);
        for (const native of nativeModules) {
            if (file.path.startsWith(`node_modules/${native}/`) && !file.unpacked) problems.push(`${file.path}: ${native} must be unpacked`);
        }
        if (file.path.startsWith("node_modules/@node-llama-cpp/") && !file.unpacked)
            problems.push(`${file.path}: llama.cpp binaries must be unpacked`);
    }
    if (!listing.files.some((file) => /^node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/.test(file.path) && file.unpacked)) {
        problems.push("node_modules/better-sqlite3/build/Release/better_sqlite3.node: missing or not unpacked");
    }
    for (const entry of ["dist/electron/main.mjs", "dist/electron/preload.cjs", "dist/electron/engine.mjs", "dist/renderer/index.html"]) {
        if (!listing.files.some((file) => file.path === entry)) problems.push(`${entry}: missing`);
    }
    if (!listing.files.some((file) => /^resources\/models\/.+\.gguf$/.test(file.path))) problems.push("resources/models: the demo pair is missing");

    const own = targetWords(expect.os, expect.arch);
    const llamaBinaries = [...packages.keys()].filter((name) => name.startsWith("@node-llama-cpp/"));
    if (llamaBinaries.length === 0)
        problems.push(`no llama.cpp binaries for ${expect.os}-${expect.arch} (@node-llama-cpp/${expect.os}-${expect.arch}*)`);
    for (const name of packages.keys()) {
        const devTool = devTools.find((tool) => matchesName(name, tool));
        if (devTool != null) problems.push(`${name}: a build or development tool`);
        else if (bundledPackages.includes(name as (typeof bundledPackages)[number])) problems.push(`${name}: already inside the built bundles`);
        else if (!expect.allowedPackages.has(name)) problems.push(`${name}: not a run-time dependency of ${nativeModules.join(" or ")}`);
        if (/cuda/.test(name)) problems.push(`${name}: CUDA binaries (fetched on first use, not shipped: docs/packaging.md)`);
        const word = platformWord.exec(name)?.[1];
        if (word != null && !own.includes(word)) problems.push(`${name}: binaries for another platform (${word}; this package is ${own[0]})`);
    }
    const betterSqlite = path.join(
        listing.resourcesDir,
        "app.asar.unpacked",
        "node_modules",
        "better-sqlite3",
        "build",
        "Release",
        "better_sqlite3.node"
    );
    if (expect.electronAbi != null && existsSync(betterSqlite)) {
        const abi = nativeAbiOf(betterSqlite);
        if (abi !== expect.electronAbi)
            problems.push(
                `better-sqlite3 is built for ABI ${abi ?? "unknown"}, Electron needs ${expect.electronAbi} (rebuild: npx electron-builder install-app-deps)`
            );
    }
    const appBytes = listing.asarBytes + listing.unpackedBytes;
    if (appBytes > expect.maxAppBytes) problems.push(`the app holds ${megabytes(appBytes)}, more than the ${megabytes(expect.maxAppBytes)} allowed`);
    return problems;
}

/** The NODE_MODULE_VERSION a native module was built for (from its node_register_module_vNNN symbol), or null (N-API modules). */
export function nativeAbiOf(file: string): number | null {
    const match = /node_register_module_v(\d+)/.exec(readFileSync(file).toString("latin1"));
    return match == null ? null : Number(match[1]);
}

/** The packages reachable from the native modules through dependencies and installed optional dependencies. */
export function runtimeClosure(projectRoot: string, roots: readonly string[] = nativeModules): Set<string> {
    const found = new Set<string>();
    const visited = new Set<string>();
    const visit = (name: string, fromDir: string): void => {
        let dir = fromDir;
        for (;;) {
            const candidate = path.join(dir, "node_modules", name, "package.json");
            if (existsSync(candidate)) break;
            const parent = path.dirname(dir);
            if (parent === dir || !parent.startsWith(projectRoot)) return;
            dir = parent;
        }
        const packageDir = path.join(dir, "node_modules", name);
        if (visited.has(packageDir)) return;
        visited.add(packageDir);
        found.add(name);
        const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
            dependencies?: Record<string, string>;
            optionalDependencies?: Record<string, string>;
        };
        for (const dependency of Object.keys({...manifest.dependencies, ...manifest.optionalDependencies})) visit(dependency, packageDir);
    };
    for (const root of roots) visit(root, projectRoot);
    return found;
}

export function megabytes(bytes: number): string {
    return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A few lines on what the package holds: sizes in all and by package, largest first. */
export function describePackage(listing: PackageListing): string[] {
    const byPackage = new Map<string, number>();
    for (const file of listing.files) {
        const name = packageOf(file.path) ?? file.path.split("/").slice(0, 2).join("/");
        byPackage.set(name, (byPackage.get(name) ?? 0) + file.size);
    }
    const largest = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    return [
        `app: ${megabytes(listing.asarBytes + listing.unpackedBytes)} (app.asar ${megabytes(listing.asarBytes)}, app.asar.unpacked ${megabytes(listing.unpackedBytes)}), ` +
            `${listing.files.length} files, ${byPackage.size} packages and folders; Electron itself: ${megabytes(listing.electronBytes)}`,
        `largest: ${largest.map(([name, bytes]) => `${name} ${megabytes(bytes)}`).join(", ")}`
    ];
}
