/**
 * Adaptive speculation (`--gamma auto`): before each round the decoder asks which round to run — a
 * speculative round with γ drafts, side by side or serially, or one step of the non-speculative mode (cd
 * for scd, the expert alone for sd) — and afterwards reports what the round did and cost. See
 * docs/adaptive.md for the model, the policy and how the decoder feeds it.
 *
 * `AdaptivePairState` lives as long as a loaded pair (the decoder holds one), so a second message starts from
 * what the first learned; `startGeneration` gives the per-generation handle that decides, observes and counts
 * the stats. Pure: no clock, no I/O; the decoder passes every timing in, and the only randomness (probe
 * jitter) comes from a seeded generator, so equal inputs give equal decisions.
 */
import {PairCosts} from "./pairCosts.ts";
import {Profile, type ProfileLimits} from "./profile.ts";
import type {Arm, RoundShape} from "./speedModel.ts";

export type {Arm} from "./speedModel.ts";

export class AdaptiveInputError extends Error {}

/** Decoding profiles remembered per pair (each a few kB); the least recently used is forgotten first. */
const MAX_PROFILES = 32;

export type AdaptiveDecision =
    | {readonly kind: "speculate"; readonly gamma: number; readonly sideBySide: boolean; readonly probe: boolean}
    /** `steps`: how many fallback steps to run back to back before reporting them together (1 or more). */
    | {readonly kind: "fallback"; readonly sideBySide: boolean; readonly probe: boolean; readonly steps: number};

export type AdaptiveGenerationOptions = {
    /** scd or sd: scd's fallback is a cd step and its fully accepted rounds need the amateur's bonus-position head. */
    readonly mode: "scd" | "sd";
    /**
     * What acceptance depends on besides the pair, e.g. `β=0.5 α=0.1 T=0`: each distinct profile learns its own
     * acceptance and round times (call costs are shared by the pair).
     */
    readonly profile: string;
    /** Largest γ to consider, 1–64. */
    readonly gammaMax: number;
    /** Whether side-by-side calls are possible at all (both models' threads fit the cores at once, or a GPU). */
    readonly sideBySide: boolean;
    /** Seeds the probe jitter of a profile the first time it is used. */
    readonly seed: number;
};

/** What one decided round did, reported by the decoder right after it. All times are wall-clock ms. */
export type RoundReport =
    | {
          readonly kind: "speculate";
          /** γ the round ran with (the decision's, or less where the decoder capped it). */
          readonly gamma: number;
          readonly sideBySide: boolean;
          /** Drafts actually verified (fewer than γ when drafting hit an end-of-generation token or a limit). */
          readonly drafted: number;
          /**
           * Acceptance evidence: accepted drafts and rejected ones (0 or 1), or their expectations where the
           * decoder computes Σ min(p_n, q) per verified draft (then fractional, summing to at most `drafted`).
           */
          readonly accepted: number;
          readonly rejected: number;
          /** Tokens committed by the round (accepted drafts plus the correction or bonus). */
          readonly tokens: number;
          /** The whole round, from the decision to the report; null when not representative (it carried prompt tokens). */
          readonly wallMs: number | null;
          /** The expert's verification call (drafted + 1 tokens), when it carried no prompt tokens. */
          readonly verifyMs?: number;
          /** Mean wall time of this round's amateur steps, and how many there were. */
          readonly amateurStepMs?: number;
          readonly amateurSteps?: number;
      }
    | {
          readonly kind: "fallback";
          readonly sideBySide: boolean;
          /** Steps run back to back (the decision's, or fewer where the generation ended); default 1. */
          readonly steps?: number;
          /** Tokens committed: one per step, fewer when a step ended the generation. */
          readonly tokens: number;
          /** The last `timedSteps` steps together (all of them unless `timedSteps` says fewer). */
          readonly wallMs: number | null;
          /** How many of the steps `wallMs` covers (the first after leaving speculation is left out); default `steps`. */
          readonly timedSteps?: number;
          /** The expert's single-token call and (cd) the amateur's, each timed on its own: the mean over the steps. */
          readonly expertMs?: number;
          readonly amateurMs?: number;
          /**
           * cd only: Σ_x min(p_n(x), q(x)) at one of the steps, the probability that a draft from the amateur
           * there would have been accepted.
           */
          readonly acceptance?: number;
      };

export type AdaptiveStats = {
    /** Speculative rounds run, by γ ("1": rounds with one draft, …). */
    readonly gammaHistogram: Readonly<Record<string, number>>;
    readonly speculativeRounds: number;
    readonly sideBySideRounds: number;
    /** Non-speculative steps run instead of speculation, and the tokens they committed. */
    readonly fallbackSteps: number;
    readonly fallbackTokens: number;
    /** Decisions that explored (bootstrap measurements and probes of a neighbouring arm). */
    readonly probes: number;
    /** The round shape the controller settled on at the end (its pick), null before it has one. */
    readonly pick: Arm | null;
};

