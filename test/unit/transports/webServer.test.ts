/**
 * The web server's security, over real sockets: the API refuses a missing or wrong token, a foreign or missing
 * Origin, and a foreign Host (DNS rebinding); pages load without the token; static files are GET/HEAD only,
 * with CSP and nosniff, no CORS headers, no directory traversal or dotfiles; it listens on 127.0.0.1 only; a
 * busy port and an unbuilt UI are reported in words.
 */
import assert from "node:assert/strict";
import {request} from "node:http";
import {connect} from "node:net";
import {rmSync} from "node:fs";
import path from "node:path";
import {after, before, test} from "node:test";
import {startWebServer} from "../../../src-main/transports/webServer.ts";
import {contentSecurityPolicy, staticFilePath, tokenMatches, tokenProblem} from "../../../src-main/transports/webSecurity.ts";
import {createMemoryService} from "../../helpers/memoryService.ts";
import {makeStaticDir, openSocket, startTestServer, TEST_TOKEN} from "../../helpers/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let staticDir: string;

before(async () => {
    staticDir = makeStaticDir();
    server = await startTestServer(createMemoryService(), staticDir);
});
after(async () => {
    await server.close();
});

type Reply = {status: number; headers: Record<string, string | string[] | undefined>; body: string};

/** One raw HTTP request with exactly the headers given (fetch cannot set Host). */
function httpRequest(options: {path: string; method?: string; host?: string; port?: number}): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const req = request(
            {
                host: "127.0.0.1",
                port: options.port ?? server.port,
                path: options.path,
                method: options.method ?? "GET",
                headers: {Host: options.host ?? `127.0.0.1:${server.port}`},
                setHost: false
            },
            (response) => {
                let body = "";
                response.on("data", (chunk: Buffer) => (body += chunk.toString()));
                response.on("end", () => resolve({status: response.statusCode!, headers: response.headers, body}));
            }
        );
        req.on("error", reject);
        req.end();
    });
}

async function refusedStatus(options: Parameters<typeof openSocket>[1]): Promise<{status: number; body: string}> {
    try {
        const socket = await openSocket(server, options);
        socket.close();
    } catch (error) {
        const {status, body} = error as {status?: number; body?: string};
        assert.ok(status != null, `an HTTP refusal, not ${String(error)}`);
        return {status, body: body ?? ""};
    }
    assert.fail("the WebSocket was accepted");
}

test("the API accepts the page's own origin with the token, by IP and as localhost", async () => {
    (await openSocket(server)).close();
    (await openSocket(server, {host: `localhost:${server.port}`, origin: `http://localhost:${server.port}`})).close();
});

test("a missing or wrong token is refused with 401", async () => {
    for (const token of [null, "", "wrong", TEST_TOKEN.slice(0, -1), `${TEST_TOKEN}x`, TEST_TOKEN.toUpperCase()]) {
        const {status, body} = await refusedStatus({token});
        assert.equal(status, 401, `token ${JSON.stringify(token)}`);
        assert.match(body, /needs this launch's token/);
    }
    assert.ok(server.logs.includes("refused a WebSocket with a missing or wrong token"));
});

test("a foreign or missing Origin is refused with 403, even with the right token", async () => {
    for (const origin of [
        "http://evil.example",
        `http://127.0.0.1:${server.port + 1}`,
        `https://127.0.0.1:${server.port}`,
        "null",
        null,
        `http://localhost:${server.port}` /* the request's Host says 127.0.0.1: a mismatched pair */
    ]) {
        const {status, body} = await refusedStatus({origin});
        assert.equal(status, 403, `origin ${String(origin)}`);
        assert.match(body, /only from pages this server served/);
    }
});

test("a foreign Host is refused, for the API and for pages (DNS rebinding)", async () => {
    for (const host of [
        "evil.example",
        `evil.example:${server.port}`,
        `127.0.0.1:${server.port + 1}`,
        `0.0.0.0:${server.port}`,
        `[::1]:${server.port}`
    ]) {
        const socketRefusal = await refusedStatus({host, origin: `http://${host}`});
        assert.equal(socketRefusal.status, 403, `WebSocket with host ${host}`);
        const page = await httpRequest({path: "/", host});
        assert.equal(page.status, 403, `page with host ${host}`);
        assert.match(page.body, /answers only to 127\.0\.0\.1 and localhost/);
    }
});

test("the page loads without the token, with CSP and nosniff and no CORS headers", async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
        const page = await httpRequest({path: "/", host});
        assert.equal(page.status, 200);
        assert.match(page.body, /<title>Tandem<\/title>/);
        assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
        assert.equal(page.headers["content-security-policy"], contentSecurityPolicy(server.port));
        assert.equal(page.headers["x-content-type-options"], "nosniff");
        assert.equal(page.headers["cache-control"], "no-store");
        assert.ok(
            Object.keys(page.headers).every((name) => !name.startsWith("access-control-")),
            "no CORS headers"
        );
    }
    const asset = await httpRequest({path: "/assets/app.js?v=1"});
    assert.equal(asset.status, 200);
    assert.equal(asset.headers["content-type"], "text/javascript; charset=utf-8");
    const head = await httpRequest({path: "/index.html", method: "HEAD"});
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
});

