/**
 * The web mode's security rules, as small pure functions (node:crypto and node:path only), in the spirit of a
 * notebook server: 127.0.0.1 only, a per-launch secret token for the API, Host checked against DNS rebinding,
 * the WebSocket's Origin checked against the server's own origin, no directory traversal, a strict CSP.
 */
import {createHash, randomBytes, timingSafeEqual} from "node:crypto";
import {isAbsolute, join, normalize, relative, sep} from "node:path";

/** The only interface the web server listens on. */
export const LISTEN_HOST = "127.0.0.1";

/** A fresh secret for one launch: 192 random bits, URL-safe. */
export function newToken(): string {
    return randomBytes(24).toString("base64url");
}

/** What TANDEM_TOKEN may be: URL-safe characters, long enough to be a secret. Returns a problem or null. */
export function tokenProblem(token: string): string | null {
    if (token.length < 16 || token.length > 256) return "TANDEM_TOKEN must be 16 to 256 characters long";
    if (!/^[A-Za-z0-9._~-]+$/.test(token)) return "TANDEM_TOKEN may hold only letters, digits and . _ ~ -";
    return null;
}

/** Compares a presented token with the secret in constant time (hashing first evens out the lengths). */
export function tokenMatches(presented: string | null | undefined, secret: string): boolean {
    if (typeof presented !== "string") return false;
    const a = createHash("sha256").update(presented).digest();
    const b = createHash("sha256").update(secret).digest();
    return timingSafeEqual(a, b);
}

/** The Host header values this server answers to: its own address, by IP or as localhost. */
export function allowedHosts(port: number): string[] {
    return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** True when the Host header names this server (anything else may be a DNS-rebinding page). */
export function hostAllowed(host: string | undefined, port: number): boolean {
    return host != null && allowedHosts(port).includes(host.toLowerCase());
}

/** True when a WebSocket's Origin is the page this server served, under the same host name the request used. */
export function originAllowed(origin: string | undefined, host: string | undefined, port: number): boolean {
    if (origin == null || !hostAllowed(host, port)) return false;
    return origin.toLowerCase() === `http://${host!.toLowerCase()}`;
}

/** The Content-Security-Policy of every response: the page's own scripts and the server's WebSocket only. */
export function contentSecurityPolicy(port: number): string {
    return [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'"
    ].join("; ");
}

/**
 * The file a URL path names inside `root`, or null when it would leave `root` (traversal, encoded or not),
 * holds a NUL or a malformed escape, or names a dotfile. "/" and folders map to their index.html.
 */
export function staticFilePath(root: string, urlPath: string): string | null {
    let decoded: string;
    try {
        decoded = decodeURIComponent(urlPath);
    } catch {
        return null;
    }
    if (decoded.includes("\0") || decoded.includes("\\")) return null;
    const parts = decoded.split("/").filter((part) => part !== "");
    if (parts.some((part) => part.startsWith("."))) return null;
    const path = normalize(join(root, ...parts, decoded.endsWith("/") || parts.length === 0 ? "index.html" : ""));
    const inside = relative(root, path);
    if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) return null;
    return path;
}

const contentTypes: Readonly<Record<string, string>> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".txt": "text/plain; charset=utf-8"
};

/** The Content-Type for a file name; unknown kinds are sent as opaque bytes (never sniffed: nosniff is set). */
export function contentTypeFor(fileName: string): string {
    const dot = fileName.lastIndexOf(".");
    return (dot >= 0 ? contentTypes[fileName.slice(dot).toLowerCase()] : undefined) ?? "application/octet-stream";
}
