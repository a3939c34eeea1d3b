/**
 * Rough edges a new user hits (issue 15, items 5, 6, 7, 9), in Chromium on the built page against the real web
 * server (scripts/serve.mjs) and the demo pair: a context size llama.cpp rounds up says so beside the field; the
 * long chat it makes gets one note about left-out turns that updates; each test stands on its own; a second tab sees the first tab's answer
 * written but has no Stop for it; an engine crash's reason is said once in the status line; when the server dies
 * mid-answer the answer shows interrupted at once with no Stop, and "Reconnected" replaces "connection lost".
 */
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import type {ApiClient} from "../../src-shared/index.ts";
import {answersOn, connectApi, ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";

let first: ServeProcess;
let second: ServeProcess | undefined;
let client: ApiClient;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
    ensureUiBuilt();
    first = await startServe();
    client = await connectApi(first);
    browser = await launchChromium();
    page = await browser.newPage({viewport: {width: 1280, height: 800}});
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(first.address.toString());
});
after(async () => {
    client?.close();
    await browser?.close();
    await first?.kill();
    await second?.stop();
});

const contextNotes = (p: Page) => p.locator(".notice", {hasText: "The chat is longer than the context holds"});

async function ask(p: Page, text: string): Promise<void> {
    const count = await answersOn(p).count();
    await p.getByTestId("composer").fill(text);
    await p.getByTestId("send").click();
    await answersOn(p).nth(count).getByTestId("message-stats").waitFor({timeout: 90_000});
}

test("a context size of 64 says beside its field that it becomes 256", {timeout: 60_000}, async () => {
    await page.getByRole("button", {name: "Open settings"}).click();
    try {
        await page.getByRole("tab", {name: "All chats"}).click();
        const field = page.getByRole("dialog").getByLabel("Context size", {exact: true});
        await field.fill("64");
        await field.press("Tab");
        const note = page.getByTestId("setting-note-contextSize");
        await note.waitFor({timeout: 10_000});
        assert.match(await note.innerText(), /64 becomes 256/);
    } finally {
        await page.getByRole("button", {name: "Close settings"}).click();
    }
});

test("a chat longer than the context gets one note about the left-out turns, which updates", {timeout: 240_000}, async () => {
    await client.api.updateSettings({contextSize: 64, maxTokens: 60});
    const questions = [
        "Once upon a time there was a little girl",
        "The dog ran into the big park",
        "Then the sun came out and",
        "At night the moon",
        "The next day they went to the sea",
        "In the end everyone was happy"
    ];
    for (const question of questions) await ask(page, question);
    const status = await client.api.getStatus();
    assert.equal(status.engine.state === "ready" ? status.engine.contextSize : null, 256, "llama.cpp holds 256 tokens, as the note said");
    const [conversation] = await client.api.listConversations();
    const {messages} = await client.api.getConversation({id: conversation!.id});
    const dropping = messages.filter((m) => (m.stats?.droppedTurns ?? 0) > 0).map((m) => m.stats!.droppedTurns);
    assert.ok(dropping.length >= 2, `several answers left turns out (${JSON.stringify(dropping)})`);
    const texts = await contextNotes(page).allInnerTexts();
    assert.equal(texts.length, 1, `one note about the left-out turns, not one per answer: ${JSON.stringify(texts)}`);
    assert.match(texts[0]!, /the oldest (turn was|\d+ turns were) left out/);
    assert.doesNotMatch(texts[0]!, /\b1 turns?\b/);
});

test("a second tab sees the first tab's answer written, but has no Stop for it", {timeout: 120_000}, async () => {
    await client.api.updateSettings({maxTokens: 1900, temperature: 1, contextSize: 2048});
    const other = await browser.newPage({viewport: {width: 1280, height: 800}});
    other.on("pageerror", (error) => pageErrors.push(error.message));
    try {
        await other.goto(first.address.toString());
        await answersOn(other).first().waitFor({timeout: 30_000});
        await page.getByTestId("composer").fill("Tell me a long story about a dragon");
        await page.getByTestId("send").click();
        await page.getByTestId("stop").waitFor({timeout: 60_000});
        await other.locator("[data-testid=message][data-role=assistant][data-status=streaming]").waitFor({timeout: 60_000});
        assert.equal(await other.getByTestId("stop").count(), 0, "no Stop in the tab that did not ask");
        await other.getByRole("status").filter({hasText: "another window"}).waitFor({timeout: 10_000});
        assert.equal(await other.getByTestId("send").isDisabled(), true, "Send waits for the answer");
        await page.getByTestId("stop").click();
        await answersOn(page).last().and(page.locator("[data-status=stopped]")).waitFor({timeout: 30_000});
    } finally {
        await other.close();
    }
});

function childPids(pid: number): number[] {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], {encoding: "utf8"})
        .split("\n")
        .map((l) => Number(l.trim()))
        .filter((n) => n > 0);
}

test("an engine crash's reason is said once in the status line", {timeout: 60_000}, async () => {
    const engines = childPids(first.child.pid!);
    assert.ok(engines.length >= 1, "the server runs its engine in a child process");
    for (const pid of engines) process.kill(pid, "SIGKILL");
    const deadline = Date.now() + 20_000;
    let crash: string | undefined;
    while ((crash = (await client.api.getStatus()).lastEngineCrash) == null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(crash != null, "the service saw the engine die");
    const line = page.getByRole("status").filter({hasText: "The engine stopped unexpectedly"});
    await line.waitFor({timeout: 10_000});
    const text = await line.innerText();
    assert.equal(text.split(crash).length - 1, 1, `the reason once: ${text}`);
});

test(
    "the server dies mid-answer: the answer shows interrupted at once, with no Stop; 'Reconnected' replaces 'connection lost'",
    {timeout: 240_000},
    async () => {
        await page.getByTestId("composer").fill("Tell me a long story about a princess");
        await page.getByTestId("send").click();
        await page.locator("[data-testid=message][data-role=assistant][data-status=streaming]").waitFor({timeout: 90_000});
        await page.getByTestId("stop").waitFor({timeout: 30_000});
        await first.kill();
        const lastAnswer = answersOn(page).last();
        await lastAnswer.and(page.locator("[data-status=interrupted]")).waitFor({timeout: 5_000});
        assert.equal(await page.getByTestId("stop").count(), 0, "no Stop for an answer nothing can stop");
        assert.doesNotMatch(await page.getByRole("status").first().innerText(), /Writing…/);
        await page.locator(".notice", {hasText: "The connection to Tandem was lost"}).waitFor({timeout: 5_000});

        second = await startServe({dataDir: first.dataDir, port: Number(first.address.port), token: first.token});
        await page.locator(".notice", {hasText: "Reconnected to Tandem."}).waitFor({timeout: 30_000});
        assert.equal(await page.locator(".notice", {hasText: "The connection to Tandem was lost"}).count(), 0, "the old banner is replaced");
        assert.equal(await page.locator(".notice", {hasText: "Tandem"}).count(), 1);
        await lastAnswer.and(page.locator("[data-status=interrupted]")).waitFor({timeout: 10_000});
        assert.deepEqual(pageErrors, []);
    }
);
