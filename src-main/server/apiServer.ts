/**
 * The OpenAI-compatible HTTP API (node:http): GET /v1/models, POST /v1/chat/completions and POST
 * /v1/completions, streamed as server-sent events or answered whole, every /v1 request with the API key
 * (`Authorization: Bearer KEY`, compared in constant time). It is one more caller of the service: each request
 * becomes a `complete` call, which waits its turn for the pair in the service's one queue (the app's answers
 * take turns with it) and runs on the engine process like an app answer, writing nothing to the store.
 *
 * Under load: a full queue is a 429 with Retry-After; a client that goes away aborts its request (it leaves the
 * queue, or the engine stops at its next round); bodies over the limit are a 413, malformed JSON a 400. Binds
 * 127.0.0.1 unless told otherwise; another address is said in a warning, since every machine that reaches it
 * can then use the models with the key. No CORS headers: a web page on another origin cannot read replies.
 */
import {randomBytes} from "node:crypto";
import {createServer, type IncomingMessage, type ServerResponse} from "node:http";
import type {SettingsOverrides} from "../../src-shared/index.ts";
import type {CompletionRequest, CompletionResult} from "../service/index.ts";
import {ApiError, apiErrorOf, invalidRequest} from "./apiErrors.ts";
import {apiKeyMatches, bearerKey} from "./apiKey.ts";
import {parseChatRequest, parseCompletionRequest, type ParsedRequest} from "./openaiRequests.ts";
import {chatCompletionBody, finalChunk, textChunk, textCompletionBody, usageChunk, type AnswerMeta} from "./openaiResponses.ts";
import {ServedPairs, type PairSource} from "./servedPairs.ts";
import {EventStream} from "./sse.ts";

export const DEFAULT_API_HOST = "127.0.0.1";
export const DEFAULT_API_PORT = 7864;
/** Largest request body read (a long conversation of plain text fits many times over). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** What the server needs of the service (TandemService has it all). */
export type ApiBackend = PairSource & {
    complete(request: CompletionRequest): Promise<CompletionResult>;
};

export type ApiServerOptions = {
    readonly backend: ApiBackend;
    readonly apiKey: string;
    /** Default 127.0.0.1. */
    readonly host?: string;
    /** Default 7864; 0 picks a free port. */
    readonly port?: number;
    /** Settings every request starts from, over the app's settings (tandem serve's flags). */
    readonly defaults?: SettingsOverrides;
    readonly maxBodyBytes?: number;
    /** One line per answered or refused request and per warning; default: nowhere. */
    readonly log?: (line: string) => void;
};

export type ApiServer = {
    readonly host: string;
    readonly port: number;
    /** http://HOST:PORT/v1, what OpenAI clients take as their base URL. */
    readonly baseUrl: string;
    /** Requests being answered or waiting now. */
    activeRequests(): number;
    /** Stops taking requests, aborts those in flight and closes every connection. */
    close(): Promise<void>;
};

/** Whether `host` is this machine only (the default); anything else gets a warning. */
export function isLoopback(host: string): boolean {
    return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    if (response.headersSent) return;
    const text = JSON.stringify(body);
    response.writeHead(status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(text),
        "Cache-Control": "no-store",
        ...headers
    });
    response.end(text);
}

function sendError(response: ServerResponse, error: ApiError): void {
    sendJson(response, error.status, error.body, error.headers);
}

