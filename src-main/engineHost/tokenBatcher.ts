/**
 * Batches the decoder's streamed events into `tokens` replies: text and its provenance runs are collected
 * and sent at most every `intervalMs` (one IPC message per batch instead of one per token).
 */
import {pushRun, type TokenRun, type TokenSourceName} from "../../src-shared/index.ts";
import type {DecodeEvent} from "../engine/index.ts";

export class TokenBatcher {
    private text = "";
    private runs: TokenRun[] = [];
    private timer: NodeJS.Timeout | null = null;
    /** Source of the latest token: text the assembler held back and releases later belongs to it. */
    private lastSource: TokenSourceName = "direct";

    constructor(
        private readonly flushTo: (text: string, runs: readonly TokenRun[]) => void,
        private readonly intervalMs = 16
    ) {}

    add(event: DecodeEvent): void {
        if (event.kind === "token") this.lastSource = event.source;
        if (event.text.length === 0) return;
        this.text += event.text;
        pushRun(this.runs, this.lastSource, event.text.length);
        this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
    }

    /** Sends what is collected now (also called when the generation ends). */
    flush(): void {
        if (this.timer != null) clearTimeout(this.timer);
        this.timer = null;
        if (this.text.length === 0) return;
        const text = this.text;
        const runs = this.runs;
        this.text = "";
        this.runs = [];
        this.flushTo(text, runs);
    }
}
