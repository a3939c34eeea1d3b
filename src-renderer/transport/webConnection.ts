/**
 * The browser's Connection: birpc over a WebSocket to the web server's /api, with the launch token. When the
 * socket drops it reconnects with a growing delay, tells the UI through "notice" events (lost, then back), and
 * after reconnecting pushes a fresh "status" and a "conversations" event so the UI refreshes what it shows.
 * Calls made while disconnected fail at once with ServiceError("disconnected").
 */
import {
    ServiceError,
    serviceFunctionNames,
    createApiClient,
    webSocketChannel,
    type ServiceApi,
    type ServiceEvent,
    type ApiClient,
    type SocketLike
} from "../../src-shared/index.ts";
import type {Connection} from "./connection.ts";

/** Delays before each reconnection attempt, in ms; the last repeats. */
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** Failed attempts (about 10 s) after which the user is told a restarted server needs its new address. */
const STILL_TRYING_AFTER = 5;

/** Opens one socket; resolves when it is open, rejects when it closes first. */
function openSocket(url: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        const onOpen = () => {
            socket.removeEventListener("close", onClose);
            resolve(socket);
        };
        const onClose = () => {
            socket.removeEventListener("open", onOpen);
            reject(new Error("closed"));
        };
        socket.addEventListener("open", onOpen, {once: true});
        socket.addEventListener("close", onClose, {once: true});
    });
}

export async function webConnection(socketUrl: string): Promise<Connection> {
    const listeners = new Set<(event: ServiceEvent) => void>();
    const emit = (event: ServiceEvent) => {
        for (const listener of [...listeners]) listener(event);
    };
    let client: ApiClient | null = null;

    function attach(socket: WebSocket): void {
        const next = createApiClient(webSocketChannel(socket as unknown as SocketLike));
        next.subscribe(emit);
        socket.addEventListener("close", () => {
            if (client !== next) return;
            client = null;
            emit({type: "notice", conversationId: null, text: "The connection to Tandem was lost; reconnecting…"});
            void reconnect();
        });
        client = next;
    }

    async function reconnect(): Promise<void> {
        for (let attempt = 0; ; attempt++) {
            await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]));
            let socket: WebSocket;
            try {
                socket = await openSocket(socketUrl);
            } catch {
                if (attempt === STILL_TRYING_AFTER) {
                    emit({
                        type: "notice",
                        conversationId: null,
                        text: "Still reconnecting… If Tandem was restarted, open the new address it printed (the token changes with every launch)."
                    });
                }
                continue;
            }
            attach(socket);
            emit({type: "notice", conversationId: null, text: "Reconnected to Tandem."});
            try {
                emit({type: "status", status: await client!.api.getStatus()});
            } catch {
                // The socket dropped again right away; its close handler starts the next round.
            }
            emit({type: "conversations"});
            return;
        }
    }

    try {
        attach(await openSocket(socketUrl));
    } catch {
        throw new ServiceError(
            "disconnected",
            "could not connect to Tandem's API; if the server is running, open the exact address it printed (it ends in #token=…)"
        );
    }

    const api = Object.create(null) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of serviceFunctionNames) {
        api[name] = (...args: unknown[]) => {
            if (client == null) return Promise.reject(new ServiceError("disconnected", "not connected to Tandem (reconnecting)"));
            return (client.api[name] as (...a: unknown[]) => Promise<unknown>)(...args);
        };
    }

    return {
        kind: "web",
        api: api as unknown as ServiceApi,
        subscribe(listener) {
            listeners.add(listener);
            return () => {
                listeners.delete(listener);
            };
        }
    };
}
