/**
 * Writes a streaming answer to the store as it grows. Deltas (text and its token-provenance runs) are
 * gathered in memory and written through `updateMessage` at most `intervalMs` after the first unwritten one
 * (a timer, so text is saved even while generation pauses), so a crash loses at most the last interval's text
 * and never anything written before. `finish` writes the rest with the final status and stats.
 */
import {appendRuns, type Message, type TokenRun} from "../../src-shared/index.ts";
import type {ChatStore, MessagePatch} from "./chatStore.ts";

/** Longest time appended text waits before it is written (issue 7 asks for at least once a second). */
export const DEFAULT_WRITE_INTERVAL_MS = 500;

/** Merging of runs lives with the contract (one implementation for the engine host, the store and the UI). */
export {appendRuns} from "../../src-shared/index.ts";

export class AnswerWriter {
    private content: string;
    private runs: TokenRun[];
    private timer: NodeJS.Timeout | null = null;
    /** A write that failed on the timer, rethrown by the next call (a timer has nobody to throw to). */
    private failure: unknown = null;
    private finished = false;

    constructor(
        private readonly store: Pick<ChatStore, "updateMessage">,
        private readonly message: Message,
        private readonly intervalMs = DEFAULT_WRITE_INTERVAL_MS
    ) {
        this.content = message.content;
        this.runs = [...(message.runs ?? [])];
    }

    get text(): string {
        return this.content;
    }

    append(text: string, runs: readonly TokenRun[]): void {
        this.throwFailure();
        if (this.finished) throw new Error("the answer is already finished");
        this.content += text;
        this.runs = appendRuns(this.runs, runs);
        if (this.timer == null) {
            this.timer = setTimeout(() => {
                this.timer = null;
                try {
                    this.write({});
                } catch (error) {
                    this.failure = error;
                }
            }, this.intervalMs);
        }
    }

    /** Writes what is pending now. */
    flush(): Message {
        this.throwFailure();
        this.cancelTimer();
        return this.write({});
    }

    /** Writes the rest with the final status (and stats, error); later appends are refused. */
    finish(patch: Omit<MessagePatch, "content" | "runs">): Message {
        this.cancelTimer();
        this.finished = true;
        this.failure = null;
        return this.write(patch);
    }

    private write(patch: MessagePatch): Message {
        return this.store.updateMessage(this.message.id, {...patch, content: this.content, runs: this.runs});
    }

    private cancelTimer(): void {
        if (this.timer != null) clearTimeout(this.timer);
        this.timer = null;
    }

    private throwFailure(): void {
        if (this.failure == null) return;
        const failure = this.failure;
        this.failure = null;
        throw failure;
    }
}
