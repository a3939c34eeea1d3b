/**
 * Sparse probability distributions over token ids, and the operations on them that decoding needs:
 * tempered softmax of a head, argmax, seeded sampling, lookup.
 */
import type {Head} from "./head.ts";
import type {Rng} from "./rng.ts";

/** Token ids with probabilities that sum to 1; ids not listed have probability 0. */
export type SparseDistribution = {
    readonly ids: Int32Array;
    readonly probs: Float64Array;
};

export function oneHot(token: number): SparseDistribution {
    return {ids: Int32Array.of(token), probs: Float64Array.of(1)};
}

/** Index of the largest score; ties go to the smallest token id, so every mode breaks them alike. */
export function argmaxIndex(ids: ArrayLike<number>, scores: ArrayLike<number>): number {
    let best = -1;
    for (let i = 0; i < scores.length; i++) {
        const score = scores[i]!;
        if (score === -Infinity || Number.isNaN(score)) continue;
        if (best < 0 || score > scores[best]! || (score === scores[best]! && ids[i]! < ids[best]!)) best = i;
    }
    return best;
}

/**
 * softmax(scores / temperature) over the given ids, dropping ids of zero probability.
 * temperature 0 means greedy: a one-hot distribution on the argmax.
 */
export function softmax(ids: ArrayLike<number>, scores: ArrayLike<number>, temperature: number): SparseDistribution {
    const best = argmaxIndex(ids, scores);
    if (best < 0) throw new Error("softmax of an empty or all -Infinity score list");
    if (temperature === 0) return oneHot(ids[best]!);
    const maxScore = scores[best]!;
    const weights = new Float64Array(scores.length);
    let total = 0;
    let kept = 0;
    for (let i = 0; i < scores.length; i++) {
        const weight = Math.exp((scores[i]! - maxScore) / temperature);
        weights[i] = weight;
        total += weight;
        if (weight > 0) kept++;
    }
    const outIds = new Int32Array(kept);
    const outProbs = new Float64Array(kept);
    let j = 0;
    for (let i = 0; i < scores.length; i++) {
        if (weights[i]! > 0) {
            outIds[j] = ids[i]!;
            outProbs[j] = weights[i]! / total;
            j++;
        }
    }
    return {ids: outIds, probs: outProbs};
}

/** A model's own next-token distribution at `temperature` (0: greedy), over what its head holds. */
export function headDistribution(head: Head, temperature: number): SparseDistribution {
    return softmax(head.ids, head.logProbs, temperature);
}

export function probabilityOf(distribution: SparseDistribution, token: number): number {
    const {ids, probs} = distribution;
    for (let i = 0; i < ids.length; i++) if (ids[i] === token) return probs[i]!;
    return 0;
}

/** Draws a token; uses exactly one random number unless the distribution is one-hot. */
export function sample(distribution: SparseDistribution, rng: Rng): number {
    const {ids, probs} = distribution;
    if (ids.length === 1) return ids[0]!;
    const u = rng.next();
    let cumulative = 0;
    for (let i = 0; i < ids.length; i++) {
        cumulative += probs[i]!;
        if (u < cumulative) return ids[i]!;
    }
    // Rounding left the cumulative sum a hair under 1: take the last token of non-zero probability.
    for (let i = ids.length - 1; i >= 0; i--) if (probs[i]! > 0) return ids[i]!;
    throw new Error("cannot sample from a distribution with no mass");
}
