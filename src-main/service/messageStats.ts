/**
 * The stats footer of an answer, from the engine's statistics and the calibration's measured curves. The
 * speedup is like for like: the answer's decoding (its tokens after the first) against what the expert alone
 * (and cd) measured over the same context positions on this machine (speedCurve.ts). Pure.
 */
import type {CostCurves, MessageStats, SpeedBaseline, Speedup} from "../../src-shared/index.ts";
import type {GenerationStats} from "../engine/index.ts";
import {decodedSpan, spanSpeedup, spanTokensPerSecond, type CostCurve} from "./speedCurve.ts";

export type AnswerFacts = {
    readonly promptTokens: number;
    readonly droppedTurns: number;
    readonly baseline: SpeedBaseline | null;
    /** The answer's temperature: greedy answers are compared with greedy curves, sampled ones with sampled. */
    readonly temperature: number;
    /** From Send to the first token the user saw (null: no token). */
    readonly sendToFirstTokenMs?: number | null;
    /** How long the answer waited for the pair to load (null: it was loaded). */
    readonly pairLoadMs?: number | null;
};

export function messageStats(stats: GenerationStats, facts: AnswerFacts): MessageStats {
    const usesExpert = stats.mode !== "amateur";
    const usesAmateur = stats.mode !== "expert";
    return {
        mode: stats.mode,
        generatedTokens: stats.generatedTokens,
        tokensPerSecond: stats.tokensPerSecond,
        timeToFirstTokenMs: stats.timeToFirstTokenMs,
        acceptanceRate: stats.acceptanceRate,
        meanAcceptedLength: stats.meanAcceptedLength,
        meanAcceptanceLength: stats.meanAcceptanceLength,
        acceptanceByPosition: stats.acceptanceByPosition,
        stopReason: stats.stopReason,
        totalMs: stats.totalMs,
        promptTokens: facts.promptTokens,
        reevaluatedTokens: {
            expert: usesExpert ? stats.promptTokens - stats.reusedPromptTokens.expert : null,
            amateur: usesAmateur ? stats.promptTokens - stats.reusedPromptTokens.amateur : null
        },
        droppedTurns: facts.droppedTurns,
        sendToFirstTokenMs: facts.sendToFirstTokenMs ?? null,
        pairLoadMs: facts.pairLoadMs ?? null,
        speedup: speedupOf(stats, facts),
        engine: {...stats}
    };
}

/** Measured against measured, over the same span of context: never a formula. Null without curves or a span. */
export function speedupOf(stats: GenerationStats, facts: AnswerFacts): Speedup | null {
    const {baseline} = facts;
    const curves = baseline?.curves;
    if (baseline == null || curves == null) return null;
    const span = decodedSpan(facts.promptTokens, stats.generatedTokens, stats.totalMs, stats.timeToFirstTokenMs);
    if (span == null) return null;
    const {expert, cd} = curvesFor(curves, facts.temperature);
    if (expert.length === 0) return null;
    const speculative = stats.mode === "scd" || stats.mode === "sd";
    return {
        ratio: spanSpeedup(expert, span),
        baseline,
        expertTokensPerSecond: spanTokensPerSecond(expert, span),
        spanTokensPerSecond: (span.tokens * 1000) / span.ms,
        versusCd: speculative && cd.length > 0 ? spanSpeedup(cd, span) : null,
        span: {from: span.from, tokens: span.tokens}
    };
}

function curvesFor(curves: CostCurves, temperature: number): {expert: CostCurve; cd: CostCurve} {
    return temperature === 0 ? {expert: curves.expertGreedy, cd: curves.cdGreedy} : {expert: curves.expertSampled, cd: curves.cdSampled};
}
