/**
 * What speculative decoding should achieve from its measured primitives (Leviathan et al. 2023): with a
 * per-draft acceptance probability a and γ drafts a round, a round yields (1 − a^(γ+1)) / (1 − a) tokens
 * on average and costs γ amateur steps plus one batched expert verification of γ+1 tokens (plus, for scd,
 * the amateur's bonus-position step after a fully accepted draft, probability a^γ).
 */

/** Maximum-likelihood per-draft acceptance: each verified draft was accepted or corrected. */
export function perDraftAcceptance(accepted: number, corrections: number): number | null {
    const trials = accepted + corrections;
    return trials > 0 ? accepted / trials : null;
}

export function expectedTokensPerRound(acceptance: number, gamma: number): number {
    if (acceptance >= 1) return gamma + 1;
    return (1 - acceptance ** (gamma + 1)) / (1 - acceptance);
}

export type RoundCosts = {
    /** One amateur step (one token, one head), ms. */
    readonly amateurStepMs: number;
    /** One expert verification of γ+1 tokens with γ+1 heads, ms. */
    readonly verifyMs: number;
    /** Whether a fully accepted round costs one more amateur step (scd's bonus position). */
    readonly bonusAmateurStep: boolean;
};

export function predictedRoundMs(acceptance: number, gamma: number, costs: RoundCosts): number {
    return gamma * costs.amateurStepMs + costs.verifyMs + (costs.bonusAmateurStep ? acceptance ** gamma * costs.amateurStepMs : 0);
}

export function predictedTokensPerSecond(acceptance: number, gamma: number, costs: RoundCosts): number {
    return (1000 * expectedTokensPerRound(acceptance, gamma)) / predictedRoundMs(acceptance, gamma, costs);
}
