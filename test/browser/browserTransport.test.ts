/**
 * The renderer's web transport in real Chromium against the real web server (with the in-memory service):
 * opening the printed address (#token=…) connects, hides the token from the address bar and keeps it for a
 * reload; calls and streamed events work; errors arrive as ServiceError with their codes; without a token or
 * with a wrong one connect() fails with a sentence; after the server restarts the page reconnects by itself
 * and says so with notice events.
 */
import assert from "node:assert/strict";
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {after, before, test} from "node:test";
import {build} from "esbuild";
import {chromium, type Browser, type Page} from "playwright-core";
import {startWebServer} from "../../src-main/transports/webServer.ts";
import {createMemoryService} from "../helpers/memoryService.ts";
import {startTestServer, TEST_TOKEN} from "../helpers/server.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
let staticDir: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;

before(async () => {
    staticDir = mkdtempSync(path.join(tmpdir(), "tandem-page-"));
    await build({
        entryPoints: [path.join(here, "..", "helpers", "browserEntry.ts")],
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "chrome120",
        outfile: path.join(staticDir, "app.js"),
        logLevel: "warning"
    });
    writeFileSync(
        path.join(staticDir, "index.html"),
        '<!doctype html><meta charset=utf-8><link rel=icon href="data:,"><title>Tandem test</title><script src="./app.js"></script>'
    );
    server = await startTestServer(createMemoryService(), staticDir);
    browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    });
});
after(async () => {
    await browser?.close();
    await server?.close();
});

/** Runs an async expression in the page (a string: the test's own TypeScript has no DOM types). */
function run<T>(page: Page, body: string): Promise<T> {
    return page.evaluate(`(async () => { ${body} })()`) as Promise<T>;
}

const callAndCatch = (call: string) =>
    `try { return {ok: await tandemTest.connection.api.${call}}; } catch (e) { return {name: e.name, code: e.code, message: e.message}; }`;

test("the printed address connects, hides the token, keeps it for a reload, and carries calls and events", async () => {
    const page = await browser.newPage();
    try {
        const consoleErrors: string[] = [];
        page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
        await page.goto(server.url);
        assert.equal(await run(page, "return tandemTest.connect();"), "web");
        assert.equal(await run(page, "return location.href;"), `${server.origin}/`, "the token is gone from the address");
        assert.equal(await run(page, "return sessionStorage.getItem('tandem.token');"), TEST_TOKEN);

        const status = await run<{version: string}>(page, "return tandemTest.connection.api.getStatus();");
        assert.equal(status.version, "test");
        const finished = await run<{content: string; deltas: string}>(
            page,
            `
            const api = tandemTest.connection.api;
            const {id} = await api.createConversation({title: "From the browser"});
            await api.sendMessage({conversationId: id, text: "Once"});
            for (let i = 0; i < 200 && !tandemTest.events.some((e) => e.type === "generation" && e.event.kind === "finished"); i++) {
                await new Promise((r) => setTimeout(r, 10));
            }
            const gen = tandemTest.events.filter((e) => e.type === "generation").map((e) => e.event);
            return {content: gen.at(-1).message.content, deltas: gen.filter((e) => e.kind === "delta").map((e) => e.text).join("")};`
        );
        assert.equal(finished.content, "Once upon a time");
        assert.equal(finished.deltas, finished.content);

        assert.deepEqual(await run(page, callAndCatch("getConversation({id: 'nope'})")), {
            name: "ServiceError",
            code: "notFound",
            message: "there is no conversation nope"
        });
        assert.deepEqual(await run(page, callAndCatch("sendMessage({conversationId: 'c1'})")), {
            name: "ServiceError",
            code: "invalidRequest",
            message: "sendMessage: text is missing"
        });

        await page.reload();
        assert.equal(await run(page, "return tandemTest.connect();"), "web", "a reload reconnects with the stored token");
        assert.equal((await run<{version: string}>(page, "return tandemTest.connection.api.getStatus();")).version, "test");
        assert.deepEqual(consoleErrors, []);
    } finally {
        await page.close();
    }
});

test("without a token, or with a wrong one, connect() fails with a sentence", async () => {
    const context = await browser.newContext();
    try {
        const page = await context.newPage();
        await page.goto(`${server.origin}/`);
        const missing = await run<{message: string}>(
            page,
            "try { await tandemTest.connect(); return {}; } catch (e) { return {code: e.code, message: e.message}; }"
        );
        assert.match(missing.message, /^no access token: open the address Tandem printed/);
        await page.goto(`${server.origin}/#token=wrong-token-0000000000`);
        const wrong = await run<{code: string; message: string}>(
            page,
            "try { await tandemTest.connect(); return {}; } catch (e) { return {code: e.code, message: e.message}; }"
        );
        assert.equal(wrong.code, "disconnected");
        assert.match(wrong.message, /^could not connect to Tandem's API/);
    } finally {
        await context.close();
    }
});

test("after the server restarts the page reconnects by itself and says so", async () => {
    const page = await browser.newPage();
    try {
        await page.goto(server.url);
        await run(page, "return tandemTest.connect();");
        const port = server.port;
        await server.close();
        const notice = await run<string>(
            page,
            `
            for (let i = 0; i < 300; i++) {
                const n = tandemTest.events.find((e) => e.type === "notice");
                if (n) return n.text;
                await new Promise((r) => setTimeout(r, 10));
            }
            return null;`
        );
        assert.equal(notice, "The connection to Tandem was lost; reconnecting…");
        const offline = await run<{code: string}>(page, callAndCatch("getStatus()"));
        assert.equal(offline.code, "disconnected");

        const logs: string[] = [];
        const restarted = await startWebServer({service: createMemoryService(), staticDir, token: TEST_TOKEN, port, log: (l) => logs.push(l)});
        server = Object.assign(restarted, {logs});
        const back = await run<string[]>(
            page,
            `
            for (let i = 0; i < 1000; i++) {
                if (tandemTest.events.some((e) => e.type === "conversations")) break;
                await new Promise((r) => setTimeout(r, 10));
            }
            return tandemTest.events.map((e) => e.type === "notice" ? e.text : e.type);`
        );
        assert.deepEqual(back, ["The connection to Tandem was lost; reconnecting…", "Reconnected to Tandem.", "status", "conversations"]);
        assert.equal((await run<{ok: {version: string}}>(page, callAndCatch("getStatus()"))).ok.version, "test");
    } finally {
        await page.close();
    }
});
