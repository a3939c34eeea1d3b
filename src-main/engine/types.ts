/** The decoder's public vocabulary: modes, options, streamed events and final statistics. */

export type Token = number;

import {decodeModeChoices, type EngineStats, type StopReasonName} from "../../src-shared/index.ts";
import type {Arm} from "./adaptive/controller.ts";

export const decodeModes = decodeModeChoices;
/**
 * scd: amateur drafts, expert verifies against the contrastive target.
 * sd: the same with β = 0, α = 0, so the target is the expert itself (plain speculative decoding).
 * cd: contrastive decoding without speculation: both models evaluate every token.
 * expert / amateur: one model alone.
 */
export type DecodeMode = (typeof decodeModes)[number];

export type DecodingParams = {
    readonly mode: DecodeMode;
    /** 0 is greedy. */
    readonly temperature: number;
    /** Plausibility cutoff α in [0, 1]. */
    readonly alpha: number;
    /** Contrast strength β ≥ 0. */
    readonly beta: number;
    /**
     * Draft length γ (scd and sd): an integer 1–64, or "auto": before each round the adaptive controller
     * (adaptive/, docs/adaptive.md) picks γ, the schedule, or a step of the non-speculative mode.
     */
    readonly gamma: number | "auto";
    readonly maxTokens: number;
    readonly seed: number;
};

/** Defaults and ranges: the option table (src-shared/options/optionTable.ts). */
export type GenerateOptions = Partial<Omit<DecodingParams, "seed">> & {
    /** Fixes the output; absent or null: a fresh seed, reported in stats.seed. */
    readonly seed?: number | null;
    /** Stop when the text contains one of these; the text is cut before it. */
    readonly stopStrings?: readonly string[];
    /** Stop on these tokens, besides the model's end-of-generation tokens. */
    readonly stopTokens?: readonly Token[];
    /**
     * Honoured between rounds and between prompt chunks (a long new prompt is evaluated in chunks of
     * PREFILL_CHUNK tokens), so Stop answers within about one round or chunk; the caches then hold a prefix
     * of the prompt and generated tokens, which the next call reuses.
     */
    readonly signal?: AbortSignal;
};

/**
 * Where a token came from. draft: an amateur draft the expert accepted. correction: drawn from the residual
 * after a rejected draft. bonus: drawn from the target after a fully accepted draft. direct: a
 * non-speculative step (cd, expert, amateur).
 */
export type TokenSource = "draft" | "correction" | "bonus" | "direct";

export type DecodeEvent =
    | {readonly kind: "token"; readonly token: Token; readonly source: TokenSource; readonly text: string}
    /** Text that was held back (an incomplete character or a possible stop-string start) and is now final. */
    | {readonly kind: "text"; readonly text: string};

export type StopReason = StopReasonName;

export type GenerationStats = {
    readonly mode: DecodeMode;
    readonly generatedTokens: number;
    readonly expertCalls: number;
    readonly amateurCalls: number;
    readonly rounds: number;
    readonly draftedTokens: number;
    readonly acceptedTokens: number;
    /** Tokens drawn from the residual after a rejected draft (one per rejection). */
    readonly correctionTokens: number;
    /** Tokens drawn after a fully accepted draft. */
    readonly bonusTokens: number;
    /** Rounds whose drafts the amateur had already drawn while the expert verified the round before. */
    readonly lookaheadRounds: number;
    /** accepted / drafted; null when nothing was drafted. */
    readonly acceptanceRate: number | null;
    /** Accepted draft tokens per speculative round; null outside scd/sd. */
    readonly meanAcceptedLength: number | null;
    /**
     * Mean acceptance length as llama.cpp's server and vLLM report it: tokens a verification round commits,
     * 1 + accepted drafts / verification rounds; null outside scd/sd or before a round.
     */
    readonly meanAcceptanceLength: number | null;
    /** Accepted / drafted at each draft position of a round (index 0: the first draft), over all rounds. */
    readonly acceptanceByPosition: readonly number[];
    readonly timeToFirstTokenMs: number | null;
    readonly totalMs: number;
    /** Of totalMs, the time the decoder spent waiting on llama.cpp; the rest is the engine's own work. */
    readonly modelWaitMs: number;
    /** generatedTokens over the whole call, prompt evaluation included. */
    readonly tokensPerSecond: number;
    readonly promptTokens: number;
    /** Prompt tokens found already in each model's KV cache. */
    readonly reusedPromptTokens: {readonly expert: number; readonly amateur: number};
    /**
     * Plain steps of the expert alone (mode expert, sd's fallback) and of cd (mode cd, scd's fallback) this
     * generation ran, and their wall time (call to committed token): the modes' own costs measured during the
     * answer, under the machine's load of that moment.
     */
    readonly measuredSteps: {readonly expert: StepTime; readonly cd: StepTime};
    /** See contrast.ts: top-K approximations that were hit. */
    readonly amateurFloorHits: number;
    readonly headTruncations: number;
    readonly residualFallbacks: number;
    /** Speculative rounds by the γ they ran with ({"4": rounds} for a fixed γ 4; {} outside scd/sd). */
    readonly gammaHistogram: Readonly<Record<string, number>>;
    /** Tokens from non-speculative steps that γ auto ran instead of speculating (0 for a fixed γ). */
    readonly fallbackTokens: number;
    /** γ auto: the round shape the controller settled on at the end (null for a fixed γ, or before it has one). */
    readonly adaptivePick: Arm | null;
    /**
     * Ids both models have (the smaller vocabulary), the only ids decoded: with vocabularies of different
     * sizes every mode decodes its target restricted to these ids (sd: the expert restricted to them).
     */
    readonly sharedVocabularySize: number;
    readonly stopReason: StopReason;
    /** The seed used (drawn when none was given). */
    readonly seed: number;
};

export type StepTime = {readonly steps: number; readonly ms: number};

export type GenerationResult = {
    readonly tokens: Token[];
    readonly text: string;
    readonly stats: GenerationStats;
};

// Keeps the engine's statistics and the contract's EngineStats in step: a key or type in one and not the other
// fails to compile (the app stores, shows and exports these, so they are typed end to end).
type _Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
type _StatsMatchContract = [Exclude<keyof GenerationStats, keyof EngineStats>, Exclude<keyof EngineStats, keyof GenerationStats>] extends [
    never,
    never
]
    ? _Same<GenerationStats, EngineStats>
    : never;
export const generationStatsMatchContract: _StatsMatchContract = true;
