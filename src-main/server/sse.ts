/** Server-sent events for streamed answers: one `data:` line of JSON per event, `data: [DONE]` at the end. */
import type {ServerResponse} from "node:http";

export class EventStream {
    private opened = false;

    constructor(private readonly response: ServerResponse) {}

    get isOpen(): boolean {
        return this.opened;
    }

    /** Sends the status line and headers now, so the client sees the stream start before the first token. */
    open(): void {
        if (this.opened) return;
        this.opened = true;
        this.response.writeHead(200, {
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            Connection: "keep-alive",
            "X-Accel-Buffering": "no"
        });
        this.response.flushHeaders();
    }

    send(data: unknown): void {
        if (this.response.writableEnded || this.response.destroyed) return;
        this.open();
        this.response.write(`data: ${JSON.stringify(data)}\n\n`);
    }

    /** Ends the stream; `done` adds the `[DONE]` line clients wait for (left out after an error). */
    end(done: boolean): void {
        if (this.response.writableEnded || this.response.destroyed) return;
        this.open();
        this.response.end(done ? "data: [DONE]\n\n" : undefined);
    }
}
