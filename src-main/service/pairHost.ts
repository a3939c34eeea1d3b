/**
 * The one loaded pair, seen from the service process: checks a pair here (GGUF headers only, no llama.cpp)
 * before the engine process sees it, loads and unloads it there, keeps the engine state for status events,
 * and measures what a decoded token costs the expert alone and cd across the context (calibration) once per
 * pair and device, storing it with its date. Calibration runs in the background only while no answer runs: an
 * answer stops it at once (beginAnswer) and it starts again when the answers are done (endAnswer).
 */
import path from "node:path";
import {
    ServiceError,
    type AppStatus,
    type CompatibilityCheck,
    type CostCurves,
    type EngineState,
    type PairRef,
    type SpeedBaseline
} from "../../src-shared/index.ts";
import type {EngineLoadOptions, LoadResult} from "../engineHost/engineProtocol.ts";
import type {EngineSupervisor} from "../engineHost/engineSupervisor.ts";
import {GgufError, inspectPair} from "../models/header/index.ts";
// Header-only: the service process never loads node-llama-cpp.
import type {ChatStore} from "../store/chatStore.ts";
import {sameLoadOptions} from "./settingsResolver.ts";
import {calibrationPositions, costAt} from "./speedCurve.ts";

/** Tokens decoded per calibration run at each position, and runs per position (every run is a point of the fit). */
export const CALIBRATION_TOKENS = 24;
/** Positions across the context where calibration measures (every run is a point of the fitted line). */
export const CALIBRATION_POSITIONS = 8;
export const CALIBRATION_RUNS = 2;

export type LoadedPair = {readonly pair: PairRef; readonly options: EngineLoadOptions; readonly result: LoadResult};

/** The key a pair's baseline is stored under: both model paths. */
export function pairKey(pair: PairRef): string {
    return `${pair.expertPath} + ${pair.amateurPath}`;
}

/** The device a baseline was measured on: the backend and the threads per model, and exact numerics when on. */
export function deviceLabel(loaded: LoadedPair): string {
    const {result, options} = loaded;
    return `${result.backend}, ${result.threads} thread${result.threads === 1 ? "" : "s"} per model${options.exact ? ", exact numerics" : ""}`;
}

export function describePair(pair: PairRef): string {
    return `${path.basename(pair.expertPath)} + ${path.basename(pair.amateurPath)}`;
}

export class PairHost {
    private engineState: EngineState = {state: "idle"};
    private calibrationState: AppStatus["calibration"] = {state: "none"};
    private crash: string | undefined;
    private loadedPair: LoadedPair | null = null;
    private loading: Promise<LoadedPair> | null = null;
    private calibrating: Promise<SpeedBaseline> | null = null;
    /** The engine request id of the running calibration, for cutting it short. */
    private calibrationRequest: number | null = null;
    /** Answers running or waiting (calibration waits for none). */
    private answers = 0;
    /** The running calibration was stopped for an answer (it is not an error; it runs again afterwards). */
    private calibrationPaused = false;

    /**
     * @param changed called after every state change (the service sends a status event).
     */
    constructor(
        private readonly supervisor: EngineSupervisor,
        private readonly store: ChatStore,
        private readonly changed: () => void
    ) {}

    get engine(): EngineState {
        return this.engineState;
    }

    get calibration(): AppStatus["calibration"] {
        return this.calibrationState;
    }

    get lastEngineCrash(): string | undefined {
        return this.crash;
    }

    get loaded(): LoadedPair | null {
        return this.loadedPair;
    }

    get isLoading(): boolean {
        return this.loading != null;
    }

    /** The baseline of the loaded pair on this device, if one was measured. */
    baseline(): SpeedBaseline | null {
        return this.loadedPair == null ? null : this.store.getBaseline(pairKey(this.loadedPair.pair), deviceLabel(this.loadedPair));
    }

    async check(pair: PairRef): Promise<CompatibilityCheck> {
        try {
            const {report} = await inspectPair(pair.expertPath, pair.amateurPath);
            return {compatible: report.compatible, failures: report.failures};
        } catch (error) {
            return {compatible: false, failures: [], fileProblem: error instanceof Error ? error.message : String(error)};
        }
    }

