/**
 * Reading each cache's own layout into model files with the names their apps show:
 *
 * - Hugging Face hub cache: `models--<org>--<name>/snapshots/<commit>/<file path>` are symlinks into
 *   `blobs/`; `refs/main` names the current commit. Shown as `org/name` with the file path as detail. Only
 *   the commit `refs/main` names is read when it exists (older snapshots hold older copies of the same
 *   files), else every snapshot.
 * - LM Studio: `<root>/<publisher>/<repo>/<file>.gguf`, shown as `publisher/repo`.
 * - Ollama: `manifests/<registry>/<namespace>/<name>/<tag>` is JSON whose layer with media type
 *   `application/vnd.ollama.image.model` names the GGUF blob `blobs/sha256-<hex>`. Shown by tag:
 *   `name:tag` for the default registry and namespace (`registry.ollama.ai/library`), else with the
 *   namespace (and registry) before it.
 * - node-llama-cpp: a plain folder.
 *
 * Nothing here throws for what it finds: an unreadable manifest or a dangling link becomes a note.
 */
import {readdir, readFile, stat} from "node:fs/promises";
import path from "node:path";
import type {CacheKind} from "./cacheLocations.ts";
import {errorCode, scanFolder} from "./folderScan.ts";

/** One model file a source offers, before its header is read. */
export type FoundFile = {
    /** The path as reached (a snapshot symlink, a manifest's blob). */
    readonly path: string;
    /** What the UI shows first; absent: the file name. */
    readonly displayName?: string;
    /** The second line (a file path inside a repository). */
    readonly detail?: string;
    /** True when the file's name need not end in .gguf (Ollama blobs). */
    readonly blob?: boolean;
};

export type LayoutResult = {readonly files: FoundFile[]; readonly notes: string[]};

export const OLLAMA_MODEL_MEDIA_TYPE = "application/vnd.ollama.image.model";
const OLLAMA_DEFAULT_REGISTRY = "registry.ollama.ai";
const OLLAMA_DEFAULT_NAMESPACE = "library";

export async function readCacheLayout(kind: CacheKind, root: string, onEntry?: () => void): Promise<LayoutResult> {
    switch (kind) {
        case "huggingFace":
            return readHuggingFaceCache(root, onEntry);
        case "lmStudio":
            return readLmStudio(root, onEntry);
        case "ollama":
            return readOllama(root, onEntry);
        case "nodeLlamaCpp": {
            const {files, notes} = await scanFolder(root, {onEntry});
            return {files: files.map((file) => ({path: file})), notes};
        }
    }
}

async function listDir(dir: string): Promise<string[]> {
    try {
        return (await readdir(dir)).sort();
    } catch {
        return [];
    }
}

export async function readHuggingFaceCache(root: string, onEntry?: () => void): Promise<LayoutResult> {
    const files: FoundFile[] = [];
    const notes: string[] = [];
    for (const repoDir of await listDir(root)) {
        onEntry?.();
        if (!repoDir.startsWith("models--")) continue;
        const repo = repoDir.slice("models--".length).split("--").join("/");
        const base = path.join(root, repoDir);
        let commits = await listDir(path.join(base, "snapshots"));
        const main = await readFile(path.join(base, "refs", "main"), "utf8").then(
            (text) => text.trim(),
            () => null
        );
        if (main != null && commits.includes(main)) commits = [main];
        for (const commit of commits) {
            const snapshot = path.join(base, "snapshots", commit);
            const scan = await scanFolder(snapshot, {onEntry});
            notes.push(...scan.notes);
            for (const file of scan.files)
                files.push({path: file, displayName: repo, detail: path.relative(snapshot, file).split(path.sep).join("/")});
        }
    }
    return {files, notes};
}

export async function readLmStudio(root: string, onEntry?: () => void): Promise<LayoutResult> {
    const scan = await scanFolder(root, {onEntry});
    const files = scan.files.map((file): FoundFile => {
        const parts = path.relative(root, file).split(path.sep);
        // <publisher>/<repo>/<file…>: the repository names the model; a file elsewhere is shown by its name.
        return parts.length >= 3 ? {path: file, displayName: `${parts[0]}/${parts[1]}`, detail: parts.slice(2).join("/")} : {path: file};
    });
    return {files, notes: scan.notes};
}

type OllamaManifest = {layers?: {mediaType?: unknown; digest?: unknown}[]};

/** The tag Ollama itself shows for a manifest at `manifests/<registry>/<namespace>/<name>/<tag>`. */
export function ollamaTag(registry: string, namespace: string, name: string, tag: string): string {
    if (registry === OLLAMA_DEFAULT_REGISTRY && namespace === OLLAMA_DEFAULT_NAMESPACE) return `${name}:${tag}`;
    if (registry === OLLAMA_DEFAULT_REGISTRY) return `${namespace}/${name}:${tag}`;
    return `${registry}/${namespace}/${name}:${tag}`;
}

export async function readOllama(root: string, onEntry?: () => void): Promise<LayoutResult> {
    const files: FoundFile[] = [];
    const notes: string[] = [];
    const manifests = path.join(root, "manifests");
    for (const registry of await listDir(manifests)) {
        for (const namespace of await listDir(path.join(manifests, registry))) {
            for (const name of await listDir(path.join(manifests, registry, namespace))) {
                for (const tag of await listDir(path.join(manifests, registry, namespace, name))) {
                    onEntry?.();
                    const manifestPath = path.join(manifests, registry, namespace, name, tag);
                    const shown = ollamaTag(registry, namespace, name, tag);
                    let manifest: OllamaManifest;
                    try {
                        manifest = JSON.parse(await readFile(manifestPath, "utf8")) as OllamaManifest;
                    } catch (error) {
                        notes.push(
                            `Ollama model ${shown}: its manifest ${manifestPath} could not be read (${error instanceof SyntaxError ? "not JSON" : errorCode(error)})`
                        );
                        continue;
                    }
                    const layer = Array.isArray(manifest.layers) ? manifest.layers.find((l) => l?.mediaType === OLLAMA_MODEL_MEDIA_TYPE) : undefined;
                    const digest = typeof layer?.digest === "string" ? layer.digest : null;
                    if (digest == null || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
                        notes.push(`Ollama model ${shown}: its manifest names no model file (no ${OLLAMA_MODEL_MEDIA_TYPE} layer)`);
                        continue;
                    }
                    const blob = path.join(root, "blobs", digest.replace(":", "-"));
                    const exists = await stat(blob).then(
                        (info) => info.isFile(),
                        () => false
                    );
                    // A missing blob is still listed: the library says why it cannot be used.
                    if (!exists) notes.push(`Ollama model ${shown}: its model file ${blob} is missing`);
                    files.push({path: blob, displayName: shown, detail: path.basename(blob), blob: true});
                }
            }
        }
    }
    return {files, notes};
}
