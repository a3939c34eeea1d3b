/**
 * "Compare modes": one user message (with the history before it, as its answer saw it) through expert, sd, cd and
 * scd with one seed, one mode after another on the loaded pair, each column streamed as `comparison` events and
 * the whole comparison saved with the conversation (after each column, and at the end). Each column's stats are
 * an answer's (speed, speedup over the same span, acceptance), so the user sees for their own pair that scd gives
 * cd's text at sd's speed. Stop stops the running column and leaves the rest unrun. Never throws.
 */
import {randomUUID} from "node:crypto";
import type {ComparedMode, Comparison, ComparisonColumn, Message, PairRef, ServiceEvent, Settings} from "../../src-shared/index.ts";
import {appendRuns} from "../../src-shared/index.ts";
import type {EngineLoadOptions} from "../engineHost/engineProtocol.ts";
import type {EngineSupervisor} from "../engineHost/engineSupervisor.ts";
import type {ChatStore} from "../store/chatStore.ts";
import {conversationForModels, previousTokens, readyPair} from "./answerRun.ts";
import {messageStats} from "./messageStats.ts";
import type {PairHost} from "./pairHost.ts";
import {decodingParamsOf} from "./settingsResolver.ts";

export const comparedModes: readonly ComparedMode[] = ["expert", "sd", "cd", "scd"];

/** Most often the growing columns are sent to the UI (ms); the engine batches its text every 16 ms. */
const EMIT_EVERY_MS = 50;

export type CompareParts = {
    readonly store: ChatStore;
    readonly supervisor: EngineSupervisor;
    readonly pairs: PairHost;
    readonly emit: (event: ServiceEvent) => void;
};

export type ComparePlan = {
    readonly conversationId: string;
    /** The user message compared. */
    readonly message: Message;
    readonly pair: PairRef;
    readonly loadOptions: EngineLoadOptions;
    readonly settings: Settings;
    readonly seed: number;
};

export class CompareRun {
    private comparison: Comparison;
    private stopRequested = false;
    private readonly stopped = new AbortController();
    private engineRequest: number | null = null;
    private lastEmit = 0;

    constructor(
        private readonly parts: CompareParts,
        private readonly plan: ComparePlan
    ) {
        const time = new Date().toISOString();
        this.comparison = {
            id: randomUUID(),
            conversationId: plan.conversationId,
            messageId: plan.message.id,
            seed: plan.seed,
            status: "running",
            columns: comparedModes.map((mode) => ({mode, status: "waiting", content: "", runs: [], stats: null, error: null})),
            createdAt: time,
            updatedAt: time
        };
    }

    get conversationId(): string {
        return this.plan.conversationId;
    }

    get current(): Comparison {
        return this.comparison;
    }

    /** Fires on stop() (a comparison still waiting for its turn in the queue leaves it). */
    get stopSignal(): AbortSignal {
        return this.stopped.signal;
    }

    stop(): void {
        this.stopRequested = true;
        this.stopped.abort();
        if (this.engineRequest != null) this.parts.supervisor.abort(this.engineRequest);
    }

    /** Saves the comparison as it starts (so it is listed with the conversation at once). */
    start(): Comparison {
        this.parts.store.saveComparison(this.comparison);
        return this.comparison;
    }

    async run(): Promise<Comparison> {
        const {store, pairs} = this.parts;
        try {
            const pairLoadMs = await readyPair(pairs, this.plan.pair, this.plan.loadOptions);
            const stored = store.listMessages(this.plan.conversationId);
            const upTo = stored.findIndex((message) => message.id === this.plan.message.id);
            const history = stored.slice(0, upTo + 1);
            // What the models see: the history up to and including the message, as its own answer saw it.
            const messages = conversationForModels(history, "", this.plan.settings.systemPrompt);
            const previous = previousTokens(store, history, this.plan.message.id, this.plan.pair);
            for (const [index, mode] of comparedModes.entries()) {
                if (this.stopRequested) break;
                await this.column(index, mode, messages, previous, index === 0 ? pairLoadMs : null);
            }
            const columns = this.comparison.columns;
            const status = columns.some((c) => c.status === "error") ? "error" : this.stopRequested ? "stopped" : "done";
            this.update({
                status,
                columns: columns.map((c) => (c.status === "waiting" || c.status === "streaming" ? {...c, status: "stopped"} : c))
            });
        } catch (error) {
            this.update({
                status: this.stopRequested ? "stopped" : "error",
                columns: this.comparison.columns.map((c) =>
                    c.status === "waiting" || c.status === "streaming" ? {...c, status: "error", error: errorText(error)} : c
                )
            });
        } finally {
            pairs.endAnswer();
        }
        this.save();
        this.parts.emit({type: "comparison", comparison: this.comparison});
        return this.comparison;
    }

    private async column(
        index: number,
        mode: ComparedMode,
        messages: ReturnType<typeof conversationForModels>,
        previous: readonly number[],
        pairLoadMs: number | null
    ): Promise<void> {
        const {supervisor, pairs} = this.parts;
        const settings = {...this.plan.settings, mode};
        const startedAt = performance.now();
        let firstTokenAt: number | null = null;
        this.setColumn(index, {status: "streaming"});
        const request = supervisor.request(
            {type: "generate", messages, params: decodingParamsOf(settings, this.plan.seed), previous},
            `comparing modes (${mode})`,
            (event) => {
                if (event.type !== "tokens") return;
                if (event.text.length > 0) firstTokenAt ??= performance.now();
                const column = this.comparison.columns[index]!;
                this.setColumn(index, {content: column.content + event.text, runs: appendRuns(column.runs, event.runs)}, false);
            }
        );
        this.engineRequest = request.id;
        if (this.stopRequested) supervisor.abort(request.id);
        try {
            const result = await request.result;
            const stats = messageStats(result.stats, {
                promptTokens: result.promptTokens,
                droppedTurns: result.droppedTurns,
                baseline: pairs.baseline(),
                temperature: settings.temperature,
                sendToFirstTokenMs: firstTokenAt == null ? null : firstTokenAt - startedAt,
                pairLoadMs
            });
            this.setColumn(index, {status: result.stats.stopReason === "abort" ? "stopped" : "done", stats});
        } catch (error) {
            this.setColumn(index, {status: "error", error: errorText(error)});
        } finally {
            this.engineRequest = null;
        }
        this.save();
    }

    private setColumn(index: number, patch: Partial<ComparisonColumn>, always = true): void {
        const columns = this.comparison.columns.map((column, i) => (i === index ? {...column, ...patch} : column));
        this.comparison = {...this.comparison, columns, updatedAt: new Date().toISOString()};
        const now = performance.now();
        if (always || now - this.lastEmit >= EMIT_EVERY_MS) {
            this.lastEmit = now;
            this.parts.emit({type: "comparison", comparison: this.comparison});
        }
    }

    private update(patch: Partial<Comparison>): void {
        this.comparison = {...this.comparison, ...patch, updatedAt: new Date().toISOString()};
    }

    private save(): void {
        try {
            this.parts.store.saveComparison(this.comparison);
        } catch {
            // The comparison still reaches the UI through its events; only its saved copy is behind.
        }
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
