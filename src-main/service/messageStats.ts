/**
 * The stats footer of an answer, from the engine's statistics and the calibration's measured curves. The
 * speedup is like for like: the answer's decoding (its tokens after the first) against what the expert alone
 * (and cd) measured over the same context positions on this machine (speedCurve.ts). Pure.
 */
import type {CostCurves, MessageStats, SpeedBaseline, Speedup} from "../../src-shared/index.ts";
import type {GenerationStats} from "../engine/index.ts";
import {decodedSpan, spanMs, type CostCurve, type DecodedSpan} from "./speedCurve.ts";

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
    const expertMs = referenceMs(expert, stats.measuredSteps.expert, span);
    const cdMs = cd.length > 0 ? referenceMs(cd, stats.measuredSteps.cd, span) : null;
    return {
        ratio: expertMs.ms / span.ms,
        baseline,
        expertTokensPerSecond: (span.tokens * 1000) / expertMs.ms,
        spanTokensPerSecond: (span.tokens * 1000) / span.ms,
        versusCd: speculative && cdMs != null ? cdMs.ms / span.ms : null,
        span: {from: span.from, tokens: span.tokens},
        measuredDuringAnswer: expertMs.duringAnswer
    };
}

/** Plain steps of a mode the answer itself ran, enough to stand for that mode over its span (see referenceMs). */
export const MATCHED_STEPS = 16;

/**
 * What the curve's mode would have taken over the span. Where the answer itself ran at least MATCHED_STEPS plain
 * steps of that mode (mode expert; γ auto's fallback steps), their mean time over the span's tokens: measured in
 * the same seconds as the answer, under the same load, so a machine busy with other work moves both sides
 * alike. Otherwise the calibration's curve over the span's positions.
 */
function referenceMs(
    curve: CostCurve,
    measured: {readonly steps: number; readonly ms: number},
    span: DecodedSpan
): {ms: number; duringAnswer: boolean} {
    if (measured.steps >= MATCHED_STEPS) return {ms: (measured.ms / measured.steps) * span.tokens, duringAnswer: true};
    return {ms: spanMs(curve, span.from, span.tokens), duringAnswer: false};
}

function curvesFor(curves: CostCurves, temperature: number): {expert: CostCurve; cd: CostCurve} {
    return temperature === 0 ? {expert: curves.expertGreedy, cd: curves.cdGreedy} : {expert: curves.expertSampled, cd: curves.cdSampled};
}
