/**
 * One answer, from the empty assistant message to its final status: makes sure the right pair is loaded
 * (stopping a running calibration: it never delays an answer, and runs again afterwards), builds what the models
 * see from the conversation (starting from the token stream the previous answer left in the caches, so only the
 * new turn is evaluated), streams the engine's text into delta events and into the store (AnswerWriter: at least
 * every 500 ms, so a killed process loses at most that), and ends the message as done, stopped or error
 * with its stats and token runs. An engine crash ends it as error with the crash's reason; the text so far
 * is kept.
 */
import type {Message, PairRef, ServiceEvent, Settings} from "../../src-shared/index.ts";
import type {EngineChatMessage, EngineLoadOptions} from "../engineHost/engineProtocol.ts";
import type {EngineSupervisor} from "../engineHost/engineSupervisor.ts";
import type {ChatStore} from "../store/chatStore.ts";
import {AnswerWriter} from "../store/answerWriter.ts";
import {messageStats} from "./messageStats.ts";
import {pairKey, samePair, type PairHost} from "./pairHost.ts";
import {sameLoadOptions} from "./settingsResolver.ts";
import {decodingParamsOf} from "./settingsResolver.ts";

export type AnswerPlan = {
    readonly assistant: Message;
    readonly pair: PairRef;
    readonly loadOptions: EngineLoadOptions;
    readonly settings: Settings;
};

export type AnswerParts = {
    readonly store: ChatStore;
    readonly supervisor: EngineSupervisor;
    readonly pairs: PairHost;
    readonly emit: (event: ServiceEvent) => void;
};

/** The conversation as the models see it: the system prompt, then every message before the answer being written. */
export function conversationForModels(messages: readonly Message[], answerId: string, systemPrompt: string): EngineChatMessage[] {
    const seen: EngineChatMessage[] = systemPrompt.trim().length > 0 ? [{role: "system", text: systemPrompt}] : [];
    for (const message of messages) {
        if (message.id === answerId) break;
        // An answer that failed before writing anything has nothing for the models to see.
        if (message.role === "assistant" && message.content.length === 0) continue;
        seen.push({role: message.role, text: message.content});
    }
    return seen;
}

/**
 * The token stream the latest earlier answer of the conversation left in the caches (its prompt and its tokens),
 * when that answer was written by `pair`; empty when there is none (the prompt is then formatted afresh).
 */
export function previousTokens(store: ChatStore, messages: readonly Message[], before: string, pair: PairRef): readonly number[] {
    const end = messages.findIndex((message) => message.id === before);
    const earlier = end < 0 ? messages : messages.slice(0, end);
    const key = pairKey(pair);
    for (let i = earlier.length - 1; i >= 0; i--) {
        const message = earlier[i]!;
        if (message.role !== "assistant" || message.content.length === 0) continue;
        const stored = store.getAnswerTokens(message.id);
        return stored != null && stored.pairKey === key ? stored.tokens : [];
    }
    return [];
}

/**
 * Makes sure `pair` is loaded with `options` (a running calibration is stopped first: beginAnswer); returns how
 * long the answer waited for a load, or null when the pair was ready. Pair with `pairs.endAnswer()`.
 */
export async function readyPair(pairs: PairHost, pair: PairRef, options: EngineLoadOptions): Promise<number | null> {
    await pairs.beginAnswer();
    const loaded = pairs.loaded;
    const ready = !pairs.isLoading && loaded != null && samePair(loaded.pair, pair) && sameLoadOptions(loaded.options, options);
    const started = performance.now();
    await pairs.ensure(pair, options);
    return ready ? null : performance.now() - started;
}

export class AnswerRun {
    /** When Send was pressed (the answer is made at once): first-token time is from here. */
    private readonly sentAt = performance.now();
    private firstTokenAt: number | null = null;
    private stopRequested = false;
    private engineRequest: number | null = null;
    /** A write of the growing answer that failed (the answer is then stopped and ends as error). */
    private storageFailure: unknown = null;
    private readonly stopped = new AbortController();

    constructor(
        private readonly parts: AnswerParts,
        private readonly plan: AnswerPlan
    ) {}

    get conversationId(): string {
        return this.plan.assistant.conversationId;
    }

