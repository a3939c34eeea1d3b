/**
 * History survives a crash: scripts/serve.mjs (the demo pair from resources/models) is SIGKILLed while the
 * page shows an answer being written; its engine process goes with it; a new server on the same data folder,
 * port and token serves the same page again, which after a reload shows the earlier exchange unchanged and the
 * partial answer, marked interrupted, holding what had been written down before the kill.
 */
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import type {Message, ApiClient} from "../../src-shared/index.ts";
import {answersOn, connectApi, ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";

let first: ServeProcess;
let second: ServeProcess | undefined;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
    ensureUiBuilt();
    first = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({viewport: {width: 1280, height: 800}});
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(first.address.toString());
});
after(async () => {
    await browser?.close();
    await first?.kill();
    await second?.stop();
});

async function messagesOf(client: ApiClient): Promise<readonly Message[]> {
    const [conversation] = await client.api.listConversations();
    assert.ok(conversation != null, "the conversation is stored");
    return (await client.api.getConversation({id: conversation.id})).messages;
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

test(
    "SIGKILL mid-answer, restart on the same data folder: the page finds the history and the partial answer marked interrupted",
    {timeout: 240_000},
    async () => {
        const client = await connectApi(first);
        let before: readonly Message[];
        try {
            await client.api.updateSettings({maxTokens: 24, temperature: 0});
            await page.getByTestId("composer").fill("Once upon a time");
            await page.getByTestId("send").click();
            await answersOn(page).last().getByTestId("message-stats").waitFor({timeout: 150_000});

            // A long answer, shown as plain highlighted text (the page's text is then exactly the message's content).
            await client.api.updateSettings({maxTokens: 1900, temperature: 1});
            await page.getByTestId("highlight-toggle").click();
            await page.getByTestId("composer").fill("Tell me a long story about a dragon");
            await page.getByTestId("send").click();
            const streaming = page.locator("[data-testid=message][data-role=assistant][data-status=streaming] .runs span").first();
            await streaming.waitFor({timeout: 60_000});
            // The answer is written down every 500 ms while it streams: kill once the store holds some of it.
            const deadline = Date.now() + 60_000;
            do {
                await new Promise((resolve) => setTimeout(resolve, 50));
                before = await messagesOf(client);
            } while (before.at(-1)!.content === "" && before.at(-1)!.status === "streaming" && Date.now() < deadline);
            assert.equal(before.at(-1)!.status, "streaming", "the answer is still being written when the server is killed");
        } finally {
            client.close();
        }
        const enginePids = execFileSync("ps", ["-o", "pid=", "--ppid", String(first.child.pid)], {encoding: "utf8"})
            .split("\n")
            .map((l) => Number(l.trim()))
            .filter((n) => n > 0);
        assert.ok(enginePids.length >= 1, "the server runs its engine in a child process");
        await first.kill();
        const shownAtKill = (await page.locator("[data-testid=message][data-role=assistant]").last().locator(".runs").textContent()) ?? "";
        assert.ok(shownAtKill.length > 0);
        const deadline = Date.now() + 15_000;
        while (enginePids.some(processAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(enginePids.filter(processAlive), [], "the engine process ends with the server that started it");

        second = await startServe({dataDir: first.dataDir, port: Number(first.address.port), token: first.token});
        await page.reload();
        const answers = answersOn(page);
        const interrupted = answers.last();
        await interrupted.and(page.locator("[data-status=interrupted]")).waitFor({timeout: 30_000});
        await interrupted.getByText("Interrupted: the answer was cut off").waitFor();

        const restarted = await connectApi(second);
        try {
            const after = await messagesOf(restarted);
            assert.deepEqual(
                after.map((m) => m.id),
                before.map((m) => m.id),
                "every message is still there"
            );
            assert.deepEqual(after.slice(0, 3), before.slice(0, 3), "the earlier messages are unchanged");
            const partial = after.at(-1)!;
            assert.equal(partial.status, "interrupted");
            assert.ok(partial.content.length > 0, "the partial answer holds what was written down before the kill");
            assert.ok(
                shownAtKill.startsWith(partial.content) || partial.content.startsWith(shownAtKill),
                `the stored partial answer and what the page showed at the kill agree (${partial.content.length} vs ${shownAtKill.length} characters)`
            );
            assert.equal(await interrupted.locator(".runs").evaluate((node) => node.textContent), partial.content);
            const shown = await page
                .getByTestId("message")
                .evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-message-id"), n.getAttribute("data-status")]));
            assert.deepEqual(
                shown,
                after.map((m) => [m.id, m.status])
            );
            assert.equal(await answers.first().getByTestId("message-stats").count(), 1, "the finished answer keeps its stats footer");
        } finally {
            restarted.close();
        }
        assert.deepEqual(pageErrors, []);
    }
);
