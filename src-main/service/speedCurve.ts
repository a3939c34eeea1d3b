/**
 * Like-for-like speed: what a token costs a mode at a given place in the context, measured once per pair and
 * device (the calibration: a handful of positions across the context, a short decode at each), and what the
 * same span of context would have cost that mode. A token late in a long chat costs more than one at the start
 * (each step attends to everything before it: on the demo pair 4.4 ms at 1,100 tokens against 0.5 ms at the
 * start), so an answer is compared with the expert alone over the positions the answer itself decoded, never
 * with one speed measured at the start of an empty context. Pure.
 */

/** Measured decode cost at one place in the context: the mean time per token of a short run around `position`. */
export type CurvePoint = {readonly position: number; readonly msPerToken: number};

/**
 * Time per decoded token across the context, as measured: one point per calibration run (several may share a
 * position). What a step costs grows linearly with the position (it reads every cached token once), so the
 * curve is read through one straight line fitted robustly to all the points (Theil–Sen: the median of the
 * slopes between pairs of points, then the median intercept), which a run disturbed by other work on the
 * machine moves little; the slope is never below zero, and the cost never below the cheapest measured run.
 */
export type CostCurve = readonly CurvePoint[];

export type CostLine = {readonly intercept: number; readonly slope: number};

export function fitCostLine(curve: CostCurve): CostLine {
    if (curve.length === 0) return {intercept: NaN, slope: 0};
    const slopes: number[] = [];
    for (let i = 0; i < curve.length; i++) {
        for (let j = i + 1; j < curve.length; j++) {
            const a = curve[i]!;
            const b = curve[j]!;
            if (a.position !== b.position) slopes.push((b.msPerToken - a.msPerToken) / (b.position - a.position));
        }
    }
    const slope = Math.max(0, slopes.length === 0 ? 0 : median(slopes));
    const intercept = median(curve.map((point) => point.msPerToken - slope * point.position));
    return {intercept, slope};
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The cost of one decoded token whose step evaluates position `position`: the fitted line, never below the cheapest
 * measured run (noise can tilt the line so far that it would reach zero early in the context).
 */
export function costAt(curve: CostCurve, position: number): number {
    return costFunction(curve)(position);
}

/** Milliseconds the curve's mode takes to decode `count` tokens whose steps evaluate positions from, from + 1, …. */
export function spanMs(curve: CostCurve, from: number, count: number): number {
    const cost = costFunction(curve);
    let total = 0;
    for (let i = 0; i < count; i++) total += cost(from + i);
    return total;
}

function costFunction(curve: CostCurve): (position: number) => number {
    const {intercept, slope} = fitCostLine(curve);
    const floor = Math.min(...curve.map((point) => point.msPerToken));
    return (position) => Math.max(floor, intercept + slope * position);
}

/**
 * The decoding part of an answer: the tokens after its first, and the time they took. The first token waits for
 * the new prompt tokens to be evaluated (a cost of the prompt, not of decoding), so it is left out on both sides.
 */
export type DecodedSpan = {
    /** Position of the first decode step: the prompt's length (it evaluates the answer's first token). */
    readonly from: number;
    readonly tokens: number;
    readonly ms: number;
};

export function decodedSpan(promptTokens: number, generatedTokens: number, totalMs: number, timeToFirstTokenMs: number | null): DecodedSpan | null {
    if (timeToFirstTokenMs == null || generatedTokens < 2) return null;
    const ms = totalMs - timeToFirstTokenMs;
    if (!(ms > 0)) return null;
    return {from: promptTokens, tokens: generatedTokens - 1, ms};
}

/** How much faster the answer decoded its span than the curve's mode would have: curve time / answer time. */
export function spanSpeedup(curve: CostCurve, span: DecodedSpan): number {
    return spanMs(curve, span.from, span.tokens) / span.ms;
}

/** The curve's mode's speed over the span, tokens per second. */
export function spanTokensPerSecond(curve: CostCurve, span: DecodedSpan): number {
    return (span.tokens * 1000) / spanMs(curve, span.from, span.tokens);
}

/** Where calibration measures: `count` positions evenly over the context, each far enough from the end to decode `tokens` there. */
export function calibrationPositions(contextSize: number, tokens: number, count = 12): number[] {
    const last = Math.max(1, contextSize - tokens - 2);
    const positions = Array.from({length: count}, (_, i) => Math.max(1, Math.round((i / (count - 1)) * last)));
    return [...new Set(positions)].sort((a, b) => a - b);
}
