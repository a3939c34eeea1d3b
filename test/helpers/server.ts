/**
 * Test helpers for the web server: start one on a free port over a static folder, and open WebSockets to it as
 * a page served by it would (its own Origin, the token), or as anything else would (raw frames, other headers).
 */
import {mkdtempSync, mkdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import WebSocket from "ws";
import {createApiClient, webSocketChannel, type ApiClient, type SocketLike} from "../../src-shared/index.ts";
import {startWebServer, type WebServer} from "../../src-main/transports/webServer.ts";
import type {ServableService} from "../../src-main/transports/serveApi.ts";

export const TEST_TOKEN = "test-token-0123456789abcdef";

/** A static folder like dist/renderer: an index.html and one asset. */
export function makeStaticDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-static-"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>Tandem</title><p>hello</p>");
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "assets", "app.js"), "console.log('app');");
    writeFileSync(path.join(dir, ".secret"), "dotfile");
    return dir;
}

export async function startTestServer(service: ServableService, staticDir = makeStaticDir()): Promise<WebServer & {logs: string[]}> {
    const logs: string[] = [];
    const server = await startWebServer({service, staticDir, token: TEST_TOKEN, port: 0, log: (line) => logs.push(line)});
    return Object.assign(server, {logs});
}

export type SocketOptions = {token?: string | null; origin?: string | null; host?: string; path?: string};

/** Opens a raw WebSocket; resolves with it when open, rejects with the refusal's HTTP status. */
export function openSocket(server: WebServer, options: SocketOptions = {}): Promise<WebSocket> {
    const token = options.token === undefined ? TEST_TOKEN : options.token;
    const query = token == null ? "" : `?token=${encodeURIComponent(token)}`;
    const headers: Record<string, string> = {};
    if (options.host != null) headers.Host = options.host;
    const origin = options.origin === undefined ? server.origin : options.origin;
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? "/api"}${query}`, {
        headers,
        ...(origin != null ? {origin} : {})
    });
    return new Promise((resolve, reject) => {
        socket.once("open", () => resolve(socket));
        socket.once("unexpected-response", (_request, response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () =>
                reject(Object.assign(new Error(`HTTP ${response.statusCode}: ${body.trim()}`), {status: response.statusCode, body}))
            );
        });
        socket.once("error", reject);
    });
}

/** A typed client over a WebSocket opened as the served page would open it. */
export async function connectClient(server: WebServer): Promise<ApiClient & {socket: WebSocket}> {
    const socket = await openSocket(server);
    return Object.assign(createApiClient(webSocketChannel(socket as unknown as SocketLike)), {socket});
}

/** Sends one raw text frame and resolves with the next frame the server sends back (parsed), or null after `ms`. */
export function exchange(socket: WebSocket, text: string | Buffer, ms = 300): Promise<unknown> {
    return new Promise((resolve) => {
        const timer = setTimeout(() => {
            socket.off("message", onMessage);
            resolve(null);
        }, ms);
        const onMessage = (data: Buffer) => {
            clearTimeout(timer);
            resolve(JSON.parse(data.toString()));
        };
        socket.once("message", onMessage);
        socket.send(text);
    });
}
