/**
 * What the decoder needs from one model's KV cache, and nothing more: append tokens reading the heads of the
 * last positions in one batched call, cut the cache back, and see what it holds. ModelSequence is the
 * llama.cpp implementation; tests script fakes of it to reach branches no real model reaches on demand.
 */
import {restrictHead, type Head} from "./math/head.ts";
import type {Token} from "./types.ts";

export interface DecoderSequence {
    /** Batched evaluation calls made so far (the decoder's "model calls"). */
    readonly calls: number;
    /** Tokens in the KV cache. */
    readonly length: number;
    /** Most tokens the cache may hold. */
    readonly capacity: number;
    /** The tokens in the cache, oldest first. */
    readonly cachedTokens: readonly Token[];
    /** Ids below this are the ones the decoder may feed and its heads hold (a pair's shared vocabulary). */
    readonly vocabularySize: number;
    /** Appends `tokens` in one batch; returns the heads after each of the last `headCount` (0: none). */
    evaluate(tokens: readonly Token[], headCount: number): Promise<Head[]>;
    /** Drops cached tokens from `length` on. */
    truncate(length: number): Promise<void>;
    /**
     * Optional token-only step: appends `tokens` in one batch and returns the most likely next id (ties to the
     * lowest id), without reading a head; greedy steps that need no head (a model alone) use it where offered.
     */
    evaluateArgmax?(tokens: readonly Token[]): Promise<Token>;
}

/**
 * Keeps the longest cached prefix of `prompt` (all but its last token, whose head must be read fresh) and
 * returns the part still to evaluate.
 */
export async function reusePrefix(sequence: DecoderSequence, prompt: readonly Token[]): Promise<{reused: number; pending: Token[]}> {
    const cached = sequence.cachedTokens;
    const limit = Math.min(cached.length, prompt.length - 1);
    let common = 0;
    while (common < limit && cached[common] === prompt[common]) common++;
    await sequence.truncate(common);
    return {reused: common, pending: prompt.slice(common)};
}

/**
 * The sequence seen through the ids below `vocabularySize` only: its heads drop the ids past it (renormalised).
 * The decoder sees both models this way, so an id only one model has is never drafted, chosen or fed to the
 * other. ModelSequence already reads heads this way (asking llama.cpp for enough extra ids), so it passes
 * through unchanged.
 */
export function restrictedTo(sequence: DecoderSequence, vocabularySize: number): DecoderSequence {
    if (sequence.vocabularySize <= vocabularySize) return sequence;
    return {
        get calls() {
            return sequence.calls;
        },
        get length() {
            return sequence.length;
        },
        get capacity() {
            return sequence.capacity;
        },
        get cachedTokens() {
            return sequence.cachedTokens;
        },
        vocabularySize,
        evaluate: async (tokens, headCount) =>
            (await sequence.evaluate(tokens, headCount)).map((head) => restrictHead(head, vocabularySize, Infinity)),
        truncate: (length) => sequence.truncate(length)
    };
}
