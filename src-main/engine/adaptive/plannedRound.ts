/**
 * γ auto's round, as the generation runs it: ask the planner (the pair's adaptive controller, or a scripted
 * stand-in in tests) which round comes next, run it with the generation's own steps — one speculative round, or
 * a run of fallback steps back to back (a cd step for scd, the expert alone for sd; Stop checked between them) —
 * and report what it measured (wall time from before the decision). The steps themselves, and every token they
 * commit, are the decoding loop's (pairDecoder.ts); this file only schedules and times them.
 */
import type {AdaptiveDecision, AdaptiveStats, RoundReport} from "./controller.ts";

/** What picks each round under γ auto: the pair's AdaptiveGeneration, or a scripted stand-in in tests. */
export type RoundPlanner = {
    decide(): AdaptiveDecision;
    observe(report: RoundReport): void;
    stats?(): AdaptiveStats;
};

/** A speculative round's report to the planner, before its token count and wall time are added. */
export type SpeculativeRoundReport = Omit<Extract<RoundReport, {kind: "speculate"}>, "tokens" | "wallMs"> & {
    /** A call in the round carried several pending tokens, so its wall time says nothing about the arm. */
    readonly untimed: boolean;
};

/** What one cd step measured: each model's call, and (when asked) Σ min(p_n, q), γ auto's acceptance evidence. */
export type ContrastiveStepTimes = {readonly expertMs: number; readonly amateurMs: number; readonly acceptance: number | null};

/** The generation's side of a planned round: its steps and the state they leave. */
export interface PlannedRoundSteps {
    readonly mode: "scd" | "sd";
    /** Whether the pair allows side-by-side calls at all. */
    readonly sideBySide: boolean;
    /** Tokens committed so far. */
    readonly tokenCount: number;
    readonly stopped: boolean;
    readonly aborted: boolean;
    /** A call now would carry several pending tokens (the prompt, the amateur catching up): not a step's cost. */
    readonly catchingUp: boolean;
    /** Speculation → a fallback step: drops the draft stream; true when there was one. */
    leaveSpeculation(): Promise<boolean>;
    /** One cd token (scd's fallback); null when nothing ran. */
    contrastiveStep(sideBySide: boolean, measureAcceptance: boolean): Promise<ContrastiveStepTimes | null>;
    /** One expert-alone token, the amateur to catch up later (sd's fallback); its call's wall time, null when nothing ran. */
    expertStep(): Promise<number | null>;
    speculativeRound(gamma: number, sideBySide: boolean): Promise<SpeculativeRoundReport | null>;
    /** γ auto decoded `tokens` tokens without speculating. */
    countFallback(tokens: number): void;
}

export async function runPlannedRound(planner: RoundPlanner, steps: PlannedRoundSteps, gammaMax: number): Promise<void> {
    const started = performance.now();
    const decision = planner.decide();
    const tokensBefore = steps.tokenCount;
    let report: RoundReport;
    if (decision.kind === "fallback") {
        // Leaving speculation costs a cache edit and one re-evaluated amateur token: not a fallback step's
        // cost, so after a switch the clock starts from the second step (one step alone goes untimed).
        const switched = await steps.leaveSpeculation();
        const untimed = steps.catchingUp;
        let clockFrom = started;
        const sideBySide = steps.mode === "scd" && decision.sideBySide && steps.sideBySide;
        let count = 0,
            expertMs = 0,
            amateurMs = 0;
        let acceptance: number | undefined;
        while (count < (decision.steps ?? 1) && !steps.stopped && !(count > 0 && steps.aborted)) {
            if (steps.mode === "scd") {
                // cd's Σ min(p_n, q), the controller's acceptance evidence, at the run's first step only.
                const times = await steps.contrastiveStep(sideBySide, count === 0);
                if (times == null) break;
                expertMs += times.expertMs;
                amateurMs += times.amateurMs;
                acceptance ??= times.acceptance ?? undefined;
            } else {
                const callMs = await steps.expertStep();
                if (callMs == null) break;
                expertMs += callMs;
            }
            count++;
            if (switched && count === 1) clockFrom = performance.now();
        }
        if (count === 0) return; // nothing ran: the generation ends here
        const tokens = steps.tokenCount - tokensBefore;
        steps.countFallback(tokens);
        const times =
            steps.mode === "scd"
                ? {expertMs: expertMs / count, amateurMs: amateurMs / count, ...(acceptance != null ? {acceptance} : {})}
                : {expertMs: expertMs / count};
        const timedSteps = switched ? count - 1 : count;
        report =
            untimed || timedSteps === 0
                ? {kind: "fallback", sideBySide, steps: count, tokens, wallMs: null}
                : {kind: "fallback", sideBySide, steps: count, timedSteps, tokens, wallMs: performance.now() - clockFrom, ...times};
    } else {
        const round = await steps.speculativeRound(Math.min(decision.gamma, gammaMax), decision.sideBySide && steps.sideBySide);
        if (round == null) return;
        const {untimed, ...fields} = round;
        report = {...fields, tokens: steps.tokenCount - tokensBefore, wallMs: untimed ? null : performance.now() - started};
    }
    planner.observe(report);
}
