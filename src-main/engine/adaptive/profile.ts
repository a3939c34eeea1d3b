/**
 * What the controller knows about one decoding profile of a pair (a mode with its α, β and temperature):
 * per-draft acceptance, the measured wall time of each round shape ("arm") it has run, the overhead the speed
 * model misses, and the policy that picks the next arm from them.
 *
 * An arm's predicted time blends its own measured mean (weight fading as it goes unmeasured) with the speed
 * model (speedModel.ts) plus the overhead learned for its kind and schedule, so an arm never run still gets
 * a realistic figure, and a measured one keeps what the model cannot see (drafts drawn ahead, engine work).
 *
 * Policy, before each round: run the arm with the highest predicted tokens/s (sticking with the current one
 * unless another is predicted better by more than HYSTERESIS). Its neighbours — γ ± 1, the same γ in the
 * other schedule, and the fallback (or, while falling back, the speculative arm that would be best at an
 * optimistic acceptance) — are each probed for one round when their probe time comes: PROBE_BASE decisions
 * after the last probe at first, doubling after every probe up to PROBE_CAP while they stay behind, each
 * interval stretched by the probed arm's round time over the best arm's (up to 4×) and jittered ±25% by a
 * seeded RNG so probes never lock onto a periodic pattern. A probe loses at most its own round's time, so
 * probing takes at most about (number of neighbours) / PROBE_BASE of the time at first, an eighth of that
 * once backed off. Between probes the ranking is refreshed every RERANK_EVERY_MS of predicted round time, so
 * on tiny models most decisions cost almost nothing.
 */
import {DiscountedRate, MovingMean} from "./estimators.ts";
import type {PairCosts} from "./pairCosts.ts";
import {expectedTokens, modelledRoundMs, type Arm, type RoundShape} from "./speedModel.ts";
import {createRng, type Rng} from "../math/rng.ts";

/** Per-draft acceptance evidence halves every this many verified drafts. */
const ACCEPTANCE_HALF_LIFE = 100;
/** An arm's own measurement loses half its weight after this many decisions without a new one. */
const ARM_HALF_LIFE = 1000;
/** Weight of the speed model against an arm's own measured mean (which weighs up to 10). */
const MODEL_WEIGHT = 0.5;
/** A new best arm must beat the current one by this share to replace it. */
const HYSTERESIS = 0.02;
/**
 * Probe intervals, in decisions (times the probed arm's round time over the best arm's, where longer): first,
 * and at most after backing off.
 */
const PROBE_BASE = 30;
const PROBE_CAP = 8 * PROBE_BASE;
/**
 * Between probes, the arms are ranked again (every prediction refreshed, the reports held since recorded)
 * once this much predicted round time has passed, and right after a probe: at least every round, at most
 * every RERANK_MAX rounds. Estimates move a few percent per round at most, and a ranking with its reports
 * costs ~50 µs between llama.cpp calls (measured in the decoder), a seventh of a tiny model's step.
 */
const RERANK_EVERY_MS = 10;
const RERANK_MAX = 32;
/** sd, falling back: how long a speculation probe that came due mid-generation waits for a generation start. */
const SD_PROBE_DELAY = 4 * PROBE_CAP;

export type ProfileLimits = {
    readonly gammaMax: number;
    /** Whether side-by-side calls are possible at all (both models' threads fit the machine at once). */
    readonly sideBySide: boolean;
};

type ArmRecord = {
    readonly arm: Arm;
    readonly wallMs: MovingMean;
    /** Decision count when last measured. */
    lastMeasured: number;
    /** Probe interval, decisions; doubles per probe while it is not the best. */
    probeInterval: number;
    /** Decision count from which it is due for a probe. */
    probeDue: number;
    /** Predicted tokens/s, refreshed at each decision (−∞ while it cannot be predicted). */
    rate: number;
};

/** Index of an arm's record: the two fallback schedules first, then γ = 1, 2, … each side by side and serial. */
function armIndex(arm: Arm): number {
    const schedule = arm.sideBySide ? 0 : 1;
    return arm.kind === "fallback" ? schedule : 2 * arm.gamma + schedule;
}

/**
 * Residual overhead beyond the speed model for one kind and schedule, ms (may be negative): a moving mean
 * whose samples, once warmed up, are clipped to ±half the modelled round time around it, so a stall moves it
 * little and a lasting change gets through within a few rounds.
 */
class Overhead {
    private mean = 0;
    private samples = 0;

    get known(): boolean {
        return this.samples > 0;
    }

    get value(): number {
        return this.mean;
    }

