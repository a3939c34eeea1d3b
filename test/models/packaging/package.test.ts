/**
 * The desktop package as electron-builder makes it, read back: packs the app for Linux against a stand-in
 * Electron (a placeholder executable: Electron's binary cannot be downloaded everywhere; the release workflow
 * packs with the real one), reads app.asar with @electron/asar and checks it (tools/packaging/packageCheck.ts):
 * only the built output and the demo pair, native modules unpacked, no other platform's binaries, no build tools,
 * nothing the bundles already hold, under the size budget. Then runs what was packed: the engine bundle loads
 * the demo pair from the package and generates under plain Node (no tsx, only the packaged node_modules), and
 * the main bundle's imports resolve inside the package. Prints the size. Native modules are not rebuilt for
 * Electron here (npmRebuild off: that needs Electron's headers, and would rebuild this checkout's better-sqlite3).
 */
import assert from "node:assert/strict";
import {fork} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {createRequire} from "node:module";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, test} from "node:test";
import asar from "@electron/asar";
import {inspectPack, packApp, type PackResult} from "../../../tools/packaging/pack.ts";
import {checkPackage, nativeAbiOf, runtimeClosure, type PackageListing} from "../../../tools/packaging/packageCheck.ts";
import {repoRoot} from "../../../src-main/electron/build.ts";

const skip = process.platform !== "linux" ? "the stand-in Electron has the Linux layout: the packaging check runs on Linux" : false;
const workDir = mkdtempSync(path.join(tmpdir(), "tandem-packaging-"));
after(() => rmSync(workDir, {recursive: true, force: true}));

let packed: Promise<{pack: PackResult; listing: PackageListing; problems: string[]; appDir: string}> | null = null;

/** Packs once for every test in this file; the app's files extracted to appDir (app.asar and app.asar.unpacked together). */
function packOnce() {
    packed ??= (async () => {
        const pack = await packApp({
            targets: ["--linux", "dir"],
            standIn: true,
            npmRebuild: false,
            outputDir: path.join(workDir, "out"),
            quiet: true
        });
        const {listing, problems, report} = inspectPack(pack.appOutDir, pack, {electronAbi: null});
        for (const line of report) console.log(`# ${line}`);
        const appDir = path.join(workDir, "app");
        asar.extractAll(path.join(listing.resourcesDir, "app.asar"), appDir);
        return {pack, listing, problems, appDir};
    })();
    return packed;
}

test("the package holds the built app, the demo pair and the native modules' run-time tree, nothing else", {skip, timeout: 600_000}, async () => {
    const {listing, problems} = await packOnce();
    assert.deepEqual(problems, []);
    const paths = new Set(listing.files.map((file) => file.path));
    for (const entry of ["dist/electron/main.mjs", "dist/electron/preload.cjs", "dist/electron/engine.mjs", "dist/renderer/index.html"])
        assert.ok(paths.has(entry), entry);
    assert.ok(listing.files.some((file) => file.path.startsWith(`node_modules/@node-llama-cpp/linux-${process.arch}/`) && file.unpacked));
    assert.ok(listing.files.some((file) => file.path.startsWith("resources/models/") && file.path.endsWith(".gguf") && file.unpacked));
});

test("the checker names what a careless dependency or file pattern would drag in", {skip, timeout: 600_000}, async () => {
    const {listing, pack} = await packOnce();
    const dragged = [
        {path: "node_modules/esbuild/bin/esbuild", size: 10e6, unpacked: false},
        {path: "node_modules/tsx/dist/cli.mjs", size: 1e5, unpacked: false},
        {path: "node_modules/marked/lib/marked.esm.js", size: 1e5, unpacked: false},
        {path: `node_modules/@node-llama-cpp/linux-${pack.arch}-cuda/bins/linux-${pack.arch}-cuda/libggml-cuda.so`, size: 180e6, unpacked: true},
        {path: "node_modules/@node-llama-cpp/mac-arm64-metal/bins/mac-arm64-metal/llama-addon.node", size: 5e6, unpacked: true},
        {path: "node_modules/better-sqlite3/build/Release/test_extension.node", size: 1e4, unpacked: false},
        {path: "node_modules/left-pad/index.js", size: 1e3, unpacked: false},
        {path: "src-main/service/index.ts", size: 1e3, unpacked: false},
        {path: "dist/electron/main.mjs.map", size: 1e5, unpacked: false}
    ];
    const problems = checkPackage(
        {...listing, files: [...listing.files, ...dragged], unpackedBytes: listing.unpackedBytes + 185e6},
        {os: "linux", arch: pack.arch, allowedPackages: runtimeClosure(repoRoot), electronAbi: null, maxAppBytes: 200 * 2 ** 20}
    );
    const said = problems.join("\n");
    for (const expected of [
        "esbuild: a build or development tool",
        "tsx: a build or development tool",
        "marked: already inside the built bundles",
        `@node-llama-cpp/linux-${pack.arch}-cuda: CUDA binaries`,
        "@node-llama-cpp/mac-arm64-metal: binaries for another platform",
        "test_extension.node: native code inside app.asar",
        "left-pad: not a run-time dependency",
        "src-main/service/index.ts: not built output",
        "main.mjs.map: not built output",
        "more than the 200.0 MiB allowed"
    ]) {
        assert.ok(said.includes(expected), `expected "${expected}" in:\n${said}`);
    }
});