    /** Loads `pair` with `options` unless exactly that is loaded already (after a load in progress ends). */
    async ensure(pair: PairRef, options: EngineLoadOptions): Promise<LoadedPair> {
        while (this.loading != null) await this.loading.catch(() => undefined);
        const loaded = this.loadedPair;
        if (loaded != null && samePair(loaded.pair, pair) && sameLoadOptions(loaded.options, options)) return loaded;
        return this.load(pair, options);
    }

    async load(pair: PairRef, options: EngineLoadOptions): Promise<LoadedPair> {
        if (this.loading != null) {
            // A load in progress (the warm start's, say): wait for it; if it loaded exactly this, that is the answer.
            while (this.loading != null) await this.loading.catch(() => undefined);
            const loaded = this.loadedPair;
            if (loaded != null && samePair(loaded.pair, pair) && sameLoadOptions(loaded.options, options)) return loaded;
        }
        this.loading = this.loadNow(pair, options);
        try {
            return await this.loading;
        } finally {
            this.loading = null;
            this.calibrateWhenIdle();
        }
    }

    private async loadNow(pair: PairRef, options: EngineLoadOptions): Promise<LoadedPair> {
        // Refused here, the loaded pair (if any) stays loaded and the state unchanged.
        await this.refuseUnusable(pair);
        try {
            await this.stopCalibration();
            this.loadedPair = null;
            this.setCalibration({state: "none"});
            this.setEngine({state: "loading", pair, progress: 0});
            const {result} = this.supervisor.request(
                {
                    type: "load",
                    expertPath: pair.expertPath,
                    amateurPath: pair.amateurPath,
                    options
                },
                `loading the pair ${describePair(pair)}`,
                (event) => {
                    if (event.type === "progress" && this.engineState.state === "loading")
                        this.setEngine({state: "loading", pair, progress: event.progress});
                }
            );
            const loadResult = await result;
            const loaded = {pair, options, result: loadResult};
            this.loadedPair = loaded;
            this.crash = undefined;
            this.setEngine({
                state: "ready",
                pair,
                backend: loadResult.backend,
                contextSize: loadResult.contextSize,
                memoryBytes: loadResult.memoryBytes
            });
            const baseline = this.baseline();
            // Without curves, calibration runs in the background once the load is over and no answer runs.
            if (baseline?.curves != null) this.setCalibration({state: "done", baseline});
            return loaded;
        } catch (error) {
            this.setEngine({state: "error", pair, message: error instanceof Error ? error.message : String(error)});
            throw error;
        }
    }

    async unload(): Promise<void> {
        if (this.loading != null) throw new ServiceError("busy", "a model pair is loading; wait for it to finish");
        await this.stopCalibration();
        if (this.supervisor.running) await this.supervisor.request({type: "unload"}, "unloading the pair").result;
        this.loadedPair = null;
        this.setCalibration({state: "none"});
        this.setEngine({state: "idle"});
    }

    /** Measures the expert alone on the loaded pair and stores the result; a second call while one runs joins it. */
    calibrate(): Promise<SpeedBaseline> {
        const loaded = this.loadedPair;
        if (loaded == null) return Promise.reject(new ServiceError("noPair", "no model pair is loaded, so there is nothing to calibrate"));
        this.calibrating ??= this.measure(loaded).finally(() => {
            this.calibrating = null;
        });
        return this.calibrating;
    }

    /**
     * An answer is about to use the engine: a running calibration is stopped at once (it never delays an
     * answer) and none starts until endAnswer.
     */
    async beginAnswer(): Promise<void> {
        this.answers++;
        if (this.calibrating != null) {
            this.calibrationPaused = true;
            await this.stopCalibration();
        }
    }

    /**
     * Resolves when no calibration is running. Answers never wait for one (beginAnswer stops it); the headless
     * local server waits at start-up, so that every answer it gives carries a measured speedup.
     */
    async calibrationSettled(): Promise<void> {
        await this.calibrating?.catch(() => undefined);
    }

