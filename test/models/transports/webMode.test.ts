/**
 * `npm run serve`'s program end to end (scripts/serve.mjs as a child process, the real service, the real
 * engine process, the demo pair): it prints one line with the address, the page loads from it without the
 * token, the built UI opened at that address in Chromium answers a message (and still shows the chat after a
 * reload), a client holding the token sends a message and receives the streamed answer with stats, the server
 * keeps serving after a malformed request, and SIGTERM stops everything with exit code 0. Bad settings end
 * with one line on stderr.
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, test} from "node:test";
import {ServiceError, type GenerationEvent} from "../../../src-shared/index.ts";
import {repoRoot} from "../../../src-main/app/webApp.ts";
import {connectApi, launchChromium, startServe, type ServeProcess} from "../../helpers/webApp.ts";

const serveScript = path.join(repoRoot, "scripts", "serve.mjs");
const token = "web-mode-test-token-1234";
let serve: ServeProcess;
let address: URL;

before(async () => {
    // startServe checks the printed line's form (`Tandem is running at http://127.0.0.1:PORT/#token=…`).
    serve = await startServe({token});
    address = serve.address;
    assert.equal(address.hash, `#token=${token}`);
});
after(() => serve?.kill());

test("the page loads from the printed address without the token", async () => {
    const response = await fetch(new URL("/", address.origin));
    const built = existsSync(path.join(repoRoot, "dist", "renderer", "index.html"));
    assert.equal(response.status, built ? 200 : 503, "the built UI, or a sentence saying to build it");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("access-control-allow-origin"), null);
});

const uiBuilt = existsSync(path.join(repoRoot, "dist", "renderer", "index.html"));

test(
    "the printed address opens the app in Chromium, which answers a message and survives a reload",
    {
        skip: uiBuilt ? false : 'the UI is not built (run "npm run build" first): browser check skipped',
        timeout: 180_000
    },
    async () => {
        const browser = await launchChromium();
        try {
            const page = await browser.newPage();
            const errors: string[] = [];
            page.on("pageerror", (error) => errors.push(error.message));
            await page.goto(address.toString());
            await page.getByTestId("composer").fill("Once upon a time");
            await page.getByTestId("send").click();
            const answer = page.locator("[data-testid=message][data-role=assistant]").last();
            await answer.getByTestId("message-stats").waitFor({timeout: 150_000});
            assert.ok((await answer.innerText()).trim().length > 0);
            assert.equal(page.url(), `${address.origin}/`, "the token is no longer in the address bar");
            await page.reload();
            await page.locator("[data-testid=message][data-role=assistant]").first().waitFor({timeout: 30_000});
            assert.deepEqual(errors, []);
        } finally {
            await browser.close();
        }
    }
);

test("a message to the demo pair streams an answer with stats; a malformed request does not stop the server", {timeout: 180_000}, async () => {
    const client = await connectApi(serve);
    try {
        const events: GenerationEvent[] = [];
        client.subscribe((event) => {
            if (event.type === "generation") events.push(event.event);
        });
        await assert.rejects(
            client.api.sendMessage({conversationId: "x"} as never),
            (error) => error instanceof ServiceError && error.code === "invalidRequest" && error.message === "sendMessage: text is missing"
        );
        await client.api.updateSettings({maxTokens: 24, temperature: 0});
        const conversation = await client.api.createConversation({title: "Web mode"});
        const {assistantMessageId} = await client.api.sendMessage({conversationId: conversation.id, text: "Once upon a time"});
        const finished = await new Promise<Extract<GenerationEvent, {kind: "finished"}>>((resolve, reject) => {
            const timer = setInterval(() => {
                const done = events.find(
                    (e): e is Extract<GenerationEvent, {kind: "finished"}> => e.kind === "finished" && e.message.id === assistantMessageId
                );
                if (done != null) {
                    clearInterval(timer);
                    resolve(done);
                }
                if (serve.child.exitCode != null) {
                    clearInterval(timer);
                    reject(new Error(`the server exited: ${serve.log()}`));
                }
            }, 20);
        });
        assert.equal(finished.message.status, "done", finished.message.error ?? "");
        const streamed = events.flatMap((e) => (e.kind === "delta" && e.messageId === assistantMessageId ? [e.text] : [])).join("");
        assert.ok(finished.message.content.length > 0);
        assert.equal(streamed, finished.message.content);
        assert.ok(finished.message.stats != null && finished.message.stats.generatedTokens > 0);
        const stored = await client.api.getConversation({id: conversation.id});
        assert.deepEqual(
            stored.messages.map((m) => m.role),
            ["user", "assistant"]
        );
    } finally {
        client.close();
    }
});

test("SIGTERM stops the server and the engine with exit code 0", {timeout: 60_000}, async () => {
    assert.equal(await serve.stop(), 0, serve.log());
});

test("bad settings end with one line on stderr and exit code 1", () => {
    const result = spawnSync(process.execPath, [serveScript], {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: 60_000,
        env: {...process.env, TANDEM_PORT: "99999", TANDEM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tandem-web-"))}
    });
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'tandem: TANDEM_PORT must be a port number from 0 to 65535, not "99999"\n');
    const badToken = spawnSync(process.execPath, [serveScript], {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: 60_000,
        env: {...process.env, TANDEM_TOKEN: "short", TANDEM_PORT: "0"}
    });
    assert.equal(badToken.status, 1);
    assert.equal(badToken.stderr, "tandem: TANDEM_TOKEN must be 16 to 256 characters long\n");
});