/** The adaptive controller's memory for one loaded pair; hold one per pair, for as long as it is loaded. */
export class AdaptivePairState {
    private costs = new PairCosts();
    private readonly profiles = new Map<string, Profile>();

    /**
     * Forgets everything learnt, as if the pair had just been loaded (the bench warms the code and llama.cpp
     * up with every mode, then measures γ auto from a cold start, learning included).
     */
    reset(): void {
        this.costs = new PairCosts();
        this.profiles.clear();
    }

    /** Whether this pair remembers a profile (a generation with it starts from what was learnt, without bootstrapping). */
    remembers(mode: "scd" | "sd", profile: string): boolean {
        return this.profiles.has(`${mode} ${profile}`);
    }

    startGeneration(options: AdaptiveGenerationOptions): AdaptiveGeneration {
        const problems: string[] = [];
        if (options.mode !== "scd" && options.mode !== "sd") problems.push(`mode must be scd or sd, not ${String(options.mode)}`);
        if (!(Number.isInteger(options.gammaMax) && options.gammaMax >= 1 && options.gammaMax <= 64)) {
            problems.push(`gammaMax must be an integer from 1 to 64, not ${String(options.gammaMax)}`);
        }
        if (typeof options.sideBySide !== "boolean") problems.push("sideBySide must be true or false");
        if (!Number.isInteger(options.seed)) problems.push(`seed must be an integer, not ${String(options.seed)}`);
        if (typeof options.profile !== "string") problems.push("profile must be a string");
        if (problems.length > 0) throw new AdaptiveInputError(`adaptive speculation: ${problems.join("; ")}`);

        const shape: RoundShape = {bonusAmateurStep: options.mode === "scd", fallbackUsesAmateur: options.mode === "scd"};
        const key = `${options.mode} ${options.profile}`;
        let profile = this.profiles.get(key);
        if (profile == null) profile = new Profile(this.costs, shape, options.seed);
        // Most recently used last; the least recently used profile goes beyond MAX_PROFILES.
        this.profiles.delete(key);
        this.profiles.set(key, profile);
        if (this.profiles.size > MAX_PROFILES) this.profiles.delete(this.profiles.keys().next().value!);
        return new AdaptiveGeneration(this.costs, profile, options.mode, {gammaMax: options.gammaMax, sideBySide: options.sideBySide});
    }
}

/** One generation's view: decide before each round, report after it, read the stats at the end. */
export class AdaptiveGeneration {
    private readonly histogram: Record<string, number> = {};
    private speculativeRounds = 0;
    private sideBySideRounds = 0;
    private fallbackSteps = 0;
    private fallbackTokens = 0;
    private probes = 0;
    /**
     * Reports not yet recorded: while the exploited arm is only repeated, reports are recorded in a batch
     * before the next ranking (or at stats()), which costs a fraction of recording each as it comes (measured
     * in the decoder: 13 µs median per report recorded one by one, between llama.cpp calls).
     */
    private readonly held: RoundReport[] = [];
    /** Decisions made in this generation. */
    private decisions = 0;

    constructor(
        private readonly costs: PairCosts,
        private readonly profile: Profile,
        private readonly mode: "scd" | "sd",
        private readonly limits: ProfileLimits
    ) {}

    decide(): AdaptiveDecision {
        const generationStart = this.decisions++ === 0;
        if (this.held.length > 0 && this.profile.rankingDue(generationStart, this.limits)) this.recordHeld();
        const {arm, probe, steps} = this.profile.choose(this.limits, generationStart);
        if (probe) this.probes++;
        return arm.kind === "fallback" ? {...arm, probe, steps} : {...arm, probe};
    }

    /** Takes a round's report (checked now, recorded before the next ranking); counts it in the stats. */
    observe(report: RoundReport): void {
        checkReport(report, this.mode, this.limits);
        this.held.push(report);
        if (report.kind === "speculate") {
            this.histogram[report.gamma] = (this.histogram[report.gamma] ?? 0) + 1;
            this.speculativeRounds++;
        } else {
            this.fallbackSteps += report.steps ?? 1;
            this.fallbackTokens += report.tokens;
        }
        if (report.sideBySide) this.sideBySideRounds++;
    }

    private recordHeld(): void {
        for (const report of this.held) this.record(report);
        this.held.length = 0;
    }

