/**
 * Checks a parsed GGUF header for values llama.cpp asserts on (GGML_ASSERT aborts the whole process with
 * SIGABRT, which no try/catch can stop) or misreads, so such a file is refused with one sentence before
 * llama.cpp ever sees it. The rules follow llama.cpp's llama_model_base::load_hparams, the tensor shapes it
 * derives from them (a head size of 0 makes a tensor with a 0 dimension: GGML_ASSERT(ne >= 1)), and the norm
 * operators (GGML_ASSERT(eps >= 0), false for NaN). Values llama.cpp refuses with an exception of its own
 * (unknown architecture, missing tensors, wrong shapes) are left to it: loadModelPair reports its reason.
 * A token text listed twice in the vocabulary trips GGML_ASSERT(id_to_token.size() == token_to_id.size()) in
 * llama-vocab.cpp, and such a file paired with itself passes the pair check, so it is refused here too.
 */
import {GgufError} from "./gguf/ggufErrors.ts";
import type {GgufFile} from "./gguf/ggufFile.ts";
import {getArchitecture, getArray, getNumber, getStringArray, getValue} from "./gguf/ggufMetadata.ts";
import {ggmlTypeInfo} from "./gguf/ggufTypes.ts";
import {isGgufArray} from "./gguf/ggufValues.ts";

/** llama.cpp's LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS (src/llama-hparams.h). */
export const LLAMA_MAX_LAYERS = 512;
export const LLAMA_MAX_EXPERTS = 1024;
/** llama_model_n_ctx_train returns an int32: a larger context_length comes back negative. */
const MAX_CONTEXT_LENGTH = 2 ** 31 - 1;
/** The rope scaling names llama.cpp knows (any other one trips GGML_ASSERT). */
const ROPE_SCALING_TYPES = ["none", "linear", "yarn", "longrope"];

/** Every reason llama.cpp could not load `file` that its header shows; empty when none. */
export function loadProblems(file: GgufFile): string[] {
    const problems: string[] = [];
    const arch = getArchitecture(file);
    if (arch === undefined || arch === "") return ["general.architecture is missing, so llama.cpp cannot tell what kind of model it is"];
    const key = (suffix: string) => `${arch}.${suffix}`;
    const integer = (suffix: string): number | undefined => {
        const value = getNumber(file, key(suffix));
        return value === undefined || Number.isInteger(value) ? value : NaN;
    };

    const blocks = integer("block_count");
    // A missing key is llama.cpp's to report ("key not found", or the unknown architecture that explains it).
    if (blocks !== undefined && !(blocks >= 1 && blocks <= LLAMA_MAX_LAYERS))
        problems.push(`${key("block_count")} is ${blocks}; llama.cpp takes 1 to ${LLAMA_MAX_LAYERS} layers`);
    const embedding = integer("embedding_length");
    if (embedding !== undefined && !(embedding >= 1)) problems.push(`${key("embedding_length")} is ${embedding}`);
    const context = integer("context_length");
    if (context !== undefined && !(context >= 1 && context <= MAX_CONTEXT_LENGTH))
        problems.push(`${key("context_length")} is ${context}; llama.cpp reads 1 to ${MAX_CONTEXT_LENGTH}`);
    const nextn = integer("nextn_predict_layers");
    if (nextn !== undefined && blocks !== undefined && nextn > blocks)
        problems.push(`${key("nextn_predict_layers")} is ${nextn}, more than the ${blocks} layers`);

    problems.push(...expertProblems(file, key));
    if (blocks !== undefined && blocks >= 1 && blocks <= LLAMA_MAX_LAYERS && embedding !== undefined && embedding >= 1) {
        problems.push(...headProblems(file, key, blocks, embedding));
    }
    for (const [name, value] of file.metadata) {
        if (name.endsWith("epsilon") && typeof value === "number" && !(value >= 0 && Number.isFinite(value))) {
            problems.push(`${name} is ${value}; a norm's epsilon must be a finite number ≥ 0`);
        }
    }
    const scaling = getValue(file, key("rope.scaling.type"));
    if (typeof scaling === "string" && !ROPE_SCALING_TYPES.includes(scaling)) {
        problems.push(`${key("rope.scaling.type")} is "${scaling}"; llama.cpp knows ${ROPE_SCALING_TYPES.join(", ")}`);
    }
    const unknown = file.tensors.filter((t) => ggmlTypeInfo(t.type) === undefined);
    if (unknown.length > 0) {
        const others = unknown.length > 1 ? ` (and ${unknown.length - 1} more tensors)` : "";
        problems.push(`tensor ${unknown[0]!.name} has GGML type ${unknown[0]!.type}, which llama.cpp does not know${others}`);
    }
    const tokens = getStringArray(file, "tokenizer.ggml.tokens");
    if (tokens === undefined || tokens.length === 0) problems.push("it has no vocabulary (tokenizer.ggml.tokens is missing or empty)");
    else {
        const duplicate = firstDuplicate(tokens);
        if (duplicate != null) {
            problems.push(
                `its vocabulary lists the token ${JSON.stringify(tokens[duplicate.second])} twice (ids ${duplicate.first} and ${duplicate.second})`
            );
        }
    }
    return problems;
}

