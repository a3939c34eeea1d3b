/**
 * One model's context sequence (its KV cache) seen as the decoder needs it: append tokens and read the heads
 * of the last positions in one batched call, cut the cache back, and reuse a cached prompt prefix.
 * This is the only place the decoder touches llama.cpp.
 */
import type {ControlledEvaluateInputItem, LlamaContextSequence, Token as LlamaToken} from "node-llama-cpp";
import type {Token} from "./types.ts";
import {headFromProbabilities, type Head} from "./math/head.ts";

export class ModelSequence {
    /** Number of batched evaluation calls made so far (the decoder's "model calls"). */
    calls = 0;
    private readonly headRequest: NonNullable<Extract<ControlledEvaluateInputItem, readonly unknown[]>[1]["generateNext"]>;
    private readonly completeHeads: boolean;

    /**
     * @param topK heads hold the top K tokens (renormalised; ~1 ms a position); K ≥ the vocabulary size reads
     *   the whole vocabulary instead (exact, ~0.6 µs a vocabulary entry a position).
     */
    constructor(
        private readonly sequence: LlamaContextSequence,
        readonly vocabularySize: number,
        readonly topK: number
    ) {
        this.completeHeads = topK >= vocabularySize;
        this.headRequest = this.completeHeads
            ? {probabilities: true}
            : {probabilities: true, options: {temperature: 1, topK, topP: 1, minP: 0}};
    }

    /** Another view of the same cache whose heads hold `topK` tokens. */
    withTopK(topK: number): ModelSequence {
        return new ModelSequence(this.sequence, this.vocabularySize, topK);
    }

    /** Tokens in the KV cache. */
    get length(): number {
        return this.sequence.nextTokenIndex;
    }

    /**
     * Tokens the cache can hold: llama.cpp's context size less the one slot node-llama-cpp keeps free
     * (it would otherwise shift the context, silently dropping the oldest tokens).
     */
    get capacity(): number {
        return this.sequence.contextSize - 1;
    }

    get cachedTokens(): readonly Token[] {
        return this.sequence.contextTokens as readonly number[];
    }

    /** Appends `tokens` to the cache in one batch and returns the heads after each of the last `headCount`. */
    async evaluate(tokens: readonly Token[], headCount: number): Promise<Head[]> {
        if (tokens.length === 0) return [];
        if (headCount > tokens.length) throw new Error("more heads asked for than tokens evaluated");
        const firstHead = tokens.length - headCount;
        const input: ControlledEvaluateInputItem[] = (tokens as readonly LlamaToken[]).map((token, i) =>
            i < firstHead ? token : [token, {generateNext: this.headRequest}]
        );
        this.calls++;
        const results = await this.sequence.controlledEvaluate(input, {contextShift: {strategy: refuseContextShift}});
        const heads: Head[] = [];
        for (let i = firstHead; i < tokens.length; i++) {
            const probabilities = results[i]?.next.probabilities;
            if (probabilities == null) throw new Error(`llama.cpp returned no probabilities for position ${i}`);
            heads.push(headFromProbabilities(probabilities, this.completeHeads));
        }
        return heads;
    }

    /** Drops cached tokens from `length` on. */
    async truncate(length: number): Promise<void> {
        const end = this.sequence.nextTokenIndex;
        if (length < end) await this.sequence.eraseContextTokenRanges([{start: length, end}]);
    }

    /**
     * Keeps the longest cached prefix of `prompt` (all but its last token, whose head must be read fresh) and
     * returns the part still to evaluate.
     */
    async reusePrefix(prompt: readonly Token[]): Promise<{reused: number; pending: Token[]}> {
        const cached = this.cachedTokens;
        const limit = Math.min(cached.length, prompt.length - 1);
        let common = 0;
        while (common < limit && cached[common] === prompt[common]) common++;
        await this.truncate(common);
        return {reused: common, pending: prompt.slice(common)};
    }
}

/** The decoder never lets a cache overflow; if it ever would, fail loudly rather than drop tokens. */
function refuseContextShift(): never {
    throw new Error("the context is full (internal error: the decoder should have stopped before this)");
}