    record(ms: number, modelledMs: number): void {
        const bound = 0.5 * modelledMs;
        const sample = this.samples >= 3 ? Math.min(Math.max(ms, this.mean - bound), this.mean + bound) : ms;
        this.samples++;
        this.mean += Math.max(0.1, 1 / this.samples) * (sample - this.mean);
    }
}

/** An arm to run; a fallback exploited between rankings runs for `steps` steps in a row (otherwise 1). */
export type Choice = {readonly arm: Arm; readonly probe: boolean; readonly steps: number};

export class Profile {
    readonly acceptance = new DiscountedRate(ACCEPTANCE_HALF_LIFE);
    /** By armIndex, created on first use. */
    private readonly arms: (ArmRecord | undefined)[] = [];
    /** Residual overheads by [kind: fallback 0, speculate 1][schedule: side by side 0, serial 1]. */
    private readonly overheads = [
        [new Overhead(), new Overhead()],
        [new Overhead(), new Overhead()]
    ] as const;
    private readonly rng: Rng;
    /** Decisions made over every generation of this profile: the clock of arm ageing and probing. */
    private decisions = 0;
    /** The arm the policy currently exploits (null before the first choice). */
    private exploited: ArmRecord | null = null;
    /**
     * The last probe chosen (until its round is recorded), with the best arm's predicted tokens/s then, and
     * whether it tries the other kind (speculation while falling back, or the reverse).
     */
    private lastProbe: {readonly record: ArmRecord; readonly beatsRate: number; readonly switchesKind: boolean} | null = null;
    /**
     * No neighbour of the best arm is due for a probe before this decision (0 after the best arm changed).
     * While falling back, the speculative neighbour is re-picked only then (acceptance moves slowly).
     */
    private earliestProbeDue = 0;
    /** Whether the last speculation probe taken while falling back beat the fallback (probe again soon). */
    private followingUpSpeculation = false;
    /** Decision from which the arms are ranked again (until then the exploited arm is kept, no probe being due). */
    private rerankDue = 0;
    /** The arms open under the last limits seen, fallbacks first. */
    private candidates: {readonly limits: ProfileLimits; readonly fallbacks: ArmRecord[]; readonly speculative: ArmRecord[]} | null = null;

    constructor(
        private readonly costs: PairCosts,
        private readonly shape: RoundShape,
        seed: number
    ) {
        this.rng = createRng(seed);
    }

    /**
     * Whether the next choice ranks the arms (or bootstraps, or follows up a probe) rather than repeating the
     * exploited arm: reports held back until then must be recorded first.
     */
    rankingDue(generationStart: boolean, limits: ProfileLimits): boolean {
        const next = this.decisions + 1;
        return (
            generationStart ||
            this.exploited == null ||
            !this.isCandidate(this.exploited, limits) ||
            this.lastProbe != null ||
            next >= this.rerankDue ||
            next >= this.earliestProbeDue
        );
    }