function firstDuplicate(tokens: readonly string[]): {first: number; second: number} | null {
    const seen = new Map<string, number>();
    for (let id = 0; id < tokens.length; id++) {
        const first = seen.get(tokens[id]!);
        if (first !== undefined) return {first, second: id};
        seen.set(tokens[id]!, id);
    }
    return null;
}

/** Throws a GgufError (kind "unloadable") naming the file and its first problem. */
export function checkLoadable(file: GgufFile): void {
    const problems = loadProblems(file);
    if (problems.length === 0) return;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
    throw new GgufError("unloadable", file.path, `${file.path}: llama.cpp cannot load this model: ${problems[0]}${more}`);
}

function expertProblems(file: GgufFile, key: (suffix: string) => string): string[] {
    const experts = getNumber(file, key("expert_count")) ?? 0;
    const usedValues = perLayer(file, key("expert_used_count"));
    const used = usedValues.length === 0 ? 0 : Math.max(...usedValues);
    const groups = getNumber(file, key("expert_group_count")) ?? 0;
    if (experts > LLAMA_MAX_EXPERTS) return [`${key("expert_count")} is ${experts}; llama.cpp takes at most ${LLAMA_MAX_EXPERTS}`];
    if (used > experts) return [`${key("expert_used_count")} is ${used}, more than the ${experts} experts`];
    if (experts > 0 && used === 0) return [`${key("expert_count")} is ${experts} but ${key("expert_used_count")} is 0`];
    if (experts > 0 && groups >= experts) return [`${key("expert_group_count")} is ${groups}, not fewer than the ${experts} experts`];
    if (experts === 0 && groups !== 0) return [`${key("expert_group_count")} is ${groups} in a model without experts`];
    return [];
}

/**
 * Attention heads: every layer that has attention tensors needs at least one head and one KV head, and heads
 * of at least one dimension (embedding_length / head_count, unless attention.key_length sets it).
 */
function headProblems(file: GgufFile, key: (suffix: string) => string, blocks: number, embedding: number): string[] {
    const heads = perLayer(file, key("attention.head_count"));
    const kvGiven = getValue(file, key("attention.head_count_kv")) !== undefined;
    const kvHeads = kvGiven ? perLayer(file, key("attention.head_count_kv")) : heads;
    const keyLength = getNumber(file, key("attention.key_length"));
    const at = (values: number[], layer: number) => (values.length === 1 ? values[0]! : values[layer]);
    for (let layer = 0; layer < blocks; layer++) {
        const prefix = `blk.${layer}.attn_`;
        const hasAttention = file.tensors.some((t) => t.name.startsWith(`${prefix}q`) || t.name.startsWith(`${prefix}k`));
        if (!hasAttention) continue;
        const where = heads.length === 1 ? "" : ` for layer ${layer}`;
        const head = at(heads, layer);
        if (head === undefined || !(head >= 1))
            return [`${key("attention.head_count")} is ${head ?? "missing"}${where}, but the layer has attention weights`];
        const kvHead = at(kvHeads, layer);
        if (kvHead === undefined || !(kvHead >= 1))
            return [`${key("attention.head_count_kv")} is ${kvHead ?? "missing"}${where}, but the layer has attention weights`];
        if (keyLength === undefined && Math.floor(embedding / head) < 1) {
            return [
                `${key("attention.head_count")} is ${head}, more than ${key("embedding_length")} ${embedding}, so each head would have 0 dimensions`
            ];
        }
    }
    return [];
}

/** A scalar or per-layer integer key as a list (one item for a scalar; empty when absent). */
function perLayer(file: GgufFile, name: string): number[] {
    const value = getValue(file, name);
    if (value === undefined) return [];
    if (isGgufArray(value)) {
        const array = getArray(file, name)!;
        return Array.from(array.items as ArrayLike<number | bigint>, Number);
    }
    const number = getNumber(file, name);
    return number === undefined ? [] : [number];
}
