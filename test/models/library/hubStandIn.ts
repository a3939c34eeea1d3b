/**
 * A local stand-in for the Hugging Face Hub on 127.0.0.1, answering what node-llama-cpp 3.21.1 asks of it
 * (see ../shared/MODEL-FACTS.md): `GET /v2/<user>/<model>/manifests/<quant>` with `{ggufFile: {rfilename}}`,
 * and `/<user>/<model>/resolve/main/<file>` with range requests; plus plain `/files/<name>` URLs. Files can
 * be served slowly (to stop a download half-way) and cut short (a truncated transfer).
 */
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";

export type HubRepo = {readonly quant?: string; readonly files: Record<string, string>};

export type StandInOptions = {
    /** "user/model" → its files (name → local path) and the quant its manifest answers with. */
    readonly repos?: Record<string, HubRepo>;
    /** Plain URL files: /files/<name> → local path. */
    readonly files?: Record<string, string>;
};

export type RequestLog = {method: string; url: string; range: string | null; userAgent: string | null};

export class HubStandIn {
    readonly requests: RequestLog[] = [];
    /** Bytes per second for file bodies (0: as fast as possible). */
    bytesPerSecond = 0;
    /** Cut the next `truncateNext` file bodies after this many bytes (the socket is destroyed). */
    truncateAfter = 0;
    truncateNext = 0;
    /** File bodies stop after this many bytes and the connection stays open, silent (0: never). */
    stallAfter = 0;
    private server: http.Server | null = null;
    private readonly sockets = new Set<import("node:net").Socket>();

    constructor(private readonly options: StandInOptions) {}

    get origin(): string {
        const {address, port} = this.server!.address() as AddressInfo;
        return `http://${address}:${port}`;
    }

    /** Listens on `host` (127.0.0.1 by default; plain-URL tests use a second host, see downloads.test.ts). */
    async start(host = "127.0.0.1"): Promise<this> {
        this.server = http.createServer((request, response) => void this.handle(request, response));
        this.server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
        return this;
    }

    async close(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    }

    async [Symbol.asyncDispose](): Promise<void> {
        await this.close();
    }

    private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        this.requests.push({
            method: request.method ?? "GET",
            url: url.pathname,
            range: request.headers.range ?? null,
            userAgent: request.headers["user-agent"] ?? null
        });
        const manifest = /^\/v2\/([^/]+\/[^/]+)\/manifests\/([^/]+)$/.exec(url.pathname);
        if (manifest != null) {
            const repo = this.options.repos?.[decodeURIComponent(manifest[1]!)];
            const quant = decodeURIComponent(manifest[2]!);
            const file = repo != null && repo.quant?.toLowerCase() === quant.toLowerCase() ? Object.keys(repo.files)[0] : undefined;
            if (file == null) return this.notFound(response);
            response.writeHead(200, {"content-type": "application/json"});
            response.end(JSON.stringify({ggufFile: {rfilename: file, size: (await stat(repo!.files[file]!)).size}}));
            return;
        }
        const resolve = /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(url.pathname);
        if (resolve != null) {
            const local = this.options.repos?.[decodeURIComponent(resolve[1]!)]?.files[decodeURIComponent(resolve[2]!)];
            return local == null ? this.notFound(response) : this.sendFile(request, response, local);
        }
        const plain = /^\/files\/(.+)$/.exec(url.pathname);
        const local = plain != null ? this.options.files?.[decodeURIComponent(plain[1]!)] : undefined;
        if (local != null) return this.sendFile(request, response, local);
        if (url.pathname === "/" && request.method === "HEAD") {
            response.writeHead(200);
            response.end();
            return;
        }
        this.notFound(response);
    }

    private notFound(response: http.ServerResponse): void {
        response.writeHead(404, {"content-type": "text/plain"});
        response.end("Entry not found");
    }

    private async sendFile(request: http.IncomingMessage, response: http.ServerResponse, local: string): Promise<void> {
        const size = (await stat(local)).size;
        let start = 0;
        let end = size - 1;
        const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
        const headers: http.OutgoingHttpHeaders = {"accept-ranges": "bytes", "content-type": "application/octet-stream"};
        if (range != null) {
            start = Number(range[1]);
            end = range[2] === "" ? size - 1 : Math.min(Number(range[2]), size - 1);
            if (start >= size) {
                response.writeHead(416, {"content-range": `bytes */${size}`});
                response.end();
                return;
            }
            response.writeHead(206, {...headers, "content-range": `bytes ${start}-${end}/${size}`, "content-length": end - start + 1});
        } else {
            response.writeHead(200, {...headers, "content-length": size});
        }
        if (request.method === "HEAD") {
            response.end();
            return;
        }
        const truncate = this.truncateNext > 0 ? this.truncateAfter : Infinity;
        if (this.truncateNext > 0) this.truncateNext--;
        const stream = createReadStream(local, {start, end, highWaterMark: 16 * 1024});
        request.on("close", () => stream.destroy());
        try {
            await this.pipe(stream, response, truncate);
        } catch {
            // The client went away (a cancel): nothing more to send.
        }
    }

    private async pipe(stream: import("node:fs").ReadStream, response: http.ServerResponse, truncate: number): Promise<void> {
        let sent = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (response.destroyed) break;
            const room = truncate - sent;
            const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
            sent += piece.length;
            if (!response.write(piece)) await new Promise((resolve) => response.once("drain", resolve));
            if (this.stallAfter > 0 && sent >= this.stallAfter) {
                // The connection stays open and nothing more comes (a network gone quiet); the client gives up.
                await new Promise((resolve) => response.once("close", resolve));
                stream.destroy();
                return;
            }
            if (sent >= truncate) {
                // The connection drops mid-body: fewer bytes than Content-Length said.
                response.socket?.destroy();
                stream.destroy();
                return;
            }
            if (this.bytesPerSecond > 0) await new Promise((resolve) => setTimeout(resolve, (piece.length / this.bytesPerSecond) * 1000));
        }
        response.end();
    }
}
