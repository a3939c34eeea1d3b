/**
 * What a model file is, from its header, before anything loads it.
 *
 * Where each fact comes from:
 * - node-llama-cpp's `readGgufFileInfo` (it reads every part of a split model and splices them): name,
 *   architecture, size label, file type (quantization), training context, chat template, layer count, and the
 *   tensor shapes the parameter count is summed from.
 * - The project's own reader (models/header): the checks that say why a file cannot be used, in words:
 *   not a GGUF, truncated (node-llama-cpp's reader does not check that the tensor data is in the file),
 *   damaged header, and the preflight of values llama.cpp would abort on; and the tokenizer facts the pair
 *   rules compare (token texts, BOS/EOS, add-BOS, vocabulary type and size).
 */
import {stat} from "node:fs/promises";
import path from "node:path";
import {
    getArchitecture,
    getNumber,
    getValue,
    loadProblems,
    readGguf,
    tokenizerFacts,
    type GgufFile,
    type TokenizerFacts
} from "../models/header/index.ts";
import type {ModelFacts} from "./contractTypes.ts";
import {nodeLlamaCpp} from "./llamaPackage.ts";
import type {ModelFileGroup} from "./splitParts.ts";

export type DescribedModel = {
    readonly sizeBytes: number;
    readonly facts?: ModelFacts;
    /** Kept in memory for the pair rules (never sent to the UI: a vocabulary can hold 150k tokens). */
    readonly tokenizer?: TokenizerFacts;
    /** What the memory estimate needs (see fitEstimate.ts). */
    readonly memory?: MemoryFacts;
    readonly problem?: string;
};

/** From the header, for the memory estimate: the weights' bytes and the KV cache's bytes per token of context (F16). */
export type MemoryFacts = {
    readonly weightsBytes: number;
    readonly kvBytesPerToken: number;
    readonly vocabularySize: number;
    readonly trainingContext: number | null;
};

/** "292.8K", "1.5B": the way model sizes are usually written. */
export function formatParameterCount(count: number): string {
    const units: [number, string][] = [
        [1e12, "T"],
        [1e9, "B"],
        [1e6, "M"],
        [1e3, "K"]
    ];
    for (const [scale, unit] of units) {
        if (count >= scale) {
            const value = count / scale;
            return `${value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, "")}${unit}`;
        }
    }
    return String(count);
}

/** "MOSTLY_Q4_K_M" → "Q4_K_M", "ALL_F32" → "F32". */
export function quantizationName(fileTypeName: string): string {
    return fileTypeName.replace(/^(MOSTLY|ALL)_/, "");
}

async function totalSize(parts: readonly string[]): Promise<number> {
    let total = 0;
    for (const part of parts)
        total += await stat(part).then(
            (info) => info.size,
            () => 0
        );
    return total;
}

/** The reader's message with the full path shortened to the file name (the row already says where it is). */
function shortened(message: string, parts: readonly string[]): string {
    let text = message;
    for (const part of parts) text = text.split(part).join(path.basename(part));
    return text;
}

/** Reads and checks a model (all of its parts); never throws: a file that cannot be used comes back with `problem`. */
export async function describeModel(group: ModelFileGroup): Promise<DescribedModel> {
    const sizeBytes = await totalSize(group.parts);
    if (group.missingParts.length > 0) {
        const missing = group.missingParts.map((part) => path.basename(group.parts[part - 1]!));
        return {
            sizeBytes,
            problem:
                `split model with ${group.parts.length} parts: ${missing.length === 1 ? "part" : "parts"} ${group.missingParts.join(", ")} ` +
                `${missing.length === 1 ? "is" : "are"} missing (${missing.join(", ")})`
        };
    }

    let first: GgufFile;
    let weightsBytes = 0;
    try {
        first = await readGguf(group.path);
        weightsBytes += first.fileSize - first.dataOffset;
        for (const part of group.parts.slice(1)) {
            const read = await readGguf(part);
            weightsBytes += read.fileSize - read.dataOffset;
        }
    } catch (error) {
        return {sizeBytes, problem: shortened(error instanceof Error ? error.message : String(error), group.parts)};
    }
    const problems = loadProblems(first);
    if (problems.length > 0) {
        const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
        return {sizeBytes, problem: `llama.cpp cannot load this model: ${problems[0]}${more}`};
    }
    const tokenizer = tokenizerFacts(first);

    let facts: ModelFacts;
    try {
        facts = await headerFacts(group.path, tokenizer);
    } catch (error) {
        return {sizeBytes, problem: `its header could not be read: ${error instanceof Error ? error.message : String(error)}`};
    }
    return {sizeBytes, facts, tokenizer, memory: memoryFacts(first, weightsBytes, facts)};
}

