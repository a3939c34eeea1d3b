/**
 * Parts for the library tests: the shared models folder, an in-memory LibraryRows (the SQLite rows are
 * tested in the store's own tests and in service.library.test.ts), a split model written the way llama.cpp's
 * gguf-split writes one, and a Library over temp folders with no real caches in sight.
 */
import {existsSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {GgufValueType, readGguf, typedMetadata} from "../../../src-main/models/header/index.ts";
import {Library, type LibraryEvent, type LibraryOptions, type LibraryRows} from "../../../src-main/library/index.ts";
import type {Download} from "../../../src-main/library/index.ts";
import {copyTensor} from "../../../tools/gguf/ggufTensorData.ts";
import {writeGguf} from "../../../tools/gguf/ggufWriter.ts";
import {splitPartName} from "../../../src-main/library/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const sharedModelsDir = path.resolve(repoRoot, process.env.TANDEM_MODELS_DIR ?? "../shared/models");
export const demoModelsDir = path.join(repoRoot, "resources", "models");

export function sharedModel(name: string): string {
    const file = path.join(sharedModelsDir, name);
    if (!existsSync(file)) throw new Error(`test model ${file} is missing: set TANDEM_MODELS_DIR to the folder holding the shared models`);
    return file;
}

export class MemoryRows implements LibraryRows {
    folders: string[] = [];
    files: string[] = [];
    disabled = new Set<string>();
    settings = new Map<string, string>();
    downloads = new Map<string, Download>();
    listModelFolders = () => [...this.folders];
    addModelFolder = (folder: string) => void (this.folders.includes(folder) || this.folders.push(folder));
    removeModelFolder = (folder: string) => void (this.folders = this.folders.filter((f) => f !== folder));
    listModelFiles = () => [...this.files];
    addModelFile = (file: string) => void (this.files.includes(file) || this.files.push(file));
    removeModelFile = (file: string) => void (this.files = this.files.filter((f) => f !== file));
    listDisabledSources = () => [...this.disabled];
    setSourceEnabled = (id: string, enabled: boolean) => void (enabled ? this.disabled.delete(id) : this.disabled.add(id));
    getLibrarySetting = (key: string) => this.settings.get(key) ?? null;
    setLibrarySetting = (key: string, value: string | null) => void (value == null ? this.settings.delete(key) : this.settings.set(key, value));
    listDownloads = () => [...this.downloads.values()];
    saveDownload = (download: Download) => void this.downloads.set(download.id, download);
    deleteDownload = (id: string) => void this.downloads.delete(id);
}

export async function tempDir(prefix: string): Promise<{dir: string; [Symbol.asyncDispose](): Promise<void>}> {
    const dir = await mkdtemp(path.join(os.tmpdir(), `tandem-${prefix}-`));
    return {dir, [Symbol.asyncDispose]: () => rm(dir, {recursive: true, force: true})};
}

/** A Library with no real caches: home is `home`, the environment only what is given. */
export function testLibrary(
    home: string,
    options: Partial<LibraryOptions> & {rows?: LibraryRows} = {}
): {library: Library; events: LibraryEvent[]; rows: LibraryRows} {
    const events: LibraryEvent[] = [];
    const rows = options.rows ?? new MemoryRows();
    const library = new Library({
        rows,
        demoModelsDir: path.join(home, "no-demo"),
        envModelsDirs: [],
        defaultDownloadDir: path.join(home, "downloads"),
        emit: (event) => events.push(event),
        cacheEnvironment: {env: {}, home, platform: "linux"},
        watch: false,
        env: {},
        ...options
    });
    return {library, events, rows};
}

/**
 * Writes `source` as `parts` split files the way llama.cpp's gguf-split does: the first part keeps every
 * metadata key, each part gets split.no (u16, 0-based), split.count (u16) and split.tensors.count (i32), and
 * the tensors are shared out in order. Returns the parts' paths.
 */
export async function writeSplitModel(source: string, dir: string, stem: string, parts: number): Promise<string[]> {
    const file = await readGguf(source);
    const metadata = typedMetadata(file);
    const perPart = Math.ceil(file.tensors.length / parts);
    const paths: string[] = [];
    for (let part = 0; part < parts; part++) {
        const split = new Map([
            ["split.no", {type: GgufValueType.UINT16, value: part}],
            ["split.count", {type: GgufValueType.UINT16, value: parts}],
            ["split.tensors.count", {type: GgufValueType.INT32, value: file.tensors.length}]
        ]);
        const partMetadata = part === 0 ? new Map([...metadata, ...split]) : split;
        const tensors = file.tensors.slice(part * perPart, (part + 1) * perPart).map((tensor) => copyTensor(file, tensor));
        const out = path.join(dir, splitPartName(stem, part + 1, parts));
        await writeGguf(out, {version: file.version as 2 | 3, metadata: partMetadata, tensors, alignment: file.alignment});
        paths.push(out);
    }
    return paths;
}
