/**
 * The service side of the engine process: starts it on demand, sends requests, routes each reply to the
 * request it answers, and when the process dies rejects everything in flight with
 * ServiceError("engineCrashed") naming how it ended and what it was doing (with llama.cpp's last assertion
 * message when it printed one). The next request starts a fresh process.
 */
import os from "node:os";
import {ServiceError} from "../../src-shared/index.ts";
import type {EngineLauncher, EngineExit, EngineProcess} from "./engineLauncher.ts";
import type {EngineReply, EngineRequest, EngineResults} from "./engineProtocol.ts";

/** Replies a request gets before its `done` (progress, prompt size, streamed text). */
export type EngineProgress = Extract<EngineReply, {type: "progress" | "prompt" | "tokens"}>;

type Pending = {
    readonly what: string;
    readonly resolve: (result: never) => void;
    readonly reject: (error: Error) => void;
    readonly onProgress?: (event: EngineProgress) => void;
};

/** A request without its id (the supervisor numbers them). */
export type EngineRequestBody = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, "id"> : never) : never;

const STDERR_TAIL = 4096;

export class EngineSupervisor {
    private process: EngineProcess | null = null;
    private ready: Promise<EngineProcess> | null = null;
    private nextId = 1;
    private readonly pending = new Map<number, Pending>();
    private stderrTail = "";
    private closing = false;

    /** @param onCrash called when the process dies unasked, with the sentence in-flight requests were rejected with. */
    constructor(
        private readonly launcher: EngineLauncher,
        private readonly onCrash: (message: string) => void
    ) {}

    get running(): boolean {
        return this.process != null;
    }

    /**
     * Sends a request; `what` says what it does ("loading the pair …") for the crash message. Returns its id
     * (for abort) and its result.
     */
    request<B extends EngineRequestBody>(
        body: B,
        what: string,
        onProgress?: (event: EngineProgress) => void
    ): {id: number; result: Promise<EngineResults[B["type"]]>} {
        const id = this.nextId++;
        const result = new Promise<EngineResults[B["type"]]>((resolve, reject) => {
            this.pending.set(id, {what, resolve: resolve as (result: never) => void, reject, onProgress});
        });
        this.start().then(
            (child) => child.send({...body, id} as EngineRequest),
            (error: unknown) => this.settle(id, (p) => p.reject(error instanceof Error ? error : new Error(String(error))))
        );
        return {id, result};
    }

    abort(target: number): void {
        this.process?.send({type: "abort", id: this.nextId++, target});
    }

    /** Stops the process (pending requests are rejected) and waits for it to exit. */
    async close(): Promise<void> {
        this.closing = true;
        const child = this.process;
        if (child == null) return;
        const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
        child.kill();
        await exited;
    }

    private start(): Promise<EngineProcess> {
        if (this.closing) return Promise.reject(new ServiceError("engineCrashed", "the service is shutting down"));
        if (this.ready != null) return this.ready;
        let child: EngineProcess;
        try {
            child = this.launcher.launch();
        } catch (error) {
            return Promise.reject(
                new ServiceError("engineCrashed", `the engine process could not start: ${error instanceof Error ? error.message : String(error)}`)
            );
        }
        this.process = child;
        this.stderrTail = "";
        this.ready = new Promise<EngineProcess>((resolve, reject) => {
            let greeted = false;
            child.onStderr((text) => {
                this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
            });
            child.onMessage((message) => {
                if (message.type === "hello") {
                    greeted = true;
                    resolve(child);
                } else {
                    this.route(message);
                }
            });
            child.onExit((exit) => {
                this.process = null;
                this.ready = null;
                const how = describeExit(exit);
                const reason = lastAssertion(this.stderrTail);
                if (!greeted) reject(new ServiceError("engineCrashed", `the engine process could not start (${how})${reason}`));
                this.crashed(how, reason, greeted);
            });
        });
        return this.ready;
    }

    private route(reply: EngineReply): void {
        const pending = this.pending.get(reply.id);
        if (pending == null) return;
        if (reply.type === "done") this.settle(reply.id, (p) => p.resolve(reply.result as never));
        else if (reply.type === "error") this.settle(reply.id, (p) => p.reject(engineError(reply.kind, reply.message)));
        else pending.onProgress?.(reply);
    }

    private settle(id: number, action: (pending: Pending) => void): void {
        const pending = this.pending.get(id);
        if (pending == null) return;
        this.pending.delete(id);
        action(pending);
    }

    private crashed(how: string, reason: string, started: boolean): void {
        const inFlight = [...this.pending.entries()];
        this.pending.clear();
        const doing = inFlight.map(([, p]) => p.what);
        const message = started
            ? `the engine process stopped (${how})${doing.length > 0 ? ` while ${doing.join(" and ")}` : ""}${reason}`
            : `the engine process could not start (${how})${reason}`;
        for (const [, pending] of inFlight) pending.reject(new ServiceError("engineCrashed", message));
        if (!this.closing) this.onCrash(message);
    }
}

function engineError(kind: EngineReply & {type: "error"} extends {kind: infer K} ? K : never, message: string): ServiceError {
    switch (kind) {
        case "incompatiblePair":
            return new ServiceError("incompatiblePair", message);
        case "badFile":
            return new ServiceError("incompatiblePair", message);
        case "noPair":
            return new ServiceError("noPair", message);
        case "busy":
            return new ServiceError("busy", message);
        case "promptTooLong":
            return new ServiceError("promptTooLong", message);
        default:
            return new ServiceError("internal", message);
    }
}

export function describeExit({code, signal}: EngineExit): string {
    if (signal != null) return `signal ${signal}`;
    // Electron reports a signal death as an exit code (128 + signal number on POSIX).
    if (code != null && code > 128) {
        const name = Object.entries(os.constants.signals).find(([, number]) => number === code - 128)?.[0];
        if (name != null) return `exit code ${code}, ${name}`;
    }
    return `exit code ${code ?? "unknown"}`;
}

/**
 * llama.cpp's last assertion or error line from stderr, without the source path, e.g.
 * ": llama.cpp: GGML_ASSERT(t_meta.ne[dim] >= 1) failed (llama-model-loader.cpp)". Empty when there is none.
 */
export function lastAssertion(stderr: string): string {
    const lines = stderr
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
    for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i]!;
        const located = /(?:^|[/\\])([\w.-]+\.(?:cpp|c|h|cu|m)):\d+: (.+)$/.exec(line);
        if (located != null) return `: llama.cpp: ${located[2]} (${located[1]})`;
        if (/GGML_ASSERT|error|abort/i.test(line)) return `: ${line.slice(0, 300)}`;
    }
    return "";
}
