/**
 * A simulated expert/amateur pair for the adaptive controller's tests: rounds and steps whose acceptance and
 * timings are drawn from a regime with a seeded RNG. Its cost structure deliberately differs from the
 * controller's speed model (batch costs that are not linear in n, contention between side-by-side calls,
 * drafts drawn ahead that depend on the previous round, per-token engine work, noise and rare stalls), so
 * the controller has to learn from measurement, and the best arm is found by brute force over the
 * simulation itself.
 */
import type {AdaptiveDecision, AdaptiveGeneration, RoundReport} from "../../../../src-main/engine/adaptive/controller.ts";
import {armKey, type Arm} from "../../../../src-main/engine/adaptive/speedModel.ts";
import {createRng, type Rng} from "../../../../src-main/engine/math/rng.ts";

export type Regime = {
    readonly name: string;
    readonly mode: "scd" | "sd";
    /** Per-draft acceptance probability. */
    readonly acceptance: number;
    readonly amateurMs: number;
    /** The expert's call evaluating n tokens, ms, when running alone. */
    readonly expertMs: (n: number) => number;
    /** Factor on both models' call times while they run at the same time. */
    readonly sideBySideSlowdown: number;
    /** The engine's own time per speculative round, per fallback step, and per committed token, ms. */
    readonly roundOverheadMs: number;
    readonly stepOverheadMs: number;
    readonly tokenOverheadMs: number;
    /** σ of the log-normal noise on every call (its mean stays 1). */
    readonly noise: number;
    /** Share of calls that stall (take 5× as long): page faults, other processes. */
    readonly stallRate: number;
};

/** Piecewise-linear batch cost through the given (n, ms) points, extended with the last segment's slope. */
export function batchCost(points: readonly [number, number][]): (n: number) => number {
    return (n) => {
        for (let i = 1; i < points.length; i++) {
            const [n0, ms0] = points[i - 1]!,
                [n1, ms1] = points[i]!;
            if (n <= n1 || i === points.length - 1) return ms0 + ((ms1 - ms0) * (n - n0)) / (n1 - n0);
        }
        return points[0]![1];
    };
}

export class SimulatedPair {
    private readonly rng: Rng;
    /** Drafts already drawn for the next round (drawn ahead during the last side-by-side verification). */
    private draftsAhead = 0;
    /** Whether recent rounds were fully accepted (the decoder only draws ahead then), moving average. */
    private fullyAccepted = 0;
    totalMs = 0;
    totalTokens = 0;

    constructor(
        public regime: Regime,
        seed: number
    ) {
        this.rng = createRng(seed);
    }

    /**
     * Runs one round of `arm` (a fallback: `steps` steps back to back, reported together, as the decoder
     * does) and returns the decoder's report of it.
     */
    run(arm: Arm & {readonly steps?: number}): RoundReport {
        if (arm.kind === "fallback" && (arm.steps ?? 1) > 1) {
            const reports = Array.from({length: arm.steps!}, () => this.run({kind: "fallback", sideBySide: arm.sideBySide}));
            const total = (pick: (report: RoundReport & {kind: "fallback"}) => number | undefined) =>
                reports.reduce((sum, report) => sum + (pick(report as RoundReport & {kind: "fallback"}) ?? 0), 0);
            const first = reports[0] as RoundReport & {kind: "fallback"};
            return {
                kind: "fallback",
                sideBySide: arm.sideBySide,
                steps: arm.steps!,
                tokens: total((x) => x.tokens),
                wallMs: total((x) => x.wallMs ?? 0),
                expertMs: total((x) => x.expertMs) / arm.steps!,
                ...(first.amateurMs != null ? {amateurMs: total((x) => x.amateurMs) / arm.steps!} : {}),
                ...(first.acceptance != null ? {acceptance: first.acceptance} : {})
            };
        }
        const r = this.regime;
        const slow = arm.sideBySide ? r.sideBySideSlowdown : 1;
        if (arm.kind === "fallback") {
            this.draftsAhead = 0;
            const expertMs = this.call(r.expertMs(1) * slow);
            const amateurMs = r.mode === "scd" ? this.call(r.amateurMs * slow) : 0;
            const modelMs = r.mode === "scd" && !arm.sideBySide ? expertMs + amateurMs : Math.max(expertMs, amateurMs);
            const wallMs = modelMs + r.stepOverheadMs + r.tokenOverheadMs;
            this.account(wallMs, 1);
            // cd's Σ min(p_n, q) at one position: a random variable whose mean is the acceptance.
            const acceptance = 0.5 * r.acceptance + (this.rng.next() < r.acceptance ? 0.5 : 0);
            return r.mode === "scd"
                ? {kind: "fallback", sideBySide: arm.sideBySide, tokens: 1, wallMs, expertMs, amateurMs, acceptance}
                : {kind: "fallback", sideBySide: arm.sideBySide, tokens: 1, wallMs, expertMs};
        }

        const gamma = arm.gamma;
        let accepted = 0;
        while (accepted < gamma && this.rng.next() < r.acceptance) accepted++;
        const full = accepted === gamma;
        const amateurTimes: number[] = [];
        const step = (factor: number) => {
            const ms = this.call(r.amateurMs * factor);
            amateurTimes.push(ms);
            return ms;
        };

        // Drafting before the verification: what was not drawn ahead.
        const reused = arm.sideBySide ? Math.min(this.draftsAhead, gamma) : 0;
        let wallMs = 0;
        for (let i = reused; i < gamma; i++) wallMs += step(1);
        const verifyMs = this.call(r.expertMs(gamma + 1) * slow);
        let ahead = 0;
        if (arm.sideBySide) {
            // The bonus-position step and drafting ahead run on the other core during the verification.
            ahead = this.fullyAccepted >= 0.5 ? Math.max(0, Math.min(gamma, Math.floor(verifyMs / (r.amateurMs * slow)) - 1)) : 0;
            let amateurBusy = 0;
            for (let i = 0; i <= ahead; i++) amateurBusy += step(slow);
            wallMs += Math.max(verifyMs, amateurBusy);
        } else {
            wallMs += verifyMs;
            if (full && r.mode === "scd") wallMs += step(1);
        }
        this.fullyAccepted = 0.7 * this.fullyAccepted + 0.3 * (full ? 1 : 0);
        // Drawn-ahead drafts stand when the bonus token equals the amateur's next draft.
        this.draftsAhead = full && ahead > 0 && this.rng.next() < r.acceptance ? ahead : 0;
        const tokens = accepted + 1;
        wallMs += r.roundOverheadMs + tokens * r.tokenOverheadMs;
        this.account(wallMs, tokens);
        const amateurStepMs = amateurTimes.length > 0 ? amateurTimes.reduce((a, b) => a + b, 0) / amateurTimes.length : undefined;
        return {
            kind: "speculate",
            gamma,
            sideBySide: arm.sideBySide,
            drafted: gamma,
            accepted,
            rejected: full ? 0 : 1,
            tokens,
            wallMs,
            verifyMs,
            ...(amateurStepMs != null ? {amateurStepMs, amateurSteps: amateurTimes.length} : {})
        };
    }