test("only GET and HEAD are served", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"]) {
        const reply = await httpRequest({path: "/", method});
        assert.equal(reply.status, 405, method);
        assert.equal(reply.headers.allow, "GET, HEAD");
        assert.equal(reply.headers["access-control-allow-origin"], undefined);
    }
});

test("no directory traversal, dotfiles or malformed paths", async () => {
    for (const urlPath of [
        "/../package.json",
        "/%2e%2e/package.json",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fpackage.json",
        "/assets/..%5c..%5cpackage.json",
        "/.secret",
        "/%00index.html",
        "/%E0%A4%A",
        "/missing.js",
        "/assets"
    ]) {
        const reply = await httpRequest({path: urlPath});
        assert.equal(reply.status, 404, urlPath);
        assert.doesNotMatch(reply.body, /dotfile|"name"|root:/);
    }
    const root = "/srv/app";
    assert.equal(staticFilePath(root, "/"), path.join(root, "index.html"));
    assert.equal(staticFilePath(root, "/a/b.js"), path.join(root, "a", "b.js"));
    assert.equal(staticFilePath(root, "/a/../../x"), null);
});

test("the API is only at /api", async () => {
    const {status} = await refusedStatus({path: "/other"});
    assert.equal(status, 404);
});

test("it listens on 127.0.0.1 only", async () => {
    const address = await new Promise<string>((resolve) => {
        const socket = connect({host: "127.0.0.1", port: server.port}, () => {
            resolve(socket.remoteAddress!);
            socket.destroy();
        });
    });
    assert.equal(address, "127.0.0.1");
    assert.equal(server.url, `http://127.0.0.1:${server.port}/#token=${TEST_TOKEN}`);
});

test("a busy port and an unbuilt UI are reported in words", async () => {
    await assert.rejects(startWebServer({service: createMemoryService(), staticDir, token: TEST_TOKEN, port: server.port}), {
        message: `port ${server.port} on 127.0.0.1 is already in use; set TANDEM_PORT to another port`
    });
    const empty = makeStaticDir();
    rmSync(path.join(empty, "index.html"));
    const bare = await startWebServer({service: createMemoryService(), staticDir: empty, token: TEST_TOKEN, port: 0});
    try {
        const reply = await httpRequest({path: "/", port: bare.port, host: `127.0.0.1:${bare.port}`});
        assert.equal(reply.status, 503);
        assert.match(reply.body, /The UI is not built .*run "npm run build" first/);
    } finally {
        await bare.close();
    }
});

test("token rules: constant-time comparison, and what TANDEM_TOKEN may be", () => {
    assert.equal(tokenMatches(TEST_TOKEN, TEST_TOKEN), true);
    assert.equal(tokenMatches("short", TEST_TOKEN), false);
    assert.equal(tokenMatches(null, TEST_TOKEN), false);
    assert.equal(tokenProblem("abc"), "TANDEM_TOKEN must be 16 to 256 characters long");
    assert.equal(tokenProblem("a token with spaces!!"), "TANDEM_TOKEN may hold only letters, digits and . _ ~ -");
    assert.equal(tokenProblem(TEST_TOKEN), null);
});
