/**
 * Collects streamed "delta" events and hands them over at most once per animation frame, so a 2000 tok/s
 * stream costs one UI update per frame instead of one per event. Deltas of one message are concatenated in
 * arrival order (text and runs alike); nothing is dropped. The frame scheduler is injected (requestAnimationFrame
 * in the page), which keeps this module free of the DOM.
 */
import type {TokenRun} from "../../src-shared/index.ts";
import {appendRuns} from "./tokenRuns.ts";

export type PendingDelta = {readonly conversationId: string; readonly text: string; readonly runs: readonly TokenRun[]};
/** Calls `callback` once, before the next frame is painted. */
export type FrameScheduler = (callback: () => void) => void;
/** Receives every message's accumulated delta since the last flush, in first-arrival order. */
export type DeltaSink = (batch: ReadonlyMap<string, PendingDelta>) => void;

export class DeltaBatcher {
    private pending = new Map<string, PendingDelta>();
    private scheduled = false;

    constructor(
        private readonly schedule: FrameScheduler,
        private readonly sink: DeltaSink
    ) {}

    push(conversationId: string, messageId: string, text: string, runs: readonly TokenRun[]): void {
        const before = this.pending.get(messageId);
        this.pending.set(
            messageId,
            before == null
                ? {conversationId, text, runs: appendRuns([], runs)}
                : {conversationId, text: before.text + text, runs: appendRuns(before.runs, runs)}
        );
        if (!this.scheduled) {
            this.scheduled = true;
            this.schedule(() => {
                this.scheduled = false;
                this.flush();
            });
        }
    }

    /** Hands over what is pending now (e.g. before a "finished" event replaces the message); no-op when empty. */
    flush(): void {
        if (this.pending.size === 0) return;
        const batch = this.pending;
        this.pending = new Map();
        this.sink(batch);
    }

    /** Messages with text waiting for the next frame. */
    get pendingMessages(): number {
        return this.pending.size;
    }
}
