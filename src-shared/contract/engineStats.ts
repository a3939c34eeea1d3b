/**
 * The engine's statistics of one generation, as the decoder reports them (the engine's GenerationStats is this
 * type) and as they cross the contract: stored with each answer, shown in the footer, exported.
 */
import type {decodeModeChoices} from "../options/optionTable.ts";

/** Why a generation ended: an end-of-generation token, a stop string, max tokens, Stop, or a full context. */
export type StopReasonName = "eogToken" | "stopString" | "maxTokens" | "abort" | "contextFull";

/** γ auto's round shape: a speculative round of γ drafts, or the non-speculative mode's step. */
export type EngineArm =
    {readonly kind: "speculate"; readonly gamma: number; readonly sideBySide: boolean} | {readonly kind: "fallback"; readonly sideBySide: boolean};

/** Plain steps a generation ran and their wall time (call to committed token). */
export type EngineStepTime = {readonly steps: number; readonly ms: number};

export type EngineStats = {
    readonly mode: (typeof decodeModeChoices)[number];
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
    readonly measuredSteps: {readonly expert: EngineStepTime; readonly cd: EngineStepTime};
    /** See contrast.ts: top-K approximations that were hit. */
    readonly amateurFloorHits: number;
    readonly headTruncations: number;
    readonly residualFallbacks: number;
    /** Speculative rounds by the γ they ran with ({"4": rounds} for a fixed γ 4; {} outside scd/sd). */
    readonly gammaHistogram: Readonly<Record<string, number>>;
    /** Tokens from non-speculative steps that γ auto ran instead of speculating (0 for a fixed γ). */
    readonly fallbackTokens: number;
    /** γ auto: the round shape the controller settled on at the end (null for a fixed γ, or before it has one). */
    readonly adaptivePick: EngineArm | null;
    /**
     * Ids both models have (the smaller vocabulary), the only ids decoded: with vocabularies of different
     * sizes every mode decodes its target restricted to these ids (sd: the expert restricted to them).
     */
    readonly sharedVocabularySize: number;
    readonly stopReason: StopReasonName;
    /** The seed used (drawn when none was given). */
    readonly seed: number;
};
