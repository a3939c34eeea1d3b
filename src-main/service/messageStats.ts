/** The stats footer of an answer, from the engine's statistics and the measured expert-alone baseline. Pure. */
import type {MessageStats, SpeedBaseline} from "../../src-shared/index.ts";
import type {GenerationStats} from "../engine/index.ts";

export function messageStats(stats: GenerationStats, promptTokens: number, droppedTurns: number, baseline: SpeedBaseline | null): MessageStats {
    return {
        mode: stats.mode,
        generatedTokens: stats.generatedTokens,
        tokensPerSecond: stats.tokensPerSecond,
        timeToFirstTokenMs: stats.timeToFirstTokenMs,
        acceptanceRate: stats.acceptanceRate,
        meanAcceptedLength: stats.meanAcceptedLength,
        stopReason: stats.stopReason,
        totalMs: stats.totalMs,
        promptTokens,
        droppedTurns,
        // Measured against measured: never a formula. No baseline yet (calibration pending or failed): null.
        speedup:
            baseline != null && baseline.expertTokensPerSecond > 0 && stats.generatedTokens > 0
                ? {ratio: stats.tokensPerSecond / baseline.expertTokensPerSecond, baseline}
                : null,
        engine: {...stats}
    };
}