    private account(ms: number, tokens: number): void {
        this.totalMs += ms;
        this.totalTokens += tokens;
    }

    /** A call's time with log-normal noise and a rare stall. */
    private call(ms: number): number {
        const u1 = Math.max(this.rng.next(), 1e-12),
            u2 = this.rng.next();
        const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        const stall = this.rng.next() < this.regime.stallRate ? 5 : 1;
        return ms * Math.exp(this.regime.noise * normal - this.regime.noise ** 2 / 2) * stall;
    }
}

/** Every arm the controller may pick for a regime. */
export function allArms(mode: "scd" | "sd", gammaMax: number, sideBySide: boolean): Arm[] {
    const schedules = sideBySide ? [true, false] : [false];
    const arms: Arm[] = (mode === "scd" ? schedules : [false]).map((s): Arm => ({kind: "fallback", sideBySide: s}));
    for (const s of schedules) for (let gamma = 1; gamma <= gammaMax; gamma++) arms.push({kind: "speculate", gamma, sideBySide: s});
    return arms;
}

export type FixedRate = {readonly arm: Arm; readonly tokensPerSecond: number};

/** Brute force: each arm run alone for `tokens` tokens on the simulation; rates best first. */
export function bruteForce(regime: Regime, gammaMax: number, sideBySide: boolean, tokens = 40_000, seed = 99): FixedRate[] {
    return allArms(regime.mode, gammaMax, sideBySide)
        .map((arm) => {
            const sim = new SimulatedPair(regime, seed);
            while (sim.totalTokens < tokens) sim.run(arm);
            return {arm, tokensPerSecond: (1000 * sim.totalTokens) / sim.totalMs};
        })
        .sort((a, b) => b.tokensPerSecond - a.tokensPerSecond);
}

export type ControlledRun = {
    readonly tokensPerSecond: number;
    /** Each decision with what its round committed and cost. */
    readonly rounds: {readonly decision: AdaptiveDecision; readonly tokens: number; readonly ms: number}[];
    readonly decisions: AdaptiveDecision[];
    readonly tokens: number;
    readonly ms: number;
};

/** Lets the controller drive the simulation until `tokens` tokens are committed. */
export function drive(generation: AdaptiveGeneration, sim: SimulatedPair, tokens: number): ControlledRun {
    const startMs = sim.totalMs,
        startTokens = sim.totalTokens;
    const rounds: ControlledRun["rounds"] = [];
    while (sim.totalTokens - startTokens < tokens) {
        const decision = generation.decide();
        const report = sim.run(decision);
        rounds.push({decision, tokens: report.tokens, ms: report.wallMs!});
        generation.observe(report);
    }
    const ms = sim.totalMs - startMs,
        committed = sim.totalTokens - startTokens;
    return {tokensPerSecond: (1000 * committed) / ms, rounds, decisions: rounds.map((r) => r.decision), tokens: committed, ms};
}

/** The arm run most often among `decisions` that were not probes. */
export function mostChosen(decisions: readonly AdaptiveDecision[]): string {
    const counts = new Map<string, number>();
    for (const decision of decisions) if (!decision.probe) counts.set(armKey(decision), (counts.get(armKey(decision)) ?? 0) + 1);
    return [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}
