/**
 * Speculative verification against an arbitrary target (Leviathan et al. 2023; Chen et al. 2023):
 * a draft token x drawn from the proposal q is accepted with probability min(1, p(x)/q(x)); on rejection a
 * replacement is drawn from the residual norm(max(0, p − q)). The committed token is then distributed exactly
 * as p. With one-hot p and q (greedy) this reduces to "accept iff the draft is the target's argmax".
 *
 * Each of the three draws (the draft, the acceptance uniform, the residual draw) has its own generator, keyed
 * by the position the token is for (rng.ts `couplingRngs`). The token is then one function of (p, q, those
 * generators) — `coupledToken` — whether it is a draft verified in a round, the bonus after a fully accepted
 * round, or a cd step: the decoder's schedule never changes which numbers decide it.
 */
import {probabilityOf, sample, type SparseDistribution} from "./distribution.ts";
import type {CouplingRngs} from "./rng.ts";

/** Below this total mass the residual is rounding noise and the target itself is used (see residual()). */
export const RESIDUAL_UNDERFLOW = 1e-12;

export function acceptanceProbability(target: SparseDistribution, proposal: SparseDistribution, token: number): number {
    const q = probabilityOf(proposal, token);
    if (q <= 0) throw new Error(`draft token ${token} has zero probability under its own proposal`);
    return Math.min(1, probabilityOf(target, token) / q);
}

/** Σ_x min(p(x), q(x)): the probability that a draft drawn from q is accepted. */
export function expectedAcceptance(target: SparseDistribution, proposal: SparseDistribution): number {
    // One pass over each (a lookup per id would be quadratic in the head size).
    const proposed = new Map<number, number>();
    for (let i = 0; i < proposal.ids.length; i++) proposed.set(proposal.ids[i]!, proposal.probs[i]!);
    let total = 0;
    for (let i = 0; i < target.ids.length; i++) total += Math.min(target.probs[i]!, proposed.get(target.ids[i]!) ?? 0);
    return Math.min(1, total); // (rounding can carry a sum of probabilities past 1)
}

export type Residual = {
    readonly distribution: SparseDistribution;
    /** True when max(0, p − q) had (numerically) no mass and p was used instead. */
    readonly fellBack: boolean;
};

/**
 * norm(max(0, p − q)). Rejection has probability Σ max(0, p − q) = 1 − Σ min(p, q), so a rejection with a
 * vanishing residual only happens through rounding; falling back to p keeps the output a valid sample.
 */
export function residual(target: SparseDistribution, proposal: SparseDistribution): Residual {
    const proposalLookup = new Map<number, number>();
    for (let i = 0; i < proposal.ids.length; i++) proposalLookup.set(proposal.ids[i]!, proposal.probs[i]!);
    const ids: number[] = [];
    const mass: number[] = [];
    let total = 0;
    for (let i = 0; i < target.ids.length; i++) {
        const excess = target.probs[i]! - (proposalLookup.get(target.ids[i]!) ?? 0);
        if (excess > 0) {
            ids.push(target.ids[i]!);
            mass.push(excess);
            total += excess;
        }
    }
    if (!(total > RESIDUAL_UNDERFLOW)) return {distribution: target, fellBack: true};
    return {
        distribution: {ids: Int32Array.from(ids), probs: Float64Array.from(mass, (m) => m / total)},
        fellBack: false
    };
}

export type Verdict = {readonly accepted: true} | {readonly accepted: false; readonly token: number; readonly residualFellBack: boolean};

/**
 * Verifies one draft token drawn from `proposal`: one number from `rngs.accept` unless the outcome is certain,
 * and on rejection one from `rngs.residual` unless the residual is one-hot.
 */
export function verifyDraftToken(
    target: SparseDistribution,
    proposal: SparseDistribution,
    draft: number,
    rngs: Pick<CouplingRngs, "accept" | "residual">
): Verdict {
    const acceptance = acceptanceProbability(target, proposal, draft);
    if (acceptance >= 1 || (acceptance > 0 && rngs.accept.next() < acceptance)) return {accepted: true};
    const {distribution, fellBack} = residual(target, proposal);
    return {accepted: false, token: sample(distribution, rngs.residual), residualFellBack: fellBack};
}

export type CoupledToken = {
    readonly token: number;
    /** Whether the token is the draft (kept), not a residual draw. */
    readonly accepted: boolean;
    readonly residualFellBack: boolean;
};

/**
 * A token of `target` by draft-then-verify against `proposal`: d ~ q (`rngs.draft`), kept with probability
 * min(1, p(d)/q(d)), else a draw from the residual. Distributed exactly as p for any q. `draft` is a draft
 * drawn already, as the decoder's draft stream draws them (draftStream.ts): it must be `sample(proposal,
 * rngs.draft)`, so a verified draft, a bonus and a cd step are one function of the position's generators.
 */
export function coupledToken(
    target: SparseDistribution,
    proposal: SparseDistribution,
    rngs: CouplingRngs,
    draft: number = sample(proposal, rngs.draft)
): CoupledToken {
    const verdict = verifyDraftToken(target, proposal, draft, rngs);
    return verdict.accepted
        ? {token: draft, accepted: true, residualFellBack: false}
        : {token: verdict.token, accepted: false, residualFellBack: verdict.residualFellBack};
}