/** Bare module names a bundle imports or requires (node: built-ins left out). */
function bareImports(bundle: string): Set<string> {
    const found = new Set<string>();
    for (const match of bundle.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\)\(\s*)"([^"./][^"]*)"/g)) {
        const name = match[1]!;
        if (!name.startsWith("node:")) found.add(name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0]!);
    }
    return found;
}

test("the packed bundles import only the native modules, and those resolve inside the package", {skip, timeout: 600_000}, async () => {
    const {appDir} = await packOnce();
    const mainFile = path.join(appDir, "dist", "electron", "main.mjs");
    const engineFile = path.join(appDir, "dist", "electron", "engine.mjs");
    assert.deepEqual([...bareImports(readFileSync(mainFile, "utf8"))].sort(), ["better-sqlite3", "electron"]);
    assert.deepEqual([...bareImports(readFileSync(engineFile, "utf8"))].sort(), ["node-llama-cpp"]);
    const resolve = createRequire(mainFile).resolve;
    for (const name of ["better-sqlite3", "node-llama-cpp"]) {
        const resolved = resolve(name);
        assert.ok(resolved.startsWith(appDir + path.sep), `${name} resolves to ${resolved}, outside the package`);
    }
    // better-sqlite3 as packed here is built for this Node (the release build rebuilds it for Electron).
    const sqliteBinary = path.join(appDir, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");
    assert.equal(nativeAbiOf(sqliteBinary), Number(process.versions.modules));
    const Database = createRequire(mainFile)("better-sqlite3") as new (file: string) => {prepare(sql: string): {get(): unknown}; close(): void};
    const db = new Database(":memory:");
    assert.deepEqual(db.prepare("select sqlite_version() is not null as ok").get(), {ok: 1});
    db.close();
});

test(
    "the packed engine loads the packed demo pair and generates, under plain Node with only the package's modules",
    {skip, timeout: 600_000},
    async () => {
        const {appDir} = await packOnce();
        const models = path.join(appDir, "resources", "models");
        const expertPath = path.join(models, "stories260K.gguf");
        const amateurPath = path.join(models, "stories260K-L4-earlyexit.gguf");
        assert.ok(existsSync(expertPath) && existsSync(amateurPath), "the demo pair is in the package");
        const child = fork(path.join(appDir, "dist", "electron", "engine.mjs"), [], {
            cwd: workDir,
            execArgv: [],
            serialization: "advanced",
            stdio: ["ignore", "ignore", "pipe", "ipc"]
        });
        let stderr = "";
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        try {
            const result = await new Promise<{text: string; generatedTokens: number; backend: string}>((resolve, reject) => {
                let text = "";
                let backend = "";
                child.on("exit", (code, signal) => reject(new Error(`the engine exited (${code ?? signal}): ${stderr.trim()}`)));
                child.on("message", (raw) => {
                    const message = raw as {
                        type: string;
                        request?: string;
                        text?: string;
                        message?: string;
                        result?: {backend?: string; stats?: {generatedTokens: number}};
                    };
                    if (message.type === "hello") {
                        child.send({
                            type: "load",
                            id: 1,
                            expertPath,
                            amateurPath,
                            options: {threads: 1, cpu: true, contextSize: 256, topK: 64, exact: false}
                        });
                    } else if (message.type === "done" && message.request === "load") {
                        backend = message.result!.backend!;
                        child.send({
                            type: "generate",
                            id: 2,
                            messages: [{role: "user", text: "Once upon a time"}],
                            params: {mode: "scd", temperature: 0, alpha: 0.1, beta: 0.5, gamma: 2, maxTokens: 8, seed: 1}
                        });
                    } else if (message.type === "tokens") {
                        text += message.text!;
                    } else if (message.type === "done" && message.request === "generate") {
                        resolve({text, generatedTokens: message.result!.stats!.generatedTokens, backend});
                    } else if (message.type === "error") {
                        reject(new Error(`the engine refused: ${message.message}`));
                    }
                });
            });
            assert.equal(result.backend, "CPU");
            assert.equal(result.generatedTokens, 8);
            assert.ok(result.text.trim().length > 0, "the answer has text");
        } finally {
            child.kill();
        }
    }
);
