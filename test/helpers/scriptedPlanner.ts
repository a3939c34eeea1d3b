/**
 * A scripted round planner for γ auto: it plays a fixed cycle of decisions (fallback steps, γ changes,
 * schedule changes) instead of the adaptive controller's, so tests reach every kind of switch on demand.
 * Every report the decoder sends is checked by a real AdaptiveGeneration (which refuses a malformed one),
 * and kept for the test to read.
 */
import {
    AdaptivePairState,
    type AdaptiveDecision,
    type AdaptiveGenerationOptions,
    type RoundReport
} from "../../src-main/engine/adaptive/controller.ts";
import type {RoundPlanner} from "../../src-main/engine/pairDecoder.ts";

export type ScriptedStep =
    | {readonly kind: "fallback"; readonly sideBySide?: boolean; readonly steps?: number}
    | {readonly kind: "speculate"; readonly gamma: number; readonly sideBySide?: boolean};

export class ScriptedPlanner implements RoundPlanner {
    readonly reports: RoundReport[] = [];
    decisions = 0;
    private readonly checker;

    /** @param start where in the script this generation begins (so short generations see every step) */
    constructor(
        private readonly script: readonly ScriptedStep[],
        private readonly options: AdaptiveGenerationOptions,
        private readonly start = 0
    ) {
        this.checker = new AdaptivePairState().startGeneration(options);
    }

    decide(): AdaptiveDecision {
        const step = this.script[(this.start + this.decisions++) % this.script.length]!;
        // sd's fallback is the expert alone (serial); side by side only where the pair allows it.
        const sideBySide = (step.sideBySide ?? true) && this.options.sideBySide && !(step.kind === "fallback" && this.options.mode === "sd");
        return step.kind === "fallback"
            ? {kind: "fallback", sideBySide, probe: false, steps: step.steps ?? 1}
            : {kind: "speculate", gamma: step.gamma, sideBySide, probe: false};
    }

    observe(report: RoundReport): void {
        this.checker.observe(report);
        this.reports.push(report);
    }
}

/**
 * A PairDecoderOptions.planner that plans γ-auto rounds with `script`, the k-th generation starting at step k
 * (push placeholders to `made` to start later); `made` holds the planners made, one per generation.
 */
export function scriptedPlanners(script: readonly ScriptedStep[]): {
    readonly planner: (options: AdaptiveGenerationOptions) => ScriptedPlanner;
    readonly made: ScriptedPlanner[];
} {
    const made: ScriptedPlanner[] = [];
    return {
        made,
        planner: (options) => {
            const planner = new ScriptedPlanner(script, options, made.length);
            made.push(planner);
            return planner;
        }
    };
}
/**
 * A cycle through every switch: fallback steps alone and in runs of several, γ 1–5, both schedules,
 * speculation ↔ fallback both ways.
 */
export const everySwitch: readonly ScriptedStep[] = [
    {kind: "fallback"},
    {kind: "fallback", sideBySide: false},
    {kind: "speculate", gamma: 2},
    {kind: "speculate", gamma: 5, sideBySide: false},
    {kind: "fallback", steps: 3},
    {kind: "speculate", gamma: 1},
    {kind: "speculate", gamma: 3},
    {kind: "speculate", gamma: 4, sideBySide: false},
    {kind: "fallback", sideBySide: false, steps: 2},
    {kind: "fallback"},
    {kind: "speculate", gamma: 4},
    {kind: "speculate", gamma: 1, sideBySide: false}
];
