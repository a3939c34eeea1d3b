/** A whole EngineStats for tests that build MessageStats by hand (every field typed, values plausible). */
import type {EngineStats} from "../../src-shared/index.ts";

export function sampleEngineStats(overrides: Partial<EngineStats> = {}): EngineStats {
    return {
        mode: "scd",
        generatedTokens: 64,
        expertCalls: 20,
        amateurCalls: 60,
        rounds: 20,
        draftedTokens: 60,
        acceptedTokens: 40,
        correctionTokens: 12,
        bonusTokens: 8,
        lookaheadRounds: 2,
        acceptanceRate: 40 / 60,
        meanAcceptedLength: 2,
        meanAcceptanceLength: 3,
        acceptanceByPosition: [0.8, 0.7, 0.5],
        timeToFirstTokenMs: 12,
        totalMs: 125,
        modelWaitMs: 120,
        tokensPerSecond: 512,
        promptTokens: 9,
        reusedPromptTokens: {expert: 0, amateur: 0},
        measuredSteps: {expert: {steps: 0, ms: 0}, cd: {steps: 0, ms: 0}},
        amateurFloorHits: 0,
        headTruncations: 0,
        residualFallbacks: 0,
        gammaHistogram: {"3": 20},
        fallbackTokens: 0,
        adaptivePick: null,
        sharedVocabularySize: 512,
        stopReason: "maxTokens",
        seed: 1,
        ...overrides
    };
}
