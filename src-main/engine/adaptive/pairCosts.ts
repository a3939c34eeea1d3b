/**
 * What one loaded pair's model calls cost on this machine, learned from the calls the decoder times: the
 * amateur's single step and the expert's call as a function of its batch size, each kept apart for calls
 * made side by side (the other model busy at the same time, sharing cores and memory bandwidth) and serially.
 * Shared by every decoding profile of the pair (scd and sd, any β or temperature): call costs do not depend
 * on them.
 */
import {BatchCostCurve, MovingMean} from "./estimators.ts";
import type {Primitives} from "./speedModel.ts";

type ScheduleCosts = {readonly amateurStep: MovingMean; readonly expertCall: BatchCostCurve};

export class PairCosts {
    private readonly schedules: Record<"sideBySide" | "serial", ScheduleCosts> = {
        sideBySide: {amateurStep: new MovingMean(), expertCall: new BatchCostCurve()},
        serial: {amateurStep: new MovingMean(), expertCall: new BatchCostCurve()}
    };
    /** primitives() per schedule, until the next measurement. */
    private readonly cached: {sideBySide: Primitives | null; serial: Primitives | null} = {sideBySide: null, serial: null};

    /** One amateur step (one token, one head) took `ms`, or a round's steps took `ms` each on average. */
    recordAmateurStep(sideBySide: boolean, ms: number): void {
        this.of(sideBySide).amateurStep.record(ms);
        this.cached.sideBySide = this.cached.serial = null;
    }

    /** One expert call evaluating `tokens` tokens took `ms`. */
    recordExpertCall(sideBySide: boolean, tokens: number, ms: number): void {
        this.of(sideBySide).expertCall.record(tokens, ms);
        this.cached.sideBySide = this.cached.serial = null;
    }

    /**
     * The primitives as estimated for one schedule; a schedule not measured yet borrows the other's figures
     * (a first guess that its own measurements replace).
     */
    primitives(sideBySide: boolean): Primitives {
        const key = sideBySide ? "sideBySide" : "serial";
        const cached = this.cached[key];
        if (cached != null) return cached;
        const own = this.of(sideBySide),
            other = this.of(!sideBySide);
        const amateur = own.amateurStep.weight > 0 ? own.amateurStep : other.amateurStep;
        const expert = own.expertCall.known ? own.expertCall : other.expertCall;
        return (this.cached[key] = {amateurStepMs: amateur.value, expertCallMs: (n) => expert.at(n)});
    }

    private of(sideBySide: boolean): ScheduleCosts {
        return sideBySide ? this.schedules.sideBySide : this.schedules.serial;
    }
}
