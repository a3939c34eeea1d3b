/**
 * Issue 14 in Debian Chromium against scripts/serve.mjs with the demo pair, driven through the page:
 *  - a fresh start (nothing used yet, so nothing warms up: the answer loads the demo pair) answers its first message, and the
 *    footer's first-token time is from Send, with the wait for the load said when there was one;
 *  - "Compare modes" on a user message shows four columns (expert, sd, cd, scd) with their speed and speedup;
 *    with exact numerics, greedy scd's text equals cd's and sd's equals the expert's; the comparison is saved
 *    with the conversation (still there after a reload).
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import type {ApiClient} from "../../src-shared/index.ts";
import {answersOn, connectApi, ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";

let serve: ServeProcess;
let client: ApiClient;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
    ensureUiBuilt();
    serve = await startServe();
    client = await connectApi(serve);
    browser = await launchChromium();
    page = await browser.newPage({viewport: {width: 1280, height: 900}});
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(serve.address.toString());
});
after(async () => {
    client?.close();
    await browser?.close();
    await serve?.stop();
});

test(
    "a fresh start answers its first message; the footer's first token is from Send, with any wait for the load said",
    {timeout: 180_000},
    async () => {
        await client.api.updateSettings({maxTokens: 48, temperature: 0});
        await page.getByTestId("composer").fill("Once upon a time");
        await page.getByTestId("send").click();
        const footer = answersOn(page).last().getByTestId("message-stats");
        await footer.waitFor({timeout: 150_000});
        const [conversation] = await client.api.listConversations();
        const [, answer] = (await client.api.getConversation({id: conversation!.id})).messages;
        assert.equal(answer!.status, "done", answer!.error ?? "");
        const stats = answer!.stats!;
        assert.ok(stats.sendToFirstTokenMs != null && stats.sendToFirstTokenMs > 0);
        const firstToken = await footer.locator("[data-stat=ttft] dd").innerText();
        if (stats.pairLoadMs != null) assert.match(firstToken, /^[\d.]+ m?s \(pair loaded in [\d.]+ m?s\)$/);
        else assert.match(firstToken, /^[\d.]+ m?s$/);
        assert.match((await footer.locator("[data-stat=ttft]").getAttribute("title")) ?? "", /^from Send/);
        assert.deepEqual(pageErrors, []);
    }
);

test(
    "Compare modes shows four columns; with exact numerics greedy scd says what cd says and sd what the expert says",
    {timeout: 300_000},
    async () => {
        // Exact numerics (batched and single heads agree to ~1e-5), greedy: the equalities are exact.
        await client.api.updateSettings({exact: true, temperature: 0, maxTokens: 48});
        await page.getByTestId("composer").fill("One day, Tom went to the park with his dog.");
        await page.getByTestId("send").click();
        await answersOn(page).nth(1).getByTestId("message-stats").waitFor({timeout: 150_000});
        const user = page.locator("[data-testid=message][data-role=user]").last();
        await user.getByTestId("compare-button").click();
        const view = page.locator("[data-testid=compare-view]").last();
        await view.waitFor({timeout: 30_000});
        await page.locator("[data-testid=compare-view][data-status=done]").last().waitFor({timeout: 240_000});
        const columns = view.getByTestId("compare-column");
        assert.equal(await columns.count(), 4);
        const modes = await columns.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-mode")));
        assert.deepEqual(modes, ["expert", "sd", "cd", "scd"]);
        const text = async (mode: string): Promise<string> =>
            view.locator(`[data-testid=compare-column][data-mode=${mode}] [data-testid=compare-text]`).innerText();
        assert.ok((await text("expert")).length > 0);
        assert.equal(await text("scd"), await text("cd"));
        assert.equal(await text("sd"), await text("expert"));
        for (const mode of ["expert", "sd", "cd", "scd"]) {
            const column = view.locator(`[data-testid=compare-column][data-mode=${mode}]`);
            assert.match(await column.locator("[data-stat=speed] dd").innerText(), /^[\d.]+ tok\/s$/);
            assert.match(await column.locator("[data-stat=speedup] dd").innerText(), /^(\d+\.\d× vs expert alone|not measured yet)$/);
        }

        // Saved with the conversation: the same four columns after a reload.
        const [conversation] = await client.api.listConversations();
        const stored = await client.api.getConversation({id: conversation!.id});
        assert.equal(stored.comparisons?.length, 1);
        assert.deepEqual(
            stored.comparisons![0]!.columns.map((c) => [c.mode, c.status]),
            [
                ["expert", "done"],
                ["sd", "done"],
                ["cd", "done"],
                ["scd", "done"]
            ]
        );
        await page.reload();
        await page.locator("[data-testid=compare-view][data-status=done]").last().waitFor({timeout: 30_000});
        assert.equal(await page.locator("[data-testid=compare-view]").last().getByTestId("compare-column").count(), 4);
        assert.deepEqual(pageErrors, []);
    }
);
