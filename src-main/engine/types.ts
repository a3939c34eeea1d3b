/** The decoder's public vocabulary: modes, options, streamed events and final statistics. */

export type Token = number;

import {decodeModeChoices, type EngineStats, type EngineStepTime, type StopReasonName} from "../../src-shared/index.ts";

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

/**
 * The statistics of one generation: the contract's EngineStats (src-shared/contract/engineStats.ts, where every
 * field is explained), declared once there because the app stores, shows and exports them.
 */
export type GenerationStats = EngineStats;

export type StepTime = EngineStepTime;

export type GenerationResult = {
    readonly tokens: Token[];
    readonly text: string;
    readonly stats: GenerationStats;
};