    get messageId(): string {
        return this.plan.assistant.id;
    }

    /** Stops the answer: at the engine's next round, or before it starts when it is still waiting for the pair. */
    stop(): void {
        this.stopRequested = true;
        this.stopped.abort(new Error("the answer was stopped"));
        if (this.engineRequest != null) this.parts.supervisor.abort(this.engineRequest);
    }

    /** Fires on stop() (an answer still waiting for its turn in the queue leaves it). */
    get stopSignal(): AbortSignal {
        return this.stopped.signal;
    }

    /** Runs to the end; never throws (every failure ends up in the message). */
    async run(): Promise<Message> {
        const {store, supervisor, pairs, emit} = this.parts;
        const {assistant, settings} = this.plan;
        const writer = new AnswerWriter(store, assistant);
        const finish = (patch: Parameters<AnswerWriter["finish"]>[0]): Message => {
            let message: Message;
            try {
                message = writer.finish(patch);
            } catch (error) {
                // The store refused the final write (disk full…): report it with what is in memory.
                message = {...assistant, content: writer.text, status: "error", error: `the answer could not be saved: ${errorText(error)}`};
            }
            emit({type: "generation", event: {kind: "finished", conversationId: this.conversationId, message}});
            return message;
        };
        try {
            // Stopped while it waited for its turn: nothing ran, nothing to load.
            if (this.stopRequested) return finish({status: "stopped"});
            const pairLoadMs = await readyPair(pairs, this.plan.pair, this.plan.loadOptions);
            store.setConversationPair(this.conversationId, this.plan.pair);
            if (this.stopRequested) return finish({status: "stopped"});

            const stored = store.listMessages(this.conversationId);
            const messages = conversationForModels(stored, assistant.id, settings.systemPrompt);
            const previous = previousTokens(store, stored, assistant.id, this.plan.pair);
            const request = supervisor.request(
                {type: "generate", messages, params: decodingParamsOf(settings, assistant.seed ?? 0), previous},
                "writing an answer",
                (event) => {
                    if (event.type === "prompt" && event.droppedTurns > 0) {
                        emit({type: "notice", conversationId: this.conversationId, topic: "context", text: droppedTurnsNotice(event.droppedTurns)});
                    } else if (event.type === "tokens" && this.storageFailure == null) {
                        if (event.text.length > 0) this.firstTokenAt ??= performance.now();
                        try {
                            writer.append(event.text, event.runs);
                        } catch (error) {
                            this.storageFailure = error;
                            this.stop();
                            return;
                        }
                        emit({
                            type: "generation",
                            event: {kind: "delta", conversationId: this.conversationId, messageId: assistant.id, text: event.text, runs: event.runs}
                        });
                    }
                }
            );
            this.engineRequest = request.id;
            if (this.stopRequested) supervisor.abort(request.id);
            const result = await request.result;
            this.engineRequest = null;
            if (this.storageFailure != null)
                return finish({status: "error", error: `the answer could not be saved: ${errorText(this.storageFailure)}`});
            try {
                store.saveAnswerTokens(assistant.id, {pairKey: pairKey(this.plan.pair), tokens: result.stream});
            } catch {
                // Only the next turn's cache reuse is lost: it formats its prompt afresh.
            }
            return finish({
                status: result.stats.stopReason === "abort" ? "stopped" : "done",
                stats: messageStats(result.stats, {
                    promptTokens: result.promptTokens,
                    droppedTurns: result.droppedTurns,
                    baseline: pairs.baseline(),
                    temperature: settings.temperature,
                    sendToFirstTokenMs: this.firstTokenAt == null ? null : this.firstTokenAt - this.sentAt,
                    pairLoadMs
                })
            });
        } catch (error) {
            return finish({status: "error", error: errorText(error)});
        } finally {
            pairs.endAnswer();
        }
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The note a chat shows while its oldest turns are left out of what the models see (it replaces the last one). */
export function droppedTurnsNotice(droppedTurns: number): string {
    const which = droppedTurns === 1 ? "the oldest turn was" : `the oldest ${droppedTurns} turns were`;
    return `The chat is longer than the context holds: ${which} left out of what the models see.`;
}
