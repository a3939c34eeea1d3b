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
 * Time per decoded token across the context, by position (sorted, at least one point). Between points the
 * cost is interpolated linearly (attention grows linearly with the position); past the ends the nearest
 * segment is extended, never below the cheapest measured point.
 */
export type CostCurve = readonly CurvePoint[];

/** The cost of one decoded token whose step evaluates position `position`. */
export function costAt(curve: CostCurve, position: number): number {
    if (curve.length === 0) return NaN;
    if (curve.length === 1) return curve[0]!.msPerToken;
    let i = 1;
    while (i < curve.length - 1 && curve[i]!.position < position) i++;
    const a = curve[i - 1]!;
    const b = curve[i]!;
    const slope = b.position === a.position ? 0 : (b.msPerToken - a.msPerToken) / (b.position - a.position);
    const value = a.msPerToken + slope * (position - a.position);
    const floor = Math.min(...curve.map((point) => point.msPerToken));
    return Math.max(floor, value);
}

/** Milliseconds the curve's mode takes to decode `count` tokens whose steps evaluate positions from, from + 1, …. */
export function spanMs(curve: CostCurve, from: number, count: number): number {
    let total = 0;
    for (let i = 0; i < count; i++) total += costAt(curve, from + i);
    return total;
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

/**
 * Where calibration measures: the start, then spread over the context (denser early, where most answers of a
 * short chat run), each far enough from the end to decode `tokens` there.
 */
export function calibrationPositions(contextSize: number, tokens: number): number[] {
    const last = Math.max(1, contextSize - tokens - 2);
    const shares = [0, 1 / 16, 1 / 8, 1 / 4, 3 / 8, 1 / 2, 3 / 4, 1];
    const positions = shares.map((share) => Math.max(1, Math.round(share * last)));
    return [...new Set(positions)].sort((a, b) => a - b);
}
