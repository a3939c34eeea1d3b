/**
 * The web mode's API half: the WebSocket upgrade at /api, refused unless the Host names this server, the
 * Origin is a page it served and the per-launch token matches (in constant time); each accepted socket
 * becomes a frame channel served by serveApi. Refusals are a status line and one sentence on the raw socket.
 */
import type {IncomingMessage} from "node:http";
import type {Duplex} from "node:stream";
import {WebSocketServer} from "ws";
import {webSocketChannel, type SocketLike} from "../../src-shared/index.ts";
import {serveApi, type ServableService, type ServedChannel} from "./serveApi.ts";
import {hostAllowed, originAllowed, tokenMatches} from "./webSecurity.ts";

export const API_PATH = "/api";
/** Largest WebSocket frame accepted: a maximal message (1M characters) escaped as JSON fits with room. */
const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** Refuses an upgrade on the raw socket with a status line and one sentence, then drops it. */
function refuseUpgrade(socket: Duplex, status: number, reason: string, text: string): void {
    const body = `${text}\n`;
    socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`
    );
}

export type ApiUpgrade = {
    /** The server's `upgrade` listener. */
    handle(request: IncomingMessage, socket: Duplex, head: Buffer): void;
    /** WebSocket connections open now. */
    connectionCount(): number;
    /** Closes every served connection and the WebSocket server. */
    close(): Promise<void>;
};

/** `port()` is the server's own port (known once it listens); refusals go to `logRefusal` (rate-limited by the caller). */
export function apiUpgrade(options: {
    service: ServableService;
    token: string;
    port: () => number;
    log: (line: string) => void;
    logRefusal: (line: string) => void;
}): ApiUpgrade {
    const {log, logRefusal} = options;
    const served = new Set<ServedChannel>();
    const wss = new WebSocketServer({noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: true});
    return {
        handle(request, socket, head) {
            const port = options.port();
            const url = new URL(request.url ?? "/", "http://127.0.0.1");
            const host = request.headers.host;
            if (!hostAllowed(host, port)) {
                logRefusal(`refused a WebSocket for host ${JSON.stringify(host ?? "")}`);
                refuseUpgrade(socket, 403, "Forbidden", "This server answers only to 127.0.0.1 and localhost on its own port.");
                return;
            }
            if (url.pathname !== API_PATH) {
                refuseUpgrade(socket, 404, "Not Found", `The API is the WebSocket at ${API_PATH}.`);
                return;
            }
            if (!originAllowed(request.headers.origin, host, port)) {
                logRefusal(`refused a WebSocket from origin ${JSON.stringify(request.headers.origin ?? "")}`);
                refuseUpgrade(socket, 403, "Forbidden", "The API accepts connections only from pages this server served.");
                return;
            }
            if (!tokenMatches(url.searchParams.get("token"), options.token)) {
                logRefusal("refused a WebSocket with a missing or wrong token");
                refuseUpgrade(socket, 401, "Unauthorized", "The API needs this launch's token: open the address Tandem printed.");
                return;
            }
            wss.handleUpgrade(request, socket, head, (ws) => {
                const channel = webSocketChannel(ws as unknown as SocketLike, {onUnreadable: (why) => logRefusal(`dropped ${why}`)});
                const connection = serveApi(options.service, channel, {log, logRefusal});
                served.add(connection);
                ws.on("close", () => served.delete(connection));
                ws.on("error", (error) => log(`WebSocket error: ${error.message}`));
            });
        },
        connectionCount: () => wss.clients.size,
        async close() {
            for (const connection of served) connection.close();
            for (const client of wss.clients) client.terminate();
            await new Promise<void>((resolve) => wss.close(() => resolve()));
        }
    };
}
