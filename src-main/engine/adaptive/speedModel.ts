/**
 * The speed model behind the adaptive controller (Leviathan et al. 2023, with this engine's round shapes):
 * what a round of each kind yields and costs, from per-draft acceptance and the measured primitives.
 * Pure formulas; the learned inputs come from pairCosts.ts and the per-arm measurements in profile.ts.
 */

/** One way to produce the next token(s): a speculative round with γ drafts, or one non-speculative step. */
export type Arm =
    {readonly kind: "speculate"; readonly gamma: number; readonly sideBySide: boolean} | {readonly kind: "fallback"; readonly sideBySide: boolean};

/** A readable name for an arm, e.g. "speculate γ3 side-by-side" (stats, bench reports, tests). */
export function armKey(arm: Arm): string {
    return arm.kind === "speculate"
        ? `speculate γ${arm.gamma} ${arm.sideBySide ? "side-by-side" : "serial"}`
        : `fallback ${arm.sideBySide ? "side-by-side" : "serial"}`;
}

/**
 * Expected tokens a round commits with γ drafts and per-draft acceptance a: the accepted drafts plus one
 * correction or bonus token, (1 − a^(γ+1)) / (1 − a). A fallback step commits one token.
 */
export function expectedTokens(arm: Arm, acceptance: number): number {
    if (arm.kind === "fallback") return 1;
    if (acceptance >= 1) return arm.gamma + 1;
    return (1 - acceptance ** (arm.gamma + 1)) / (1 - acceptance);
}

/** The primitives one schedule's round costs are built from, ms. */
export type Primitives = {
    /** One amateur step (one token, one head). */
    readonly amateurStepMs: number;
    /** One expert call evaluating n tokens (n heads; n = 1 is the plain expert step). */
    readonly expertCallMs: (n: number) => number;
};

export type RoundShape = {
    /** scd: after a fully accepted draft the amateur's head at the bonus position is needed (one more step). */
    readonly bonusAmateurStep: boolean;
    /** scd's fallback is a cd step (expert and amateur); sd's is the expert alone. */
    readonly fallbackUsesAmateur: boolean;
};

/**
 * The model's part of a round's wall time, ms, before the learned per-round overhead is added (NaN while a
 * primitive it needs is unmeasured).
 *
 * Serial: γ amateur steps, then the expert's batch of γ+1 tokens, then (scd, probability a^γ) the amateur's
 * bonus-position step. Side by side: the amateur's bonus step and drafting ahead overlap the verification,
 * so the verification phase costs max(t_v, t_a), and a round's drafts are already drawn when the round before
 * was fully accepted and its bonus matched the next draft (about a^(γ+1)).
 *
 * A fallback step: cd evaluates both models, side by side max(t_e, t_a), serially t_e + t_a; the expert
 * alone costs t_e = t_v(1).
 */
export function modelledRoundMs(arm: Arm, acceptance: number, primitives: Primitives, shape: RoundShape): number {
    const ta = primitives.amateurStepMs;
    if (arm.kind === "fallback") {
        const te = primitives.expertCallMs(1);
        if (!shape.fallbackUsesAmateur) return te;
        return arm.sideBySide ? Math.max(te, ta) : te + ta;
    }
    const gamma = arm.gamma;
    const tv = primitives.expertCallMs(gamma + 1);
    if (arm.sideBySide) return gamma * ta * (1 - acceptance ** (gamma + 1)) + Math.max(tv, ta);
    return ta * (gamma + (shape.bonusAmateurStep ? acceptance ** gamma : 0)) + tv;
}
