/**
 * The models the user can pick from: the built-in demo pair first, then every *.gguf file directly inside
 * each models folder, each described from its GGUF header (architecture, vocabulary size, size label). A
 * file that cannot be read is listed with its problem in words rather than left out.
 */
import {readdir, realpath, stat} from "node:fs/promises";
import path from "node:path";
import type {ModelEntry, ModelSource, PairRef} from "../../src-shared/index.ts";
import {getArchitecture, getString, getStringArray, readGguf} from "../models/header/index.ts";

/** The demo pair's files in the demo folder (resources/models/): the story model and its 4-block early exit. */
export const DEMO_EXPERT_FILE = "stories260K.gguf";
export const DEMO_AMATEUR_FILE = "stories260K-L4-earlyexit.gguf";

export function demoPair(demoModelsDir: string): PairRef {
    return {expertPath: path.resolve(demoModelsDir, DEMO_EXPERT_FILE), amateurPath: path.resolve(demoModelsDir, DEMO_AMATEUR_FILE)};
}

export async function describeModel(file: string, source: ModelSource): Promise<ModelEntry> {
    const base = {path: file, fileName: path.basename(file), source};
    try {
        const gguf = await readGguf(file);
        const architecture = getArchitecture(gguf);
        const sizeLabel = getString(gguf, "general.size_label");
        return {
            ...base,
            sizeBytes: gguf.fileSize,
            ...(architecture != null ? {architecture} : {}),
            vocabularySize: getStringArray(gguf, "tokenizer.ggml.tokens")?.length ?? 0,
            ...(sizeLabel != null ? {parameterLabel: sizeLabel} : {})
        };
    } catch (error) {
        const sizeBytes = await stat(file).then(
            (info) => info.size,
            () => 0
        );
        return {...base, sizeBytes, problem: error instanceof Error ? error.message : String(error)};
    }
}

/** *.gguf files directly inside `dir`, sorted by name; a folder that does not exist holds none. */
async function ggufFiles(dir: string): Promise<string[]> {
    let names: string[];
    try {
        names = await readdir(dir);
    } catch {
        return [];
    }
    return names
        .filter((name) => name.toLowerCase().endsWith(".gguf"))
        .sort()
        .map((name) => path.resolve(dir, name));
}

export async function listModels(demoModelsDir: string, modelsDirs: readonly string[]): Promise<ModelEntry[]> {
    const demo = demoPair(demoModelsDir);
    const entries: ModelEntry[] = [];
    const seen = new Set<string>();
    const add = async (file: string, source: ModelSource) => {
        const identity = await realpath(file).catch(() => file);
        if (seen.has(identity)) return;
        seen.add(identity);
        entries.push(await describeModel(file, source));
    };
    for (const file of [demo.expertPath, demo.amateurPath]) await add(file, "demo");
    for (const dir of modelsDirs) {
        for (const file of await ggufFiles(dir)) await add(file, "folder");
    }
    return entries;
}
