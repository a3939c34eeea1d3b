/**
 * One answer, from the empty assistant message to its final status: makes sure the right pair is loaded
 * (waiting for a running calibration rather than refusing), builds what the models see from the
 * conversation, streams the engine's text into delta events and into the store (AnswerWriter: at least
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
import type {PairHost} from "./pairHost.ts";
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

export class AnswerRun {
    private stopRequested = false;
    private engineRequest: number | null = null;
    /** A write of the growing answer that failed (the answer is then stopped and ends as error). */
    private storageFailure: unknown = null;

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
        if (this.engineRequest != null) this.parts.supervisor.abort(this.engineRequest);
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
            await pairs.ensure(this.plan.pair, this.plan.loadOptions);
            store.setConversationPair(this.conversationId, this.plan.pair);
            await pairs.calibrationSettled();
            if (this.stopRequested) return finish({status: "stopped"});

            const messages = conversationForModels(store.listMessages(this.conversationId), assistant.id, settings.systemPrompt);
            const request = supervisor.request(
                {type: "generate", messages, params: decodingParamsOf(settings, assistant.seed ?? 0)},
                "writing an answer",
                (event) => {
                    if (event.type === "prompt" && event.droppedTurns > 0) {
                        emit({
                            type: "notice",
                            conversationId: this.conversationId,
                            text: `The chat is longer than the context holds: the oldest ${event.droppedTurns} turn${event.droppedTurns === 1 ? "" : "s"} were left out of what the models see.`
                        });
                    } else if (event.type === "tokens" && this.storageFailure == null) {
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
            return finish({
                status: result.stats.stopReason === "abort" ? "stopped" : "done",
                stats: messageStats(result.stats, result.promptTokens, result.droppedTurns, pairs.baseline())
            });
        } catch (error) {
            return finish({status: "error", error: errorText(error)});
        }
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
