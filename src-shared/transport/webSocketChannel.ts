/**
 * A FrameChannel over a WebSocket, one JSON text frame per birpc frame. Works with the browser's WebSocket and
 * with `ws` (both offer addEventListener with `event.data` a string for text frames). No Node or DOM imports.
 */
import type {FrameChannel} from "./frameChannel.ts";

/** The part of a WebSocket this adapter uses. */
export type SocketLike = {
    readonly readyState: number;
    send(data: string): void;
    close(code?: number, reason?: string): void;
    addEventListener(type: "message", listener: (event: {data: unknown}) => void): void;
    addEventListener(type: "close", listener: () => void): void;
};

const OPEN = 1;

export type WebSocketChannelOptions = {
    /** Told about frames that are not JSON text (they are dropped: without an id nobody can be answered). */
    readonly onUnreadable?: (why: string) => void;
};

export function webSocketChannel(socket: SocketLike, options: WebSocketChannelOptions = {}): FrameChannel {
    let receive: ((frame: unknown) => void) | null = null;
    const closeListeners: (() => void)[] = [];
    let closed = false;

    socket.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
            options.onUnreadable?.("a binary frame (only JSON text frames are accepted)");
            return;
        }
        let frame: unknown;
        try {
            frame = JSON.parse(event.data);
        } catch {
            options.onUnreadable?.(`a frame that is not JSON (${event.data.length} characters)`);
            return;
        }
        receive?.(frame);
    });
    socket.addEventListener("close", () => {
        if (closed) return;
        closed = true;
        for (const listener of closeListeners) listener();
    });

    return {
        send(frame) {
            if (closed || socket.readyState !== OPEN) return;
            socket.send(JSON.stringify(frame));
        },
        onFrame(listener) {
            receive = listener;
        },
        onClose(listener) {
            if (closed) listener();
            else closeListeners.push(listener);
        },
        close() {
            socket.close(1000, "closed");
        }
    };
}
