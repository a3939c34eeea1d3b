/**
 * When two greedy decodes that should agree part ways, this says whether the step where they split was a
 * near-tie of the target (so batched-vs-single rounding in llama.cpp can flip it) rather than a bug.
 */
import {contrastiveTarget} from "../../src-main/engine/math/contrast.ts";
import type {ModelPair} from "../../src-main/models/runtime/modelPair.ts";
import {headsAfter} from "./heads.ts";

/** Gap between the best and second-best greedy target scores after `tokens`, from single-position heads. */
export async function targetScoreGap(pair: ModelPair, tokens: number[], alpha: number, beta: number): Promise<number> {
    const [expert, amateur] = await headsAfter(pair, tokens);
    // Temperature 1 gives p_n ∝ exp(score): the log-ratio of the two top probabilities is the score gap.
    const {distribution} = contrastiveTarget(expert, beta === 0 ? null : amateur, {alpha, beta, temperature: 1});
    const logProbs = [...distribution.probs].map(Math.log).sort((a, b) => b - a);
    return logProbs.length < 2 ? Infinity : logProbs[0]! - logProbs[1]!;
}

export function firstDifference(a: readonly number[], b: readonly number[]): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
    return a.length === b.length ? -1 : n;
}
