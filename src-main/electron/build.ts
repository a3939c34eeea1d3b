/**
 * Builds the Electron entries with esbuild into dist/electron/: main.mjs and engine.mjs as ES modules with every
 * package bundled in but the native ones, better-sqlite3 and node-llama-cpp (imported from node_modules, which
 * the package keeps unpacked beside the asar archive; they are the package's only production dependencies), and
 * the sandboxed preload as one self-contained CommonJS file (a sandboxed preload can require nothing but
 * "electron"). The renderer is built separately by vite (dist/renderer/). Packaging: docs/packaging.md.
 */
import path from "node:path";
import {fileURLToPath} from "node:url";
import {build} from "esbuild";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const defaultElectronOutDir = path.join(repoRoot, "dist", "electron");

/** The packages the bundles import at run time rather than hold: native code, and Electron itself. */
export const runtimeExternals = ["node-llama-cpp", "better-sqlite3", "electron"] as const;

export type ElectronBuild = {
    readonly outDir: string;
    /** Source files of the main bundle that import node-llama-cpp (should be none: llama.cpp runs in the engine process). */
    readonly mainImportsLlama: string[];
};

export async function buildElectron(outDir = defaultElectronOutDir): Promise<ElectronBuild> {
    const common = {absWorkingDir: repoRoot, bundle: true, sourcemap: true, logLevel: "warning", outdir: outDir} as const;
    const main = await build({
        ...common,
        entryPoints: {main: "src-main/electron/main.ts"},
        outExtension: {".js": ".mjs"},
        platform: "node",
        format: "esm",
        target: "node22",
        external: [...runtimeExternals],
        metafile: true
    });
    await build({
        ...common,
        entryPoints: {engine: "src-main/engineHost/engineMain.ts"},
        outExtension: {".js": ".mjs"},
        platform: "node",
        format: "esm",
        target: "node22",
        external: [...runtimeExternals]
    });
    await build({
        ...common,
        entryPoints: {preload: "src-main/electron/preload.ts"},
        outExtension: {".js": ".cjs"},
        platform: "browser",
        format: "cjs",
        target: "chrome130",
        external: ["electron"]
    });
    const mainImportsLlama = Object.entries(main.metafile.inputs)
        .filter(([, input]) => input.imports.some((i) => i.path === "node-llama-cpp" || i.path.startsWith("node-llama-cpp/")))
        .map(([file]) => file);
    return {outDir, mainImportsLlama};
}