    /** The answer is done: a calibration still owed runs now, in the background. */
    endAnswer(): void {
        this.answers = Math.max(0, this.answers - 1);
        this.calibrateWhenIdle();
    }

    /** Starts a calibration in the background when the loaded pair has no curves yet and no answer runs. */
    private calibrateWhenIdle(): void {
        const loaded = this.loadedPair;
        if (loaded == null || this.answers > 0 || this.calibrating != null || this.loading != null) return;
        if (this.baseline()?.curves != null) return;
        if (this.calibrationState.state === "error") return; // a failed calibration is not retried by itself
        void this.calibrate().catch(() => undefined);
    }

    /** The engine process died: nothing is loaded any more; the next load starts a fresh process. */
    engineCrashed(message: string): void {
        this.crash = message;
        const pair = this.loadedPair?.pair ?? (this.engineState.state === "idle" ? null : this.engineState.pair);
        this.loadedPair = null;
        this.setEngine({state: "error", pair, message});
    }

    /** A calibration of the pair being replaced is cut short: its numbers would belong to the wrong pair. */
    private async stopCalibration(): Promise<void> {
        if (this.calibrationRequest != null) this.supervisor.abort(this.calibrationRequest);
        await this.calibrating?.catch(() => undefined);
    }

    private async measure(loaded: LoadedPair): Promise<SpeedBaseline> {
        this.calibrationPaused = false;
        this.setCalibration({state: "running"});
        try {
            const {id, result} = this.supervisor.request(
                {
                    type: "calibrate",
                    positions: calibrationPositions(loaded.result.contextSize, CALIBRATION_TOKENS, CALIBRATION_POSITIONS),
                    tokens: CALIBRATION_TOKENS,
                    runs: CALIBRATION_RUNS
                },
                `measuring the expert alone and cd on ${describePair(loaded.pair)}`
            );
            this.calibrationRequest = id;
            const measured = await result.finally(() => {
                this.calibrationRequest = null;
            });
            const curves: CostCurves = measured.curves;
            if (curves.expertGreedy.length === 0) throw new Error("the calibration measured nothing (every run ended before a few tokens)");
            const baseline: SpeedBaseline = {
                pairKey: pairKey(loaded.pair),
                device: deviceLabel(loaded),
                expertTokensPerSecond: 1000 / costAt(curves.expertGreedy, 0),
                measuredAt: new Date().toISOString(),
                curves
            };
            this.store.saveBaseline(baseline);
            this.setCalibration({state: "done", baseline});
            return baseline;
        } catch (error) {
            if (this.calibrationPaused) {
                // Stopped for an answer: not a failure; it runs again when the answers are done.
                this.setCalibration({state: "none"});
                throw new ServiceError("busy", "the calibration was stopped for an answer; it runs again afterwards");
            }
            this.setCalibration({state: "error", message: error instanceof Error ? error.message : String(error)});
            throw error;
        }
    }

    /** Refuses, with reasons in words, a pair whose files cannot be read or that cannot decode together. */
    private async refuseUnusable(pair: PairRef): Promise<void> {
        try {
            const {report} = await inspectPair(pair.expertPath, pair.amateurPath);
            if (!report.compatible) {
                throw new ServiceError(
                    "incompatiblePair",
                    `${describePair(pair)} cannot decode together: ${report.failures.map((f) => `${f.rule}: ${f.message}`).join("; ")}`
                );
            }
        } catch (error) {
            if (error instanceof GgufError) {
                throw new ServiceError(error.kind === "missing" || error.kind === "notFile" ? "notFound" : "incompatiblePair", error.message);
            }
            throw error;
        }
    }

    private setEngine(state: EngineState): void {
        this.engineState = state;
        this.changed();
    }

    private setCalibration(state: AppStatus["calibration"]): void {
        this.calibrationState = state;
        this.changed();
    }
}

export function samePair(a: PairRef, b: PairRef): boolean {
    return a.expertPath === b.expertPath && a.amateurPath === b.amateurPath;
}
