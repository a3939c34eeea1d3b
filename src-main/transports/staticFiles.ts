/**
 * The web mode's static half: the built renderer as files (GET/HEAD only, no traversal, dotfiles refused),
 * every response with the security headers (strict CSP, nosniff, no framing, no referrer), the page never
 * cached. Plain-text answers for everything refused. The Host check is the server's (webServer.ts), before this.
 */
import {readFile, stat} from "node:fs/promises";
import type {IncomingMessage, ServerResponse} from "node:http";
import {contentSecurityPolicy, contentTypeFor, staticFilePath} from "./webSecurity.ts";

export function securityHeaders(port: number): Record<string, string> {
    return {
        "Content-Security-Policy": contentSecurityPolicy(port),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin"
    };
}

export function sendText(response: ServerResponse, status: number, text: string, port: number, extra: Record<string, string> = {}): void {
    response.writeHead(status, {...securityHeaders(port), "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra});
    response.end(`${text}\n`);
}

/** Answers one request for a file of `staticDir` (the built renderer); `port` is the server's own (for the CSP). */
export async function serveStatic(staticDir: string, port: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== "GET" && request.method !== "HEAD") {
        sendText(response, 405, "Only GET and HEAD are served here; the API is the WebSocket at /api.", port, {Allow: "GET, HEAD"});
        return;
    }
    const urlPath = (request.url ?? "/").split(/[?#]/)[0]!;
    if (!urlPath.startsWith("/")) {
        sendText(response, 400, "The request path must start with /.", port);
        return;
    }
    const file = staticFilePath(staticDir, urlPath);
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