    private record(report: RoundReport): void {
        let arm: Arm;
        if (report.kind === "speculate") {
            arm = {kind: "speculate", gamma: report.gamma, sideBySide: report.sideBySide};
            if (report.verifyMs != null) this.costs.recordExpertCall(report.sideBySide, report.drafted + 1, report.verifyMs);
            if (report.amateurStepMs != null && (report.amateurSteps ?? 1) > 0) {
                this.costs.recordAmateurStep(report.sideBySide, report.amateurStepMs);
            }
            this.profile.acceptance.record(report.accepted, report.rejected);
            // A round cut short (end of generation, a limit) is not a sample of its arm's cost.
            this.profile.recordRound(arm, report.tokens, report.drafted === report.gamma ? report.wallMs : null);
        } else {
            arm = {kind: "fallback", sideBySide: report.sideBySide};
            if (report.expertMs != null) this.costs.recordExpertCall(report.sideBySide, 1, report.expertMs);
            if (report.amateurMs != null) this.costs.recordAmateurStep(report.sideBySide, report.amateurMs);
            if (report.acceptance != null) this.profile.acceptance.record(report.acceptance, 1 - report.acceptance);
            // A run of steps is recorded as one step of its mean cost.
            const steps = report.steps ?? 1,
                timed = report.timedSteps ?? steps;
            this.profile.recordRound(arm, report.tokens / steps, report.wallMs == null ? null : report.wallMs / timed);
        }
    }

    /** The generation's counts and the pick; records any report still held (call it when the generation ends). */
    stats(): AdaptiveStats {
        this.recordHeld();
        return {
            gammaHistogram: {...this.histogram},
            speculativeRounds: this.speculativeRounds,
            sideBySideRounds: this.sideBySideRounds,
            fallbackSteps: this.fallbackSteps,
            fallbackTokens: this.fallbackTokens,
            probes: this.probes,
            pick: this.profile.current
        };
    }
}

function checkReport(report: RoundReport, mode: "scd" | "sd", limits: ProfileLimits): void {
    const problems: string[] = [];
    const ms = (name: string, value: unknown, nullable = false) => {
        if (value === undefined || (nullable && value === null)) return;
        if (!(typeof value === "number" && Number.isFinite(value) && value >= 0))
            problems.push(`${name} must be a time in ms ≥ 0, not ${String(value)}`);
    };
    if (report.kind !== "speculate" && report.kind !== "fallback") {
        throw new AdaptiveInputError(
            `adaptive speculation: a round report's kind must be speculate or fallback, not ${String((report as {kind: unknown}).kind)}`
        );
    }
    if (report.sideBySide && !limits.sideBySide) problems.push("sideBySide is true but this generation allows no side-by-side calls");
    else if (report.sideBySide && report.kind === "fallback" && mode === "sd")
        problems.push("sideBySide must be false for sd's fallback (the expert alone)");
    if (!(Number.isInteger(report.tokens) && report.tokens >= 0)) problems.push(`tokens must be an integer ≥ 0, not ${String(report.tokens)}`);
    ms("wallMs", report.wallMs, true);
    if (report.kind === "speculate") {
        const {gamma, drafted, accepted, rejected} = report;
        if (!(Number.isInteger(gamma) && gamma >= 1 && gamma <= limits.gammaMax))
            problems.push(`gamma must be an integer from 1 to ${limits.gammaMax}, not ${String(gamma)}`);
        if (!(Number.isInteger(drafted) && drafted >= 0 && drafted <= gamma))
            problems.push(`drafted must be an integer from 0 to gamma (${gamma}), not ${String(drafted)}`);
        if (!(accepted >= 0 && rejected >= 0 && accepted + rejected <= drafted + 1e-9)) {
            problems.push(
                `accepted (${String(accepted)}) and rejected (${String(rejected)}) must be ≥ 0 and add up to at most drafted (${String(drafted)})`
            );
        }
        ms("verifyMs", report.verifyMs);
        ms("amateurStepMs", report.amateurStepMs);
        if (report.amateurSteps !== undefined && !(Number.isInteger(report.amateurSteps) && report.amateurSteps >= 0)) {
            problems.push(`amateurSteps must be an integer ≥ 0, not ${String(report.amateurSteps)}`);
        }
    } else {
        const steps = report.steps ?? 1;
        if (!(Number.isInteger(steps) && steps >= 1)) problems.push(`steps must be an integer ≥ 1, not ${String(report.steps)}`);
        else if (report.tokens > steps) problems.push(`tokens (${report.tokens}) must be at most steps (${steps})`);
        else if (report.timedSteps !== undefined && !(Number.isInteger(report.timedSteps) && report.timedSteps >= 1 && report.timedSteps <= steps)) {
            problems.push(`timedSteps must be an integer from 1 to steps (${steps}), not ${String(report.timedSteps)}`);
        }
        ms("expertMs", report.expertMs);
        ms("amateurMs", report.amateurMs);
        if (report.acceptance !== undefined && !(report.acceptance >= 0 && report.acceptance <= 1)) {
            problems.push(`acceptance must be a probability from 0 to 1, not ${String(report.acceptance)}`);
        }
    }
    if (problems.length > 0) throw new AdaptiveInputError(`adaptive speculation: ${problems.join("; ")}`);
}
