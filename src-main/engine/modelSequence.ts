/**
 * One model's context sequence (its KV cache) as the decoder needs it (DecoderSequence): append tokens and
 * read the heads of the last positions in one batched call, cut the cache back. This is the only place the
 * decoder touches llama.cpp.
 *
 * Heads hold only ids below the pair's shared vocabulary size (the smaller of the two models'): ids past it
 * exist in one model only and must never be drafted, committed or fed to the other. They are dropped here,
 * before any proposal or target is formed, so decoding is exact for the target restricted to the shared ids.
 */
import type {ControlledEvaluateInputItem, LlamaContextSequence, Token as LlamaToken} from "node-llama-cpp";
import type {Token} from "./types.ts";
import {headFromProbabilities, restrictHead, type Head} from "./math/head.ts";
import type {CacheLock} from "./cacheLock.ts";
import {reusePrefix, type DecoderSequence} from "./sequence.ts";

export class ModelSequence implements DecoderSequence {
    /** Number of batched evaluation calls made so far (the decoder's "model calls"). */
    calls = 0;
    private readonly headRequest: NonNullable<Extract<ControlledEvaluateInputItem, readonly unknown[]>[1]["generateNext"]>;
    private readonly completeHeads: boolean;

    /**
     * @param modelVocabularySize ids the model itself has
     * @param topK heads hold the top K shared ids (renormalised; ~1 ms a position); K ≥ the shared vocabulary
     *   size reads the whole vocabulary instead (exact, ~0.6 µs a vocabulary entry a position)
     * @param vocabularySize the ids heads may hold and the decoder may feed: the pair's shared vocabulary
     * @param lock when given, every evaluation and truncation must happen while it is held
     * @param label names the model in errors (its file)
     */
    constructor(
        private readonly sequence: LlamaContextSequence,
        readonly modelVocabularySize: number,
        readonly topK: number,
        readonly vocabularySize: number = modelVocabularySize,
        private readonly lock: CacheLock | null = null,
        readonly label = "the model"
    ) {
        if (vocabularySize > modelVocabularySize)
            throw new RangeError(`the shared vocabulary (${vocabularySize}) exceeds the model's (${modelVocabularySize})`);
        this.completeHeads = topK >= vocabularySize;
        // Ask for K plus the ids past the shared vocabulary, so K shared ids remain after those are dropped.
        const requested = topK + (modelVocabularySize - vocabularySize);
        this.headRequest =
            this.completeHeads || requested >= modelVocabularySize
                ? {probabilities: true}
                : {probabilities: true, options: {temperature: 1, topK: requested, topP: 1, minP: 0}};
        if (vocabularySize === modelVocabularySize) this.evaluateArgmax = (tokens) => this.argmaxStep(tokens);
    }

    /** Another view of the same cache (same lock) whose heads hold `topK` tokens. */
    withTopK(topK: number): ModelSequence {
        return new ModelSequence(this.sequence, this.modelVocabularySize, topK, this.vocabularySize, this.lock, this.label);
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
        this.lock?.assertHeld("evaluate");
        if (tokens.length === 0) return [];
        if (headCount > tokens.length) throw new Error("more heads asked for than tokens evaluated");
        this.checkTokens(tokens);
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
            const head = headFromProbabilities(probabilities, this.completeHeads);
            // NaN logits (damaged weights) leave no finite probability: say so instead of failing later in the math.
            if (!head.logProbs.some(Number.isFinite)) {
                throw new ModelOutputError(
                    `${this.label}: the model's output is not a number (NaN) at position ${this.length - tokens.length + i}; its weights are damaged`
                );
            }
            heads.push(restrictHead(head, this.vocabularySize, this.topK));
        }
        return heads;
    }

    /**
     * Greedy token-only step: llama.cpp picks the argmax itself and no head is read (on tiny models reading the
     * head costs about as much as the evaluation). Only where the model's ids are the shared ones: otherwise
     * its argmax could be an id the other model lacks, and the decoder reads a restricted head instead.
     */
    readonly evaluateArgmax?: (tokens: readonly Token[]) => Promise<Token>;

    private async argmaxStep(tokens: readonly Token[]): Promise<Token> {
        this.lock?.assertHeld("evaluate");
        if (tokens.length === 0) throw new Error("a token-only step needs at least one token to evaluate");
        this.checkTokens(tokens);
        const input: ControlledEvaluateInputItem[] = (tokens as readonly LlamaToken[]).map((token, i) =>
            i < tokens.length - 1 ? token : [token, {generateNext: {token: true, options: {temperature: 0}}}]
        );
        this.calls++;
        const results = await this.sequence.controlledEvaluate(input, {contextShift: {strategy: refuseContextShift}});
        const token = results[tokens.length - 1]?.next.token;
        if (token == null) throw new Error(`llama.cpp returned no token for position ${tokens.length - 1}`);
        return token;
    }

    private checkTokens(tokens: readonly Token[]): void {
        for (const token of tokens) {
            if (!(Number.isInteger(token) && token >= 0 && token < this.vocabularySize)) {
                throw new RangeError(`token id ${token} is outside the pair's shared vocabulary (0 to ${this.vocabularySize - 1})`);
            }
        }
    }

    /** Drops cached tokens from `length` on. */
    async truncate(length: number): Promise<void> {
        this.lock?.assertHeld("truncate");
        const end = this.sequence.nextTokenIndex;
        if (length < end) await this.sequence.eraseContextTokenRanges([{start: length, end}]);
    }

    /** See reusePrefix in sequence.ts. */
    reusePrefix(prompt: readonly Token[]): Promise<{reused: number; pending: Token[]}> {
        return reusePrefix(this, prompt);
    }
}

/** A model produced no usable probabilities (NaN logits: damaged weights). */
export class ModelOutputError extends Error {}

/** The decoder never lets a cache overflow; if it ever would, fail loudly rather than drop tokens. */
function refuseContextShift(): never {
    throw new Error("the context is full (internal error: the decoder should have stopped before this)");
}
