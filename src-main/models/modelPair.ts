/**
 * Loads an expert/amateur pair for decoding: checks both files and their compatibility before llama.cpp
 * sees them, then loads each model with one context and one sequence, explicit threads and GPU offload.
 */
import os from "node:os";
import type {LlamaContext, LlamaModel, Token as LlamaToken} from "node-llama-cpp";
import {ModelSequence} from "../engine/modelSequence.ts";
import {PairDecoder} from "../engine/pairDecoder.ts";
import type {TokenText} from "../engine/textAssembler.ts";
import {checkPairCompatibility, type CompatibilityReport} from "./compatibility.ts";
import {validateGgufFile, type GgufFile} from "./gguf/ggufReader.ts";
import {defaultThreadsPerModel, getRuntime, type GpuChoice} from "./llamaRuntime.ts";
import {tokenizerFacts} from "./tokenizerFacts.ts";

export type LoadPairOptions = {
    readonly expertPath: string;
    readonly amateurPath: string;
    /** llama.cpp threads per model context; default: half the cores. */
    readonly threads?: number;
    /** "auto" lets node-llama-cpp pick Metal, CUDA or Vulkan; false forces the CPU. */
    readonly gpu?: GpuChoice;
    /** Context size of each model, capped at the model's training context; default 2048. */
    readonly contextSize?: number;
    /** Head size K (see ModelSequence); default 64. K ≥ vocabulary size makes the math exact. */
    readonly topK?: number;
    /**
     * Flash attention off and an F32 KV cache: batched and single-token evaluation then agree to ~1e-5 in
     * log-probability (F16 cache: up to 3e-2), which exactness tests need. Slower and bigger.
     */
    readonly exactNumerics?: boolean;
};

export class IncompatiblePairError extends Error {
    constructor(readonly report: CompatibilityReport) {
        super(`these models cannot decode together: ${report.failures.map((f) => `${f.rule}: ${f.message}`).join("; ")}`);
    }
}

export type LoadedModel = {
    readonly file: GgufFile;
    readonly model: LlamaModel;
    readonly context: LlamaContext;
    readonly sequence: ModelSequence;
};

export class ModelPair {
    readonly decoder: PairDecoder;

    constructor(readonly expert: LoadedModel, readonly amateur: LoadedModel, readonly threads: number, sideBySide: boolean) {
        this.decoder = new PairDecoder(expert.sequence, amateur.sequence, modelTokenText(expert.model), sideBySide);
    }

    /** Expert's tokenizer: both models share it (checked at load). */
    get tokenizerModel(): LlamaModel {
        return this.expert.model;
    }

    async dispose(): Promise<void> {
        for (const {context, model} of [this.expert, this.amateur]) {
            await context.dispose();
            await model.dispose();
        }
    }
}

export function modelTokenText(model: LlamaModel): TokenText {
    return {
        detokenize: (tokens, precedingTokens) => model.detokenize(tokens as LlamaToken[], false, precedingTokens as LlamaToken[]),
        isEndOfGeneration: (token) => model.isEogToken(token as LlamaToken)
    };
}

/** Reads both GGUF headers and checks the pair; throws GgufError or IncompatiblePairError. */
export async function inspectPair(expertPath: string, amateurPath: string): Promise<{expert: GgufFile; amateur: GgufFile; report: CompatibilityReport}> {
    const [expert, amateur] = await Promise.all([validateGgufFile(expertPath), validateGgufFile(amateurPath)]);
    return {expert, amateur, report: checkPairCompatibility(tokenizerFacts(expert), tokenizerFacts(amateur))};
}

export async function loadModelPair(options: LoadPairOptions): Promise<ModelPair> {
    const {expert: expertFile, amateur: amateurFile, report} = await inspectPair(options.expertPath, options.amateurPath);
    if (!report.compatible) throw new IncompatiblePairError(report);
    const threads = options.threads ?? defaultThreadsPerModel();
    const llama = await getRuntime(options.gpu ?? "auto", threads * 2);
    const load = async (file: GgufFile): Promise<LoadedModel> => {
        const model = await llama.loadModel({modelPath: file.path, gpuLayers: "auto"});
        try {
            const contextSize = Math.min(options.contextSize ?? 2048, model.trainContextSize);
            const context = await model.createContext({
                contextSize,
                sequences: 1,
                threads,
                ...(options.exactNumerics
                    ? {flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32"} as const
                    : {})
            });
            const vocabularySize = tokenizerFacts(file).tokens.length;
            return {file, model, context, sequence: new ModelSequence(context.getSequence(), vocabularySize, options.topK ?? 64)};
        } catch (error) {
            await model.dispose();
            throw error;
        }
    };
    const expert = await load(expertFile);
    try {
        const amateur = await load(amateurFile);
        // Side by side only where both models' threads fit the CPU at once (or the GPU does the work).
        const sideBySide = llama.gpu !== false || 2 * threads <= os.availableParallelism();
        return new ModelPair(expert, amateur, threads, sideBySide);
    } catch (error) {
        await expert.context.dispose();
        await expert.model.dispose();
        throw error;
    }
}
