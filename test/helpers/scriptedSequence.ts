/**
 * A scripted stand-in for one model's KV cache (DecoderSequence), for decoder tests that must reach branches
 * no real model reaches on demand: a cache that fills at a chosen token, a call that fails, a call that is
 * slow, an abort in the middle of a prompt. Its "model" is a pure function from the token prefix to a
 * distribution over a small vocabulary, so its heads are exactly reproducible. It checks what llama.cpp
 * would: no id outside its vocabulary, no overflow of its capacity, and (what llama.cpp cannot check) no
 * call while another call on the same cache is still running.
 */
import {setTimeout as sleep} from "node:timers/promises";
import {headFromArrays, type Head} from "../../src-main/engine/math/head.ts";
import type {DecoderSequence} from "../../src-main/engine/sequence.ts";
import type {TokenText} from "../../src-main/engine/textAssembler.ts";

/** Next-token probabilities over ids 0..n-1 after a prefix. */
export type ScriptedModel = (prefix: readonly number[]) => number[];

/** A deterministic model over `size` ids: probabilities hashed from the last two tokens and a salt. */
export function hashedModel(size: number, salt: number, sharpness = 3): ScriptedModel {
    return (prefix) => {
        const a = prefix[prefix.length - 1] ?? 0;
        const b = prefix[prefix.length - 2] ?? 0;
        const weights = Array.from({length: size}, (_, id) => Math.exp(sharpness * unitHash(a * 7919 + b * 104729 + id * 31 + salt * 1299709)));
        const total = weights.reduce((x, y) => x + y, 0);
        return weights.map((w) => w / total);
    };
}

function unitHash(n: number): number {
    let x = (n ^ 0x9e3779b9) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

export type ScriptedOptions = {
    readonly capacity?: number;
    /** Ids the model has; defaults to what the model function returns. */
    readonly vocabularySize?: number;
    /** Milliseconds each evaluation takes (a real wait, so other work interleaves). */
    readonly delayMs?: number;
    /** Called before each evaluation with its call number (1-based) and tokens; throw to make it fail. */
    readonly beforeEvaluate?: (call: number, tokens: readonly number[]) => void;
};

export class ScriptedSequence implements DecoderSequence {
    calls = 0;
    readonly tokens: number[] = [];
    /** Tokens evaluated over the sequence's life (prompt chunks included). */
    evaluatedTokens = 0;
    readonly capacity: number;
    readonly vocabularySize: number;
    /** Operations started while another was still running on this cache (must stay 0). */
    overlaps = 0;
    private running = 0;

    constructor(
        private readonly model: ScriptedModel,
        private readonly options: ScriptedOptions = {}
    ) {
        this.capacity = options.capacity ?? 1000;
        this.vocabularySize = options.vocabularySize ?? model([]).length;
    }

    get length(): number {
        return this.tokens.length;
    }

    get cachedTokens(): readonly number[] {
        return this.tokens;
    }

    /** True while an evaluation or truncation is running. */
    get busy(): boolean {
        return this.running > 0;
    }

    async evaluate(tokens: readonly number[], headCount: number): Promise<Head[]> {
        if (tokens.length === 0) return [];
        return this.exclusive(async () => {
            this.calls++;
            this.options.beforeEvaluate?.(this.calls, tokens);
            for (const token of tokens) {
                if (!(Number.isInteger(token) && token >= 0 && token < this.vocabularySize)) throw new Error(`invalid token ${token}`);
            }
            if (this.tokens.length + tokens.length > this.capacity) throw new Error("the scripted cache overflowed");
            if (this.options.delayMs != null) await sleep(this.options.delayMs);
            const heads: Head[] = [];
            for (let i = 0; i < tokens.length; i++) {
                this.tokens.push(tokens[i]!);
                if (i >= tokens.length - headCount) heads.push(this.headAfter(this.tokens));
            }
            this.evaluatedTokens += tokens.length;
            return heads;
        });
    }

    async truncate(length: number): Promise<void> {
        await this.exclusive(async () => {
            if (length < this.tokens.length) this.tokens.length = length;
        });
    }

    /** The head the model gives after `prefix` over its own ids (renormalised when the model function has more). */
    headAfter(prefix: readonly number[]): Head {
        const probabilities = this.model(prefix).slice(0, this.vocabularySize);
        const total = probabilities.reduce((a, b) => a + b, 0);
        return headFromArrays(
            probabilities.map((_, id) => id),
            probabilities.map((p) => p / total)
        );
    }

    private async exclusive<T>(work: () => Promise<T>): Promise<T> {
        if (this.running > 0) this.overlaps++;
        this.running++;
        try {
            return await work();
        } finally {
            this.running--;
        }
    }
}

/** Token text for scripted ids: id n is the letter n of the alphabet (wrapping), END_TOKEN ends generation. */
export function scriptedTokenText(endToken = -1): TokenText {
    const letter = (id: number) => String.fromCharCode(97 + (id % 26));
    return {
        detokenize: (tokens) => tokens.map(letter).join(""),
        isEndOfGeneration: (token) => token === endToken,
        tokenize: (text) => [...text].map((c) => c.charCodeAt(0) - 97)
    };
}
