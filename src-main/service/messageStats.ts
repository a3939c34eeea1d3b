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
    const curveExpertMs = spanMs(expert, span.from, span.tokens);
    const curveCdMs = cd.length > 0 ? spanMs(cd, span.from, span.tokens) : null;
    const load = loadFactor(stats.measuredSteps, span, curveExpertMs, curveCdMs);
    const expertMs = curveExpertMs * (load?.factor ?? 1);
    const cdMs = curveCdMs == null ? null : curveCdMs * (load?.factor ?? 1);
    return {
        ratio: expertMs / span.ms,
        baseline,
        expertTokensPerSecond: (span.tokens * 1000) / expertMs,
        spanTokensPerSecond: (span.tokens * 1000) / span.ms,
        versusCd: speculative && cdMs != null ? cdMs / span.ms : null,
        span: {from: span.from, tokens: span.tokens},
        measuredDuringAnswer: load != null,
        ...(load != null ? {matchedBy: load.by} : {})
    };
}

/** Plain steps of a mode the answer itself ran, enough to measure the machine's load of that moment. */
export const MATCHED_STEPS = 16;

/**
 * How much slower (or faster) the machine ran during this answer than during the calibration: the answer's own
 * plain steps of the expert alone (mode expert, sd's fallback) or of cd (mode cd, scd's fallback), against what
 * the calibration's curve says those steps cost over the span. Both references (expert alone, cd) are scaled by
 * it, so a machine busy with other work moves both sides of the ratio alike; in mode expert the expert-alone side
 * is then the answer's own steps. Null when the answer ran too few such steps (the curves stand as measured).
 */
function loadFactor(
    measured: GenerationStats["measuredSteps"],
    span: DecodedSpan,
    curveExpertMs: number,
    curveCdMs: number | null
): {factor: number; by: "expert" | "cd"} | null {
    if (measured.expert.steps >= MATCHED_STEPS)
        return {factor: measured.expert.ms / measured.expert.steps / (curveExpertMs / span.tokens), by: "expert"};
    if (curveCdMs != null && measured.cd.steps >= MATCHED_STEPS)
        return {factor: measured.cd.ms / measured.cd.steps / (curveCdMs / span.tokens), by: "cd"};
    return null;
}

function curvesFor(curves: CostCurves, temperature: number): {expert: CostCurve; cd: CostCurve} {
    return temperature === 0 ? {expert: curves.expertGreedy, cd: curves.cdGreedy} : {expert: curves.expertSampled, cd: curves.cdSampled};
}
