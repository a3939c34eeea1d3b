/**
 * The engine's statistics of one generation as they cross the contract (stored with each answer, shown in the
 * footer, exported). The engine's own GenerationStats (src-main/engine/types.ts) must have exactly these keys
 * and types: a compile-time check there fails when the two part.
 */
import type {decodeModeChoices} from "../options/optionTable.ts";

/** Why a generation ended: an end-of-generation token, a stop string, max tokens, Stop, or a full context. */
export type StopReasonName = "eogToken" | "stopString" | "maxTokens" | "abort" | "contextFull";

/** γ auto's round shape: a speculative round of γ drafts, or the non-speculative mode's step. */
export type EngineArm =
    {readonly kind: "speculate"; readonly gamma: number; readonly sideBySide: boolean} | {readonly kind: "fallback"; readonly sideBySide: boolean};

export type EngineStats = {
    readonly mode: (typeof decodeModeChoices)[number];
    readonly generatedTokens: number;
    readonly expertCalls: number;
    readonly amateurCalls: number;
    readonly rounds: number;
    readonly draftedTokens: number;
    readonly acceptedTokens: number;
    readonly correctionTokens: number;
    readonly bonusTokens: number;
    readonly lookaheadRounds: number;
    readonly acceptanceRate: number | null;
    readonly meanAcceptedLength: number | null;
    readonly meanAcceptanceLength: number | null;
    readonly acceptanceByPosition: readonly number[];
    readonly timeToFirstTokenMs: number | null;
    readonly totalMs: number;
    readonly modelWaitMs: number;
    readonly tokensPerSecond: number;
    readonly promptTokens: number;
    readonly reusedPromptTokens: {readonly expert: number; readonly amateur: number};
    readonly measuredSteps: {
        readonly expert: {readonly steps: number; readonly ms: number};
        readonly cd: {readonly steps: number; readonly ms: number};
    };
    readonly amateurFloorHits: number;
    readonly headTruncations: number;
    readonly residualFallbacks: number;
    readonly gammaHistogram: Readonly<Record<string, number>>;
    readonly fallbackTokens: number;
    readonly adaptivePick: EngineArm | null;
    readonly sharedVocabularySize: number;
    readonly stopReason: StopReasonName;
    readonly seed: number;
};
