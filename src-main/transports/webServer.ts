/**
 * The web mode's server (node:http + ws) on 127.0.0.1: the Host header checked on every request (DNS rebinding),
 * then the built renderer as static files (staticFiles.ts: GET/HEAD, anyone on this machine may load the page)
 * and the API as a WebSocket at /api (apiUpgrade.ts: the per-launch token required, Origin checked), served by
 * serveApi. No CORS headers anywhere: other origins cannot read any response.
 */
import {createServer} from "node:http";
import type {ServableService} from "./serveApi.ts";
import {apiUpgrade} from "./apiUpgrade.ts";
import {limitedLog, type LogLimit} from "./limitedLog.ts";
import {sendText, serveStatic} from "./staticFiles.ts";
import {hostAllowed, LISTEN_HOST} from "./webSecurity.ts";

export {API_PATH} from "./apiUpgrade.ts";

export type WebServerOptions = {
    readonly service: ServableService;
    /** The built renderer (dist/renderer): index.html and its assets. */
    readonly staticDir: string;
    readonly token: string;
    /** 0 picks a free port. */
    readonly port: number;
    /** One line per unexpected failure, and per refused request up to refusalLogLimit; default: nowhere. */
    readonly log?: (line: string) => void;
    /** How many refused requests are logged (default: 10 a minute, then one line with the count left out). */
    readonly refusalLogLimit?: LogLimit;
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

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
    const log = options.log ?? (() => {});
    /** Anyone on this machine can make requests be refused: those lines are rate-limited (limitedLog.ts). */
    const logRefusal = limitedLog(log, options.refusalLogLimit);
    let port = options.port;
    const api = apiUpgrade({service: options.service, token: options.token, port: () => port, log, logRefusal});

    const server = createServer((request, response) => {
        if (!hostAllowed(request.headers.host, port)) {
            logRefusal(`refused a request for host ${JSON.stringify(request.headers.host ?? "")}`);
            sendText(response, 403, "This server answers only to 127.0.0.1 and localhost on its own port.", port);
            return;
        }
        serveStatic(options.staticDir, port, request, response).catch((error: unknown) => {
            log(`static file failed: ${error instanceof Error ? error.message : String(error)}`);
            if (!response.headersSent) sendText(response, 500, "The file could not be read.", port);
            else response.destroy();
        });
    });

    server.on("upgrade", (request, socket, head) => api.handle(request, socket, head));

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
        connectionCount: () => api.connectionCount(),
        async close() {
            logRefusal.flush();
            await api.close();
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    };
}