/** Largest value of a scalar or per-layer key. */
function largest(file: GgufFile, key: string): number | undefined {
    const value = getValue(file, key);
    if (typeof value === "object" && value != null && "items" in value) {
        let max: number | undefined;
        for (const item of Array.from(value.items as ArrayLike<number | bigint>, Number)) max = max == null || item > max ? item : max;
        return max;
    }
    return getNumber(file, key);
}

function memoryFacts(file: GgufFile, weightsBytes: number, facts: ModelFacts): MemoryFacts {
    const arch = getArchitecture(file) ?? "";
    const layers = getNumber(file, `${arch}.block_count`) ?? 0;
    const embedding = getNumber(file, `${arch}.embedding_length`) ?? 0;
    const heads = largest(file, `${arch}.attention.head_count`) ?? 0;
    const kvHeads = largest(file, `${arch}.attention.head_count_kv`) ?? heads;
    const keyLength = getNumber(file, `${arch}.attention.key_length`) ?? (heads > 0 ? Math.floor(embedding / heads) : 0);
    const valueLength = getNumber(file, `${arch}.attention.value_length`) ?? keyLength;
    // K and V, F16 (2 bytes) each, for every layer.
    const kvBytesPerToken = layers * kvHeads * (keyLength + valueLength) * 2;
    return {weightsBytes, kvBytesPerToken, vocabularySize: facts.vocabularySize, trainingContext: facts.trainingContext};
}

async function headerFacts(file: string, tokenizer: TokenizerFacts): Promise<ModelFacts> {
    const {readGgufFileInfo, GgufFileType} = await nodeLlamaCpp();
    const info = await readGgufFileInfo(file, {logWarnings: false});
    const general = info.metadata.general;
    const architecture = String(general.architecture ?? "");
    const archMetadata = (info.architectureMetadata ?? {}) as {context_length?: number; block_count?: number};
    let parameterCount = 0;
    for (const tensor of info.fullTensorInfo ?? []) {
        parameterCount += tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    }
    const fileType = general.file_type;
    const quantization =
        fileType != null && GgufFileType[fileType] != null
            ? quantizationName(GgufFileType[fileType])
            : mostCommonTensorType(info.fullTensorInfo ?? []);
    const template = (info.metadata.tokenizer as {chat_template?: unknown} | undefined)?.chat_template;
    const name = typeof general.name === "string" && general.name.trim() !== "" ? general.name : undefined;
    const sizeLabel =
        typeof general.size_label === "string" && general.size_label.trim() !== "" ? general.size_label : formatParameterCount(parameterCount);
    return {
        ...(name != null ? {name} : {}),
        architecture,
        parameterCount,
        sizeLabel,
        quantization,
        vocabularyType: tokenizer.vocabularyType,
        vocabularySize: tokenizer.tokens.length,
        trainingContext: typeof archMetadata.context_length === "number" ? archMetadata.context_length : null,
        chatTemplate: typeof template === "string" && template.trim() !== "",
        layers: typeof archMetadata.block_count === "number" ? archMetadata.block_count : null
    };
}

/** GGML type names by id, for the rare file without general.file_type (the common ones only). */
const GGML_TYPE_NAMES: Record<number, string> = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    6: "Q5_0",
    7: "Q5_1",
    8: "Q8_0",
    10: "Q2_K",
    11: "Q3_K",
    12: "Q4_K",
    13: "Q5_K",
    14: "Q6_K",
    30: "BF16"
};

function mostCommonTensorType(tensors: readonly {ggmlType: number; dimensions: readonly (number | bigint)[]}[]): string {
    const weight = new Map<number, number>();
    for (const tensor of tensors) {
        const size = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
        weight.set(tensor.ggmlType, (weight.get(tensor.ggmlType) ?? 0) + size);
    }
    let best: number | null = null;
    for (const [type, size] of weight) if (best == null || size > weight.get(best)!) best = type;
    return best == null ? "unknown" : (GGML_TYPE_NAMES[best] ?? `type ${best}`);
}