    /**
     * Picks the next arm; `generationStart`: the generation's first round (it carries the prompt), the one
     * place where sd's speculation probes come cheap while it falls back.
     */
    choose(limits: ProfileLimits, generationStart = false): Choice {
        const kept = this.exploited;
        const ranking = this.rankingDue(generationStart, limits);
        this.decisions++;
        if (!ranking) return this.exploit(kept!);
        const {fallbacks, speculative} = this.candidatesFor(limits);

        // Measure the two shapes the model needs before predicting: a fallback step (t_e, and t_a with cd)
        // and a short speculative round (a second batch size, acceptance).
        if (fallbacks[0]!.wallMs.weight === 0) return {arm: fallbacks[0]!.arm, probe: true, steps: 1};
        const first = this.record({kind: "speculate", gamma: Math.min(2, limits.gammaMax), sideBySide: limits.sideBySide});
        if (first.wallMs.weight === 0) return {arm: first.arm, probe: true, steps: 1};

        let best = fallbacks[0]!;
        for (const list of [fallbacks, speculative]) {
            for (const record of list) {
                const rate = this.predictedRate(record.arm);
                record.rate = Number.isFinite(rate) ? rate : -Infinity;
                if (record.rate > best.rate) best = record;
            }
        }
        const current = this.exploited != null && this.isCandidate(this.exploited, limits) ? this.exploited : null;
        if (current != null && current.rate >= best.rate * (1 - HYSTERESIS)) best = current;
        if (best !== current) {
            best.probeInterval = PROBE_BASE;
            this.earliestProbeDue = 0;
        }
        this.exploited = best;
        const roundMs = this.predictedMs(best.arm);
        this.rerankDue = this.decisions + (roundMs > 0 ? Math.min(Math.max(Math.round(RERANK_EVERY_MS / roundMs), 1), RERANK_MAX) : 1);

        // Probing: nothing to do before the earliest probe time of the best arm's neighbours.
        // (At a generation's start sd's delayed speculation probe may be due: look at the neighbours.)
        if (this.earliestProbeDue > this.decisions && !(generationStart && !this.shape.fallbackUsesAmateur)) return this.exploit(best);
        const neighbours: ArmRecord[] = [];
        let delayed: ArmRecord | null = null;
        const arm = best.arm;
        if (arm.kind === "speculate") {
            if (arm.gamma > 1) neighbours.push(this.record({...arm, gamma: arm.gamma - 1}));
            if (arm.gamma < limits.gammaMax) neighbours.push(this.record({...arm, gamma: arm.gamma + 1}));
            if (limits.sideBySide) neighbours.push(this.record({...arm, sideBySide: !arm.sideBySide}));
            neighbours.push(fallbacks.reduce((a, b) => (b.rate > a.rate ? b : a)));
        } else {
            if (fallbacks.length > 1) neighbours.push(this.record({...arm, sideBySide: !arm.sideBySide}));
            // While falling back, acceptance is learnt only from probes (and, in cd, from the heads): probe the
            // speculative arm that would be best if acceptance were one standard deviation higher, so a probe
            // verifies more drafts when acceptance might have risen.
            const optimistic = this.acceptance.optimistic;
            let pick = speculative[0]!,
                pickRate = -Infinity;
            for (const record of speculative) {
                const rate = this.predictedRate(record.arm, optimistic);
                if (rate > pickRate) [pick, pickRate] = [record, rate];
            }
            neighbours.push(pick);
            // sd's fallback leaves the amateur idle, so a speculation probe first has it catch up on every token
            // since it last ran, one batch costing about the same per token whenever it comes (on the demo pair
            // ~4 ms for 64 tokens, 11 expert steps): mid-generation it is put off by SD_PROBE_DELAY decisions,
            // and taken at the start of the next generation, where the amateur reads the prompt anyway.
            // (Not while it follows up a speculation probe that beat the fallback.)
            if (!this.shape.fallbackUsesAmateur && !generationStart && !this.followingUpSpeculation) delayed = pick;
        }
        const dueOf = (record: ArmRecord) => (record === delayed ? record.probeDue + SD_PROBE_DELAY : record.probeDue);
        let probe: ArmRecord | null = null;
        for (const record of neighbours) {
            if (dueOf(record) <= this.decisions && (probe == null || dueOf(record) < dueOf(probe))) probe = record;
        }
        if (probe == null) {
            this.earliestProbeDue = Math.min(...neighbours.map(dueOf));
            return this.exploit(best);
        }
        const costRatio = this.predictedMs(probe.arm) / this.predictedMs(best.arm);
        // (capped: a stale prediction must not put a probe off for long)
        const interval = probe.probeInterval * Math.min(Math.max(costRatio, 1), 4) * (0.75 + 0.5 * this.rng.next());
        probe.probeDue = this.decisions + Math.round(interval);
        probe.probeInterval = Math.min(2 * probe.probeInterval, PROBE_CAP);
        this.earliestProbeDue = Math.min(...neighbours.map(dueOf));
        this.lastProbe = {record: probe, beatsRate: best.rate, switchesKind: probe.arm.kind !== arm.kind};
        // A fallback probe from speculation runs two steps: the first, after leaving speculation, goes untimed.
        return {arm: probe.arm, probe: true, steps: probe.arm.kind === "fallback" && arm.kind === "speculate" ? 2 : 1};
    }

    /**
     * Runs the exploited arm. A fallback runs until the next ranking or probe is due (at most RERANK_MAX
     * steps): the decoder then runs those steps back to back and reports them once, so on a tiny model the
     * controller costs nothing per step (measured on the demo pair: any JavaScript work between two llama.cpp
     * steps cost about twice its own time, through caches and scheduling). The decision clock counts steps.
     */
    private exploit(record: ArmRecord): Choice {
        if (record.arm.kind !== "fallback") return {arm: record.arm, probe: false, steps: 1};
        const steps = Math.min(Math.max(Math.min(this.rerankDue, this.earliestProbeDue) - this.decisions, 1), RERANK_MAX);
        this.decisions += steps - 1;
        return {arm: record.arm, probe: false, steps};
    }

