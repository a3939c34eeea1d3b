/**
 * The web mode's server (node:http + ws) on 127.0.0.1: the built renderer as static files (GET/HEAD, anyone on
 * this machine may load the page) and the API as a WebSocket at /api (the per-launch token required, Origin and
 * Host checked), served by serveApi. No CORS headers anywhere: other origins cannot read any response.
 */
import {readFile, stat} from "node:fs/promises";
import {createServer, type IncomingMessage, type ServerResponse} from "node:http";
import type {Duplex} from "node:stream";
import {WebSocketServer} from "ws";
import {serveApi, type ServableService, type ServedChannel} from "./serveApi.ts";
import {webSocketChannel, type SocketLike} from "../../src-shared/index.ts";
import {contentSecurityPolicy, contentTypeFor, hostAllowed, LISTEN_HOST, originAllowed, staticFilePath, tokenMatches} from "./webSecurity.ts";

export const API_PATH = "/api";
/** Largest WebSocket frame accepted: a maximal message (1M characters) escaped as JSON fits with room. */
const MAX_FRAME_BYTES = 32 * 1024 * 1024;

export type WebServerOptions = {
    readonly service: ServableService;
    /** The built renderer (dist/renderer): index.html and its assets. */
    readonly staticDir: string;
    readonly token: string;
    /** 0 picks a free port. */
    readonly port: number;
    /** One line per refused request or unexpected failure; default: nowhere. */
    readonly log?: (line: string) => void;
};

export type WebServer = {
    readonly port: number;
    /** http://127.0.0.1:PORT */
    readonly origin: string;
    /** The address to open: the origin with the token in the fragment (never sent to the server by browsers). */
    readonly url: string;
    /** WebSocket connections open now. */
    connectionCount(): number;
    close(): Promise<void>;
};

function securityHeaders(port: number): Record<string, string> {
    return {
        "Content-Security-Policy": contentSecurityPolicy(port),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin"
    };
}

function sendText(response: ServerResponse, status: number, text: string, port: number, extra: Record<string, string> = {}): void {
    response.writeHead(status, {...securityHeaders(port), "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra});
    response.end(`${text}\n`);
}

/** Refuses an upgrade on the raw socket with a status line and one sentence, then drops it. */
function refuseUpgrade(socket: Duplex, status: number, reason: string, text: string): void {
    const body = `${text}\n`;
    socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`
    );
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
    const log = options.log ?? (() => {});
    let port = options.port;
    const served = new Set<ServedChannel>();
    const wss = new WebSocketServer({noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: true});

    async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
        if (request.method !== "GET" && request.method !== "HEAD") {
            sendText(response, 405, "Only GET and HEAD are served here; the API is the WebSocket at /api.", port, {Allow: "GET, HEAD"});
            return;
        }
        const urlPath = (request.url ?? "/").split(/[?#]/)[0]!;
        if (!urlPath.startsWith("/")) {
            sendText(response, 400, "The request path must start with /.", port);
            return;
        }
        const file = staticFilePath(options.staticDir, urlPath);
        if (file == null) {
            sendText(response, 404, "Not found.", port);
            return;
        }
        let body: Buffer;
        try {
            if (!(await stat(file)).isFile()) throw new Error("not a file");
            body = await readFile(file);
        } catch {
            if (urlPath === "/" || urlPath === "/index.html") {
                sendText(response, 503, `The UI is not built (no ${file}); run "npm run build" first.`, port);
            } else {
                sendText(response, 404, "Not found.", port);
            }
            return;
        }
        response.writeHead(200, {
            ...securityHeaders(port),
            "Content-Type": contentTypeFor(file),
            "Content-Length": body.length,
            // Built assets carry content hashes in their names; the page itself must always be fresh.
            "Cache-Control": file.endsWith(".html") ? "no-store" : "no-cache"
        });
        response.end(request.method === "HEAD" ? undefined : body);
    }

    const server = createServer((request, response) => {
        if (!hostAllowed(request.headers.host, port)) {
            log(`refused a request for host ${JSON.stringify(request.headers.host ?? "")}`);
            sendText(response, 403, "This server answers only to 127.0.0.1 and localhost on its own port.", port);
            return;
        }
        serveStatic(request, response).catch((error: unknown) => {
            log(`static file failed: ${error instanceof Error ? error.message : String(error)}`);
            if (!response.headersSent) sendText(response, 500, "The file could not be read.", port);
            else response.destroy();
        });
    });

    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        const host = request.headers.host;
        if (!hostAllowed(host, port)) {
            log(`refused a WebSocket for host ${JSON.stringify(host ?? "")}`);
            refuseUpgrade(socket, 403, "Forbidden", "This server answers only to 127.0.0.1 and localhost on its own port.");
            return;
        }
        if (url.pathname !== API_PATH) {
            refuseUpgrade(socket, 404, "Not Found", `The API is the WebSocket at ${API_PATH}.`);
            return;
        }
        if (!originAllowed(request.headers.origin, host, port)) {
            log(`refused a WebSocket from origin ${JSON.stringify(request.headers.origin ?? "")}`);
            refuseUpgrade(socket, 403, "Forbidden", "The API accepts connections only from pages this server served.");
            return;
        }
        if (!tokenMatches(url.searchParams.get("token"), options.token)) {
            log("refused a WebSocket with a missing or wrong token");
            refuseUpgrade(socket, 401, "Unauthorized", "The API needs this launch's token: open the address Tandem printed.");
            return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => {
            const channel = webSocketChannel(ws as unknown as SocketLike, {onUnreadable: (why) => log(`dropped ${why}`)});
            const connection = serveApi(options.service, channel, {log});
            served.add(connection);
            ws.on("close", () => served.delete(connection));
            ws.on("error", (error) => log(`WebSocket error: ${error.message}`));
        });
    });

    await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
            reject(
                error.code === "EADDRINUSE"
                    ? new Error(`port ${options.port} on ${LISTEN_HOST} is already in use; set TANDEM_PORT to another port`)
                    : error
            );
        };
        server.once("error", onError);
        server.listen(options.port, LISTEN_HOST, () => {
            server.off("error", onError);
            resolve();
        });
    });
    port = (server.address() as {port: number}).port;
    server.on("error", (error) => log(`server error: ${error.message}`));

    const origin = `http://${LISTEN_HOST}:${port}`;
    return {
        port,
        origin,
        url: `${origin}/#token=${options.token}`,
        connectionCount: () => wss.clients.size,
        async close() {
            for (const connection of served) connection.close();
            for (const client of wss.clients) client.terminate();
            await new Promise<void>((resolve) => wss.close(() => resolve()));
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    };
}
