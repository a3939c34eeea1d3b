/**
 * Loads an expert/amateur pair for decoding: checks both files and their compatibility before llama.cpp
 * sees them, then loads each model with one context and one sequence, explicit threads and GPU offload.
 */
import os from "node:os";
import type {LlamaContext, LlamaModel, Token as LlamaToken} from "node-llama-cpp";
import {CacheLock, ModelSequence, PairDecoder, type TokenText} from "../../engine/index.ts";
import {IncompatiblePairError, inspectPair, type GgufFile, type InspectedModel} from "../header/index.ts";
import {defaultThreadsPerModel, getRuntime, loadLlamaModel, type GpuChoice} from "./llamaRuntime.ts";

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
    /** Load progress of the pair, 0 to 1 (the expert's file is the first half, the amateur's the second). */
    readonly onProgress?: (fraction: number) => void;
};

export type LoadedModel = {
    readonly file: GgufFile;
    readonly model: LlamaModel;
    readonly context: LlamaContext;
    readonly sequence: ModelSequence;
};

export class ModelPair {
    readonly decoder: PairDecoder;

    /** @param lock the lock both sequences check (every cache edit goes through the decoder) */
    constructor(
        readonly expert: LoadedModel,
        readonly amateur: LoadedModel,
        readonly threads: number,
        sideBySide: boolean,
        lock: CacheLock
    ) {
        this.decoder = new PairDecoder(expert.sequence, amateur.sequence, modelTokenText(expert.model), {sideBySide, lock});
    }

    /** Expert's tokenizer: both models share it (checked at load). */
    get tokenizerModel(): LlamaModel {
        return this.expert.model;
    }

    /** Empties both KV caches, so the next call evaluates its whole prompt; DecoderBusyError while generating. */
    clearCaches(): Promise<void> {
        return this.decoder.clearCaches();
    }

    /** Ids both models have (the smaller vocabulary): the only ids the decoder emits or feeds. */
    get sharedVocabularySize(): number {
        return this.decoder.vocabularySize;
    }

    async dispose(): Promise<void> {
        await disposeLoaded(this.expert);
        await disposeLoaded(this.amateur);
    }
}

async function disposeLoaded({context, model}: LoadedModel): Promise<void> {
    await context.dispose();
    await model.dispose();
}

export function modelTokenText(model: LlamaModel): TokenText {
    return {
        detokenize: (tokens, precedingTokens) => model.detokenize(tokens as LlamaToken[], false, precedingTokens as LlamaToken[]),
        isEndOfGeneration: (token) => model.isEogToken(token as LlamaToken),
        tokenize: (text, precedingTokens) => {
            // SentencePiece tokenizers prefix a space unless asked not to; which spelling is right depends on
            // the text, so the first that reads back as `text` after the preceding tokens wins.
            for (const tokens of [model.tokenize(text, false, "trimLeadingSpace"), model.tokenize(text, false)]) {
                if (model.detokenize(tokens, false, precedingTokens as LlamaToken[]) === text) return tokens as number[];
            }
            return null;
        }
    };
}

export async function loadModelPair(options: LoadPairOptions): Promise<ModelPair> {
    const {expert: expertInfo, amateur: amateurInfo, report} = await inspectPair(options.expertPath, options.amateurPath);
    if (!report.compatible) throw new IncompatiblePairError(report);
    const threads = options.threads ?? defaultThreadsPerModel();
    const llama = await getRuntime(options.gpu ?? "auto", threads * 2);
    // Vocabularies may differ by a few ids (the check allows 128): decode over the ids both have.
    const sharedVocabularySize = Math.min(expertInfo.tokenizer.tokens.length, amateurInfo.tokenizer.tokens.length);
    const lock = new CacheLock();
    const load = async ({file, tokenizer}: InspectedModel, progressBase: number): Promise<LoadedModel> => {
        const model = await loadLlamaModel(llama, {
            modelPath: file.path,
            gpuLayers: "auto",
            ...(options.onProgress != null ? {onLoadProgress: (loaded: number) => options.onProgress!(progressBase + loaded / 2)} : {})
        });
        try {
            const contextSize = Math.min(options.contextSize ?? 2048, model.trainContextSize);
            const context = await model.createContext({
                contextSize,
                sequences: 1,
                threads,
                ...(options.exactNumerics
                    ? ({flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32"} as const)
                    : {})
            });
            const sequence = new ModelSequence(
                context.getSequence(),
                tokenizer.tokens.length,
                options.topK ?? 64,
                sharedVocabularySize,
                lock,
                file.path
            );
            return {file, model, context, sequence};
        } catch (error) {
            await model.dispose();
            throw error;
        }
    };
    const expert = await load(expertInfo, 0);
    try {
        const amateur = await load(amateurInfo, 0.5);
        // Side by side only where both models' threads fit the CPU at once (or the GPU does the work).
        const sideBySide = llama.gpu !== false || 2 * threads <= os.availableParallelism();
        return new ModelPair(expert, amateur, threads, sideBySide, lock);
    } catch (error) {
        await disposeLoaded(expert);
        throw error;
    }
}
