/**
 * The calibration: what a decoded token costs the expert alone and contrastive decoding at places spread over
 * the context, on this pair and machine, measured with the decoder itself (the same steps an answer in those
 * modes runs). At each position the caches are filled with filler text up to it (the filler's prefix is
 * reused from one position to the next, so the whole context is evaluated about once) and each mode decodes a
 * few tokens there, the modes interleaved and repeated so machine noise hits them alike; every run is one point
 * (the service fits one robust line through them: speedCurve.ts). Afterwards the caches are filled again with the chat they held before, so the next turn of that
 * chat still reuses them.
 */
import type {DecodeMode, GenerationResult, GenerateOptions, Token} from "../engine/index.ts";

/** The curves calibration measures: the expert alone and cd, greedy and sampled (T = 1). */
export const calibrationCurveNames = ["expertGreedy", "expertSampled", "cdGreedy", "cdSampled"] as const;
export type CalibrationCurveName = (typeof calibrationCurveNames)[number];

const curveRuns: Record<CalibrationCurveName, {readonly mode: DecodeMode; readonly temperature: number}> = {
    expertGreedy: {mode: "expert", temperature: 0},
    expertSampled: {mode: "expert", temperature: 1},
    cdGreedy: {mode: "cd", temperature: 0},
    cdSampled: {mode: "cd", temperature: 1}
};

export type MeasuredPoint = {readonly position: number; readonly msPerToken: number};
export type MeasuredCurves = Record<CalibrationCurveName, MeasuredPoint[]>;

/** What calibration needs of the loaded pair: generation (with the decoder's own prefix reuse) and the cache. */
export type CalibrationDecoder = {
    generate(prompt: readonly Token[], options: GenerateOptions): Promise<GenerationResult>;
    /** Evaluates `tokens` into both caches (all but the last, which stays pending), reusing what is cached. */
    prefill(tokens: readonly Token[], signal: AbortSignal): Promise<void>;
};

export class CalibrationStopped extends Error {
    constructor() {
        super("the calibration was stopped");
    }
}

/** Decodes at least this many tokens for a point to count (an early end of text leaves too few). */
const MIN_POINT_TOKENS = 8;

/**
 * Measures every curve at `positions` with `tokens` decoded per run and `runs` runs per point. `filler` must be
 * longer than the last position. Stops with CalibrationStopped when `signal` aborts.
 */
export async function measureCurves(
    decoder: CalibrationDecoder,
    filler: readonly Token[],
    positions: readonly number[],
    tokens: number,
    runs: number,
    signal: AbortSignal
): Promise<MeasuredCurves> {
    const samples = new Map<string, number[]>();
    for (const position of positions) {
        const prompt = filler.slice(0, position + 1);
        for (let run = 0; run < runs; run++) {
            for (const name of calibrationCurveNames) {
                if (signal.aborted) throw new CalibrationStopped();
                const {mode, temperature} = curveRuns[name];
                const result = await decoder.generate(prompt, {mode, temperature, maxTokens: tokens, seed: run, signal});
                if (result.stats.stopReason === "abort") throw new CalibrationStopped();
                const {generatedTokens, totalMs, timeToFirstTokenMs} = result.stats;
                if (generatedTokens < MIN_POINT_TOKENS || timeToFirstTokenMs == null) continue;
                const key = `${name} ${position}`;
                const list = samples.get(key) ?? [];
                list.push((totalMs - timeToFirstTokenMs) / (generatedTokens - 1));
                samples.set(key, list);
            }
        }
    }
    const curves = {} as MeasuredCurves;
    for (const name of calibrationCurveNames) {
        // A run decodes from the prompt's length on: its steps are centred half a run further.
        curves[name] = positions.flatMap((position) =>
            (samples.get(`${name} ${position}`) ?? []).map((msPerToken) => ({position: position + 1 + (tokens - 2) / 2, msPerToken}))
        );
    }
    return curves;
}

/** `unit` repeated until it is at least `length` tokens long, after `head` (BOS, where the model wants one). */
export function fillerTokens(head: readonly Token[], unit: readonly Token[], length: number): Token[] {
    if (unit.length === 0) throw new Error("the calibration filler has no tokens");
    const tokens = [...head];
    while (tokens.length < length) tokens.push(...unit);
    return tokens;
}
