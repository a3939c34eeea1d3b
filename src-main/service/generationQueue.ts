/**
 * One line for the loaded pair: every generation, the app's answers and the local server's requests alike,
 * runs through here, one at a time (the engine runs one generation at a time; a second would be refused).
 *
 * Fairness: the two callers take turns. When a generation ends and both have work waiting, the caller that
 * did not run last goes next; within a caller the order is first come, first served. So an app answer waits
 * behind at most the one server request running (never behind a long line of them), and a burst of server
 * requests cannot starve the app, nor the app the server.
 *
 * Bounds: a caller's line can be bounded (the server's is; the app has at most one answer at a time anyway):
 * a job that would make it longer is refused at once with QueueFullError, which says when to try again.
 * A job whose signal fires while it waits leaves the line without running (its promise rejects with the
 * signal's reason).
 */
import {ServiceError} from "../../src-shared/index.ts";

export type QueueCaller = "app" | "server";

/** The line is full: try again after `retryAfterSeconds` (an estimate from recent generations). */
export class QueueFullError extends ServiceError {
    constructor(
        readonly retryAfterSeconds: number,
        message: string
    ) {
        super("busy", message);
        this.name = "QueueFullError";
    }
}

type Waiting = {
    readonly caller: QueueCaller;
    readonly start: () => void;
    readonly cancel: (reason: unknown) => void;
};

/** Durations of the last generations kept for the retry estimate. */
const RECENT = 8;

export type QueueState = {
    readonly running: QueueCaller | null;
    readonly waiting: {readonly app: number; readonly server: number};
};

export class GenerationQueue {
    private running: QueueCaller | null = null;
    private lastCaller: QueueCaller | null = null;
    private readonly waiting: Waiting[] = [];
    private readonly recentMs: number[] = [];
    private readonly idleWaiters: (() => void)[] = [];

    /** @param limits the most jobs that may wait per caller (Infinity: unbounded). */
    constructor(private readonly limits: Readonly<Record<QueueCaller, number>>) {}

    get state(): QueueState {
        return {running: this.running, waiting: {app: this.count("app"), server: this.count("server")}};
    }

    /** True while a generation runs or waits. */
    get busy(): boolean {
        return this.running != null || this.waiting.length > 0;
    }

    /** Resolves when nothing runs or waits. */
    whenIdle(): Promise<void> {
        if (!this.busy) return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    /** Seconds a refused caller should wait: the jobs ahead times a recent generation's mean length, at least 1. */
    retryAfterSeconds(): number {
        const mean = this.recentMs.length === 0 ? 1000 : this.recentMs.reduce((a, b) => a + b, 0) / this.recentMs.length;
        const ahead = this.waiting.length + (this.running != null ? 1 : 0);
        return Math.max(1, Math.ceil((ahead * mean) / 1000));
    }

    /** Runs `job` when its turn comes; see the file comment for the order, the bound and `signal`. */
    run<T>(caller: QueueCaller, job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
        if (signal?.aborted) return Promise.reject(signal.reason);
        const limit = this.limits[caller];
        const mustWait = this.running != null || this.waiting.length > 0;
        if (mustWait && this.count(caller) >= limit) {
            const retry = this.retryAfterSeconds();
            return Promise.reject(
                new QueueFullError(
                    retry,
                    `${this.count(caller)} requests are waiting for the model pair already (the most this server queues); try again in about ${retry} s`
                )
            );
        }
        return new Promise<T>((resolve, reject) => {
            const start = () => {
                signal?.removeEventListener("abort", onAbort);
                this.running = caller;
                this.lastCaller = caller;
                const began = performance.now();
                let outcome: Promise<T>;
                try {
                    outcome = job();
                } catch (error) {
                    outcome = Promise.reject(error);
                }
                // The line moves on before the caller hears the outcome, so a caller that acts on it finds the pair free.
                const release = () => {
                    this.recentMs.push(performance.now() - began);
                    if (this.recentMs.length > RECENT) this.recentMs.shift();
                    this.running = null;
                    this.next();
                };
                outcome.then(
                    (value) => {
                        release();
                        resolve(value);
                    },
                    (error: unknown) => {
                        release();
                        reject(error);
                    }
                );
            };
            const entry: Waiting = {caller, start, cancel: reject};
            const onAbort = () => {
                const at = this.waiting.indexOf(entry);
                if (at < 0) return;
                this.waiting.splice(at, 1);
                reject(signal!.reason);
                if (!this.busy) this.settleIdle();
            };
            signal?.addEventListener("abort", onAbort, {once: true});
            this.waiting.push(entry);
            if (this.running == null) this.next();
        });
    }

    /** Starts the next job: the other caller's first waiting job when it has one, else the first in line. */
    private next(): void {
        if (this.running != null) return;
        if (this.waiting.length === 0) {
            this.settleIdle();
            return;
        }
        let at = this.waiting.findIndex((w) => w.caller !== this.lastCaller);
        if (at < 0) at = 0;
        const [entry] = this.waiting.splice(at, 1);
        entry!.start();
    }

    private count(caller: QueueCaller): number {
        return this.waiting.filter((w) => w.caller === caller).length;
    }

    private settleIdle(): void {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
}
