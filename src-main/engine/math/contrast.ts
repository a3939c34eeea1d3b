/**
 * The contrastive-decoding target distribution (Li et al. 2023; Yuan et al. 2023, SCD):
 *
 *   p_n(x) ∝ exp(((1+β)·s_e(x) − β·s_a(x)) / T)   for x in V = {x : p_e(x) ≥ α·max p_e},   0 elsewhere
 *
 * s_e, s_a are the expert's and amateur's log-probabilities at temperature 1. Heads may be top-K only: the
 * constant shift of a renormalised top-K head cancels here. Two approximations appear when K is below the
 * vocabulary size, and both are counted so callers can report them:
 *  - amateur floor: an expert-head token missing from the amateur's head gets the amateur's smallest listed
 *    log-probability (an upper bound on its true value, so the contrast penalises it at most that much);
 *    the same floor replaces an amateur log-probability of −∞ (a probability that underflowed to 0).
 *  - truncated V: if the expert's last listed token is still plausible, V may extend past the head.
 * With β = 0 the amateur is not consulted and the target is the expert's own (tempered) distribution on V.
 */
import type {Head} from "./head.ts";
import {softmax, type SparseDistribution} from "./distribution.ts";

export type ContrastParams = {
    /** Plausibility cutoff α in [0, 1]. */
    readonly alpha: number;
    /** Contrast strength β ≥ 0. */
    readonly beta: number;
    /** Sampling temperature T ≥ 0; 0 is greedy. */
    readonly temperature: number;
};

export type ContrastTarget = {
    readonly distribution: SparseDistribution;
    /** Plausible expert tokens whose amateur log-probability came from the floor. */
    readonly amateurFloorHits: number;
    /** True when V may hold tokens beyond the expert's top-K head. */
    readonly headTruncated: boolean;
};

export function contrastiveTarget(expert: Head, amateur: Head | null, params: ContrastParams): ContrastTarget {
    const {alpha, beta, temperature} = params;
    if (expert.ids.length === 0) throw new Error("empty expert head");
    const threshold = alpha > 0 ? Math.log(alpha) + maxLogProb(expert) : -Infinity;
    const useAmateur = beta !== 0;
    if (useAmateur && amateur == null) throw new Error("a contrastive target with β ≠ 0 needs the amateur's head");

    let amateurLookup: Map<number, number> | null = null;
    let amateurFloor = 0;
    if (useAmateur) {
        amateurLookup = new Map();
        amateurFloor = Infinity;
        for (let i = 0; i < amateur!.ids.length; i++) {
            const logProb = amateur!.logProbs[i]!;
            amateurLookup.set(amateur!.ids[i]!, logProb);
            if (logProb !== -Infinity && logProb < amateurFloor) amateurFloor = logProb;
        }
        if (amateurFloor === Infinity) throw new Error("amateur head has no finite log-probability");
    }

    const ids: number[] = [];
    const scores: number[] = [];
    let amateurFloorHits = 0;
    let lastPlausible = false;
    for (let i = 0; i < expert.ids.length; i++) {
        const expertLogProb = expert.logProbs[i]!;
        const plausible = expertLogProb >= threshold;
        if (i === expert.ids.length - 1) lastPlausible = plausible;
        if (!plausible) continue;
        const token = expert.ids[i]!;
        let score = expertLogProb;
        if (useAmateur) {
            let amateurLogProb = amateurLookup!.get(token);
            if (amateurLogProb === undefined || amateurLogProb === -Infinity) {
                amateurLogProb = amateurFloor;
                amateurFloorHits++;
            }
            score = (1 + beta) * expertLogProb - beta * amateurLogProb;
        }
        ids.push(token);
        scores.push(score);
    }
    return {
        distribution: softmax(ids, scores, temperature),
        amateurFloorHits,
        headTruncated: !expert.complete && lastPlausible
    };
}

function maxLogProb(head: Head): number {
    let max = -Infinity;
    for (let i = 0; i < head.logProbs.length; i++) if (head.logProbs[i]! > max) max = head.logProbs[i]!;
    return max;
}