/** Reads the body up to `limit` bytes (413 beyond) and parses it as JSON (400 when it is not). */
async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
    const tooLarge = () => new ApiError(413, `the request body is larger than ${limit} bytes`, "invalid_request_error", "request_too_large");
    const declared = Number(request.headers["content-length"] ?? "0");
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw tooLarge();
        chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    if (text.trim().length === 0) throw invalidRequest("the request body is empty: send a JSON object");
    try {
        return JSON.parse(text);
    } catch (error) {
        throw invalidRequest(`the request body is not valid JSON (${error instanceof Error ? error.message : String(error)})`, null, "invalid_json");
    }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
    const host = options.host ?? DEFAULT_API_HOST;
    const log = options.log ?? (() => {});
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const pairs = new ServedPairs(options.backend);
    const inFlight = new Set<AbortController>();
    let closing = false;

    async function listModels(response: ServerResponse, id?: string): Promise<void> {
        const served = await pairs.list();
        const data = served.map((p) => ({
            id: p.id,
            object: "model",
            created: p.created,
            owned_by: "tandem",
            tandem: {expert: p.pair.expertPath, amateur: p.pair.amateurPath, current: p.current}
        }));
        if (id == null) {
            sendJson(response, 200, {object: "list", data});
            return;
        }
        const model = data.find((m) => m.id === id);
        if (model == null)
            throw new ApiError(
                404,
                `the model ${JSON.stringify(id)} does not exist here; GET /v1/models lists the pairs this server has`,
                "invalid_request_error",
                "model_not_found",
                "model"
            );
        sendJson(response, 200, model);
    }

    async function complete(
        request: IncomingMessage,
        response: ServerResponse,
        parse: (body: unknown) => ParsedRequest,
        path: string
    ): Promise<void> {
        const parsed = parse(await readJson(request, limit));
        const served = await pairs.find(parsed.model);
        if (served == null) {
            throw new ApiError(
                404,
                `the model ${JSON.stringify(parsed.model)} does not exist here; GET /v1/models lists the pairs this server has`,
                "invalid_request_error",
                "model_not_found",
                "model"
            );
        }
        const meta: AnswerMeta = {
            id: `${parsed.endpoint === "chat" ? "chatcmpl" : "cmpl"}-${randomBytes(12).toString("hex")}`,
            created: Math.floor(Date.now() / 1000),
            model: parsed.model
        };
        const abort = new AbortController();
        inFlight.add(abort);
        response.on("close", () => {
            if (!response.writableFinished) abort.abort(new Error("the client disconnected"));
        });
        const stream = parsed.stream ? new EventStream(response) : null;
        let first = true;
        /** An aborted request: nothing to say to a client that went away; a 503 when the server is closing under it. */
        const endStopped = () => {
            if (response.destroyed || response.writableEnded) return;
            const error = new ApiError(503, "the server is shutting down", "server_error", "shutting_down");
            if (stream?.isOpen) {
                stream.send(error.body);
                stream.end(false);
            } else sendError(response, error);
        };
        const completion: CompletionRequest = {
            pair: served.pair,
            messages: parsed.messages,
            raw: parsed.raw,
            stop: parsed.stop,
            settings: {...options.defaults, ...parsed.overrides},
            signal: abort.signal,
            ...(stream != null
                ? {
                      onStart: () => {
                          stream.open();
                          if (parsed.endpoint === "chat") {
                              stream.send(textChunk("chat", meta, "", true, parsed.includeUsage));
                              first = false;
                          }
                      },
                      onText: (text: string) => {
                          stream.send(textChunk(parsed.endpoint, meta, text, first, parsed.includeUsage));
                          first = false;
                      }
                  }
                : {})
        };
        try {
            const result = await options.backend.complete(completion);
            if (abort.signal.aborted) {
                log(`${path}: stopped after ${result.engine.generatedTokens} tokens: ${String((abort.signal.reason as Error).message)}`);
                endStopped();
                return;
            }
            const {engine} = result;
            log(
                `${path} 200 ${served.id} ${engine.mode}: ${engine.generatedTokens} tokens, ${engine.tokensPerSecond.toFixed(1)} tok/s` +
                    `${engine.acceptanceRate != null ? `, acceptance ${(engine.acceptanceRate * 100).toFixed(1)}%` : ""}, waited ${result.queueMs.toFixed(0)} ms`
            );
            if (stream != null) {
                stream.send(finalChunk(parsed.endpoint, meta, result, parsed.includeUsage));
                if (parsed.includeUsage) stream.send(usageChunk(parsed.endpoint, meta, result));
                stream.end(true);
            } else {
                sendJson(response, 200, parsed.endpoint === "chat" ? chatCompletionBody(meta, result) : textCompletionBody(meta, result));
            }
        } catch (error) {
            if (abort.signal.aborted) {
                log(`${path}: stopped before its answer started: ${String((abort.signal.reason as Error).message)}`);
                endStopped();
                return;
            }
            let apiError = apiErrorOf(error);
            if (apiError.code === "context_length_exceeded" && parsed.endpoint === "completion") {
                apiError = new ApiError(400, apiError.message, apiError.type, apiError.code, "prompt");
            }
            if (stream?.isOpen) {
                // The status line went out with the first event: the error travels as an event, as OpenAI's streams do.
                log(`${path}: failed while streaming: ${apiError.message}`);
                stream.send(apiError.body);
                stream.end(false);
                return;
            }
            throw apiError;
        } finally {
            inFlight.delete(abort);
        }
    }

    async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
        const method = request.method ?? "GET";
        const path = new URL(request.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
        if (path === "/health" && method === "GET") {
            sendJson(response, 200, {status: "ok"});
            return;
        }
        if (!path.startsWith("/v1/") && path !== "/v1") {
            throw new ApiError(404, `no such endpoint: ${method} ${path} (the API is under /v1)`, "invalid_request_error", "unknown_url");
        }
        if (!apiKeyMatches(bearerKey(request.headers.authorization), options.apiKey)) {
            log(`refused ${method} ${path}: missing or wrong API key`);
            throw new ApiError(
                401,
                'missing or wrong API key: send the key tandem printed as "Authorization: Bearer KEY"',
                "invalid_request_error",
                "invalid_api_key",
                null,
                {"WWW-Authenticate": "Bearer"}
            );
        }
        if (closing) throw new ApiError(503, "the server is shutting down", "server_error", "shutting_down");
        const allow = (methods: string) => {
            if (!methods.split(", ").includes(method)) {
                throw new ApiError(405, `${path} takes ${methods}, not ${method}`, "invalid_request_error", "method_not_allowed", null, {
                    Allow: methods
                });
            }
        };
        if (path === "/v1/models") {
            allow("GET");
            await listModels(response);
        } else if (path.startsWith("/v1/models/")) {
            allow("GET");
            await listModels(response, decodeURIComponent(path.slice("/v1/models/".length)));
        } else if (path === "/v1/chat/completions") {
            allow("POST");
            await complete(request, response, parseChatRequest, path);
        } else if (path === "/v1/completions") {
            allow("POST");
            await complete(request, response, parseCompletionRequest, path);
        } else {
            throw new ApiError(404, `no such endpoint: ${method} ${path}`, "invalid_request_error", "unknown_url");
        }
    }

    const server = createServer((request, response) => {
        route(request, response).catch((error: unknown) => {
            const apiError = apiErrorOf(error);
            if (apiError.status >= 500) log(`${request.method} ${request.url}: ${apiError.status} ${apiError.message}`);
            if (response.headersSent) {
                response.destroy();
                return;
            }
            // A refused body is not read to its end: close the connection after the reply instead of draining it.
            if (apiError.status === 413) response.setHeader("Connection", "close");
            sendError(response, apiError);
        });
    });
    server.keepAliveTimeout = 5000;

    await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
            reject(
                error.code === "EADDRINUSE"
                    ? new Error(`port ${options.port ?? DEFAULT_API_PORT} on ${host} is already in use; pick another with --port`)
                    : error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND"
                      ? new Error(`${host} is not an address of this machine`)
                      : error
            );
        };
        server.once("error", onError);
        server.listen(options.port ?? DEFAULT_API_PORT, host, () => {
            server.off("error", onError);
            resolve();
        });
    });
    server.on("error", (error) => log(`server error: ${error.message}`));
    const port = (server.address() as {port: number}).port;
    if (!isLoopback(host)) {
        log(`warning: listening on ${host}, not only on this machine: anyone who can reach port ${port} and has the API key can use the models`);
    }
    const urlHost = host.includes(":") ? `[${host}]` : host;
    return {
        host,
        port,
        baseUrl: `http://${urlHost}:${port}/v1`,
        activeRequests: () => inFlight.size,
        async close() {
            closing = true;
            for (const abort of inFlight) abort.abort(new Error("the server is shutting down"));
            const closed = new Promise<void>((resolve) => server.close(() => resolve()));
            server.closeIdleConnections();
            // In-flight answers end at their next round; give them a moment to say so, then drop what is left.
            const timer = setTimeout(() => server.closeAllConnections(), 2000);
            await closed;
            clearTimeout(timer);
        }
    };
}