    /**
     * One round of `arm` committed `tokens` in `wallMs` (null: not timed, e.g. it carried prompt tokens); call
     * after its costs and acceptance are recorded. A probe of the other kind (speculation while falling back,
     * or the reverse) that beat the best arm's predicted speed is probed again soon (its interval starts over)
     * rather than backed off: acceptance may have moved, and one round is too little evidence to switch on.
     */
    recordRound(arm: Arm, tokens: number, wallMs: number | null): void {
        const probe = this.lastProbe;
        this.lastProbe = null;
        if (probe != null) this.rerankDue = 0; // what a probe measured is weighed at the next decision
        if (wallMs == null) return;
        const record = this.record(arm);
        if (probe?.record === record && probe.switchesKind) {
            const beat = (1000 * tokens) / Math.max(wallMs, 1e-6) > probe.beatsRate;
            if (beat) record.probeInterval = PROBE_BASE;
            this.followingUpSpeculation = beat && arm.kind === "speculate";
        }
        record.wallMs.fade(this.freshness(record));
        record.wallMs.record(wallMs);
        record.lastMeasured = this.decisions;
        const modelled = modelledRoundMs(arm, this.acceptance.value, this.costs.primitives(arm.sideBySide), this.shape);
        if (Number.isFinite(modelled)) this.overhead(arm).record(wallMs - modelled, modelled);
    }

    /** The arm currently exploited, or null before the first choice after bootstrapping. */
    get current(): Arm | null {
        return this.exploited?.arm ?? null;
    }

    /** Predicted tokens per second of an arm (at the estimated acceptance unless given); NaN while a primitive it needs is unmeasured. */
    predictedRate(arm: Arm, acceptance = this.acceptance.value): number {
        return (1000 * expectedTokens(arm, acceptance)) / Math.max(this.predictedMs(arm, acceptance), 1e-6);
    }

    /** Predicted wall time of one round of `arm`, ms. */
    predictedMs(arm: Arm, acceptance = this.acceptance.value): number {
        const modelled = modelledRoundMs(arm, acceptance, this.costs.primitives(arm.sideBySide), this.shape) + this.overheadFor(arm);
        const record = this.arms[armIndex(arm)];
        const weight = record == null ? 0 : record.wallMs.weight * this.freshness(record);
        if (weight === 0) return modelled;
        if (!Number.isFinite(modelled)) return record!.wallMs.value;
        return (weight * record!.wallMs.value + MODEL_WEIGHT * Math.max(0, modelled)) / (weight + MODEL_WEIGHT);
    }

    /** How much of an arm's measured weight still stands after the decisions since it was last measured. */
    private freshness(record: ArmRecord): number {
        return 0.5 ** ((this.decisions - record.lastMeasured) / ARM_HALF_LIFE);
    }

    /** The learnt overhead of an arm's kind and schedule, borrowed from the other schedule until measured. */
    private overheadFor(arm: Arm): number {
        const byKind = this.overheads[arm.kind === "fallback" ? 0 : 1];
        const own = byKind[arm.sideBySide ? 0 : 1],
            other = byKind[arm.sideBySide ? 1 : 0];
        return own.known ? own.value : other.value;
    }

    private overhead(arm: Arm): Overhead {
        return this.overheads[arm.kind === "fallback" ? 0 : 1][arm.sideBySide ? 0 : 1];
    }

    private candidatesFor(limits: ProfileLimits): {fallbacks: ArmRecord[]; speculative: ArmRecord[]} {
        const cached = this.candidates;
        if (cached != null && cached.limits.gammaMax === limits.gammaMax && cached.limits.sideBySide === limits.sideBySide) return cached;
        const schedules = limits.sideBySide ? [true, false] : [false];
        const fallbacks = (this.shape.fallbackUsesAmateur ? schedules : [false]).map((sideBySide) => this.record({kind: "fallback", sideBySide}));
        const speculative: ArmRecord[] = [];
        for (const sideBySide of schedules) {
            for (let gamma = 1; gamma <= limits.gammaMax; gamma++) speculative.push(this.record({kind: "speculate", gamma, sideBySide}));
        }
        this.candidates = {limits: {...limits}, fallbacks, speculative};
        return this.candidates;
    }

    private isCandidate(record: ArmRecord, limits: ProfileLimits): boolean {
        const arm = record.arm;
        if (arm.sideBySide && !limits.sideBySide) return false;
        if (arm.kind === "fallback") return !arm.sideBySide || this.shape.fallbackUsesAmateur;
        return arm.gamma <= limits.gammaMax;
    }

    private record(arm: Arm): ArmRecord {
        const index = armIndex(arm);
        let record = this.arms[index];
        if (record == null) {
            const own: Arm =
                arm.kind === "fallback"
                    ? {kind: "fallback", sideBySide: arm.sideBySide}
                    : {kind: "speculate", gamma: arm.gamma, sideBySide: arm.sideBySide};
            record = {arm: own, wallMs: new MovingMean(), lastMeasured: 0, probeInterval: PROBE_BASE, probeDue: 0, rate: -Infinity};
            this.arms[index] = record;
        }
        return record;
    }
}
