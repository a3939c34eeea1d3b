/**
 * Issue 7's end-to-end flow in Debian Chromium against scripts/serve.mjs (what `npm run serve` runs) with the
 * demo pair from resources/models, driven only through the page (the API client reads back what the store
 * holds, to compare): pick and load the pair (its expert-alone baseline gets measured), send and watch the
 * answer grow frame by frame, a stats footer whose numbers are the stored ones with a measured speedup,
 * highlighting that shows exactly the stored text, stop mid-answer (a stopped partial answer that is still
 * there, unchanged, after a reload), regenerate, edit and resend, reload and find the history, search it,
 * export it (Markdown and JSON, the same files the service makes). Then, with the shared model folder listed too:
 * an incompatible pair refused in words, a setting changed in the form, another mode from the header, rename,
 * delete with confirmation, a chat's own setting, and Esc stopping a running answer.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import type {Message, ApiClient} from "../../src-shared/index.ts";
import {modelsDir} from "../helpers/models.ts";
import {
    answersOn,
    connectApi,
    ensureUiBuilt,
    launchChromium,
    loadDemoPairInUi,
    setSettingsInUi,
    startServe,
    type ServeProcess
} from "../helpers/webApp.ts";

let serve: ServeProcess;
let client: ApiClient;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
    ensureUiBuilt();
    serve = await startServe({modelsDir});
    client = await connectApi(serve);
    browser = await launchChromium();
    page = await browser.newPage({viewport: {width: 1280, height: 800}, acceptDownloads: true});
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
        if (message.type() === "error") pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(serve.address.toString());
});
after(async () => {
    client?.close();
    await browser?.close();
    await serve?.stop();
});

const answers = () => answersOn(page);
const userMessages = () => page.locator("[data-testid=message][data-role=user]");

/** The open chat's messages as the store holds them. */
async function storedMessages(): Promise<readonly Message[]> {
    const [conversation] = await client.api.listConversations();
    assert.ok(conversation != null, "a conversation exists");
    return (await client.api.getConversation({id: conversation.id})).messages;
}

/** Records, in the page, the text of the streaming answer at every DOM change (time since the record began). */
async function recordStreaming(): Promise<void> {
    await page.evaluate(() => {
        const snapshots: {t: number; text: string}[] = [];
        const start = performance.now();
        (window as unknown as {__snapshots: typeof snapshots}).__snapshots = snapshots;
        new MutationObserver(() => {
            const streaming = document.querySelector("[data-testid=message][data-role=assistant][data-status=streaming]");
            if (streaming == null) return;
            const text = streaming.querySelector(".markdown, .runs")?.textContent ?? "";
            if (text !== snapshots.at(-1)?.text) snapshots.push({t: performance.now() - start, text});
        }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    });
}

test("the demo pair is picked by file name and loaded; the expert alone is measured for the speedup", {timeout: 180_000}, async () => {
    await loadDemoPairInUi(page);
    const status = await client.api.getStatus();
    assert.equal(status.engine.state, "ready");
    assert.equal(status.calibration.state, "done");
    assert.ok(status.calibration.baseline!.expertTokensPerSecond > 0);
});

test("an answer streams into the page and ends with a footer holding the stored stats and a measured speedup", {timeout: 180_000}, async () => {
    await setSettingsInUi(page, {"Max tokens": "128", Temperature: "0"});
    await recordStreaming();
    await page.getByTestId("composer").fill("Once upon a time");
    await page.getByTestId("send").click();
    const footer = answers().last().getByTestId("message-stats");
    await footer.waitFor({timeout: 120_000});

    const [user, answer] = await storedMessages();
    assert.equal(user!.content, "Once upon a time");
    assert.equal(answer!.status, "done", answer!.error ?? "");
    assert.ok(answer!.stats != null && answer!.stats.generatedTokens >= 1 && answer!.stats.generatedTokens <= 128);

    const snapshots = await page.evaluate(() => (window as unknown as {__snapshots: {t: number; text: string}[]}).__snapshots);
    const growing = snapshots.filter((s) => s.text.trim() !== "");
    assert.ok(growing.length >= 2, `the answer appeared in more than one step while streaming (${growing.length} steps)`);
    for (let i = 1; i < growing.length; i++) assert.ok(growing[i]!.text.length >= growing[i - 1]!.text.length, "the streamed text only grows");

    assert.equal(await footer.locator("[data-stat=mode] dd").innerText(), "scd");
    assert.equal(await footer.locator("[data-stat=tokens] dd").innerText(), String(answer!.stats.generatedTokens));
    assert.match(await footer.locator("[data-stat=speed] dd").innerText(), /^[\d.]+ tok\/s$/);
    const speedup = answer!.stats.speedup;
    assert.ok(speedup != null, "the answer's stats carry a speedup against the measured baseline");
    assert.match(
        await footer.locator("[data-stat=speedup] dd").innerText(),
        new RegExp(
            `^${speedup.ratio.toFixed(speedup.ratio < 10 ? 1 : 0).replace(".", "\\.")}× vs expert alone \\([\\d.]+ tok/s(, its steps in this answer| over the same span, measured \\d{1,2} [A-Z][a-z]{2}(, matched to this answer's load)?)\\)$`
        )
    );
});

test("highlighting shows exactly the stored answer, coloured by token source, and toggles back", {timeout: 60_000}, async () => {
    const toggle = page.getByTestId("highlight-toggle");
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    const runs = answers().last().locator(".runs");
    await runs.waitFor();
    const stored = (await storedMessages()).at(-1)!;
    assert.equal(
        await runs.evaluate((node) => node.textContent),
        stored.content,
        "the highlighted text is the stored answer, character for character"
    );
    const classes = await runs.locator("span").evaluateAll((nodes) => nodes.map((n) => n.className));
    assert.ok(classes.length > 0 && classes.every((c) => /\brun-(draft|correction|bonus|direct)\b/.test(c)), classes.join(" "));
    assert.ok(
        classes.some((c) => /run-draft/.test(c)),
        "an scd answer holds accepted drafts"
    );
    await toggle.click();
    await answers().last().locator(".markdown").waitFor();
    assert.equal(await answers().last().locator(".runs").count(), 0);
});

test("Stop as soon as text appears ends the answer as stopped; the partial answer is stored and survives a reload", {timeout: 180_000}, async () => {
    await setSettingsInUi(page, {"Max tokens": "1500", Temperature: "1"});
    await page.getByTestId("highlight-toggle").click();
    // Clicks Stop from inside the page the moment the first text of the new answer is drawn.
    await page.evaluate(() => {
        const seen = {text: null as string | null};
        (window as unknown as {__stoppedAt: typeof seen}).__stoppedAt = seen;
        const observer = new MutationObserver(() => {
            const streaming = document.querySelector("[data-testid=message][data-role=assistant][data-status=streaming] .runs");
            const text = streaming?.textContent ?? "";
            const stop = document.querySelector<HTMLButtonElement>("[data-testid=stop]");
            if (text === "" || stop == null) return;
            seen.text = text;
            observer.disconnect();
            stop.click();
        });
        observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    });
    await page.getByTestId("composer").fill("Tell me a long story about a dragon");
    await page.getByTestId("composer").press("Enter");
    const answer = answers().last();
    await answer.and(page.locator("[data-status=stopped]")).waitFor({timeout: 120_000});
    await answer.getByText("Stopped before the end.").waitFor();
    const shownAtStop = await page.evaluate(() => (window as unknown as {__stoppedAt: {text: string | null}}).__stoppedAt.text);
    assert.ok(shownAtStop != null && shownAtStop.length > 0, "Stop was clicked once text appeared");

    const stored = (await storedMessages()).at(-1)!;
    assert.equal(stored.status, "stopped");
    assert.equal(stored.stats?.stopReason, "abort");
    assert.ok(stored.stats!.generatedTokens < 1500, `stopped early (${stored.stats!.generatedTokens} tokens)`);
    assert.ok(stored.content.startsWith(shownAtStop), "what was shown when Stop was clicked begins the stored answer");
    const shownAfter = await answer.locator(".runs").evaluate((node) => node.textContent);
    assert.equal(shownAfter, stored.content);

    await page.reload();
    const reloaded = answersOn(page).last();
    await reloaded.and(page.locator("[data-status=stopped]")).waitFor({timeout: 30_000});
    assert.equal(await reloaded.getAttribute("data-message-id"), stored.id);
    assert.equal(
        await reloaded.locator(".runs").evaluate((node) => node.textContent),
        stored.content,
        "the partial answer is unchanged after a reload"
    );
    await reloaded.getByText("Stopped before the end.").waitFor();
    await page.getByTestId("highlight-toggle").click();
});

test("Regenerate replaces the last answer with a new one", {timeout: 180_000}, async () => {
    await setSettingsInUi(page, {"Max tokens": "48"});
    const before = await storedMessages();
    const old = before.at(-1)!;
    await answers().last().getByTestId("regenerate").click();
    await page.locator(`[data-testid=message][data-message-id="${old.id}"]`).waitFor({state: "detached", timeout: 30_000});
    await answers().last().getByTestId("message-stats").waitFor({timeout: 120_000});
    const after = await storedMessages();
    assert.equal(after.length, before.length);
    assert.deepEqual(
        after.slice(0, -1).map((m) => m.id),
        before.slice(0, -1).map((m) => m.id),
        "everything before the answer is kept"
    );
    const fresh = after.at(-1)!;
    assert.notEqual(fresh.id, old.id);
    assert.equal(fresh.role, "assistant");
    assert.equal(fresh.status, "done", fresh.error ?? "");
    assert.equal(await answers().count(), 2);
    assert.equal(await answers().last().getAttribute("data-message-id"), fresh.id);
});

test("Edit and resend replaces the question and everything after it", {timeout: 180_000}, async () => {
    const before = await storedMessages();
    await userMessages().last().getByRole("button", {name: "Edit this message and resend it"}).click();
    await page.getByLabel("Edit your message").fill("The little dog");
    await page.getByRole("button", {name: "Save and resend"}).click();
    await userMessages().last().filter({hasText: "The little dog"}).waitFor();
    await page.locator(`[data-testid=message][data-message-id="${before.at(-1)!.id}"]`).waitFor({state: "detached", timeout: 30_000});
    await answers().last().getByTestId("message-stats").waitFor({timeout: 120_000});
    const after = await storedMessages();
    assert.deepEqual(
        after.map((m) => m.role),
        ["user", "assistant", "user", "assistant"]
    );
    assert.deepEqual(
        after.slice(0, 2).map((m) => m.id),
        before.slice(0, 2).map((m) => m.id),
        "the first exchange is untouched"
    );
    assert.equal(after[2]!.id, before[2]!.id, "the edited message keeps its place");
    assert.equal(after[2]!.content, "The little dog");
    assert.notEqual(after[3]!.id, before[3]!.id);
    assert.equal(after[3]!.status, "done", after[3]!.error ?? "");
    assert.equal(await userMessages().count(), 2);
    assert.equal(await answers().count(), 2);
});

test("after a reload the chat is in the list and shows the stored history", {timeout: 60_000}, async () => {
    const stored = await storedMessages();
    await page.reload();
    await answersOn(page).nth(1).getByTestId("message-stats").waitFor({timeout: 30_000});
    assert.equal(await page.getByTestId("conversation-item").count(), 1);
    assert.match(await page.getByTestId("conversation-item").innerText(), /Once upon a time/);
    const shown = await page.getByTestId("message").evaluateAll((nodes) =>
        nodes.map((n) => ({
            id: n.getAttribute("data-message-id"),
            role: n.getAttribute("data-role"),
            status: n.getAttribute("data-status")
        }))
    );
    assert.deepEqual(
        shown,
        stored.map((m) => ({id: m.id, role: m.role, status: m.status}))
    );
    assert.deepEqual(await userMessages().locator(".text").allInnerTexts(), ["Once upon a time", "The little dog"]);
});

test("search finds a word of an answer, marks it, and opens the chat at that message", {timeout: 60_000}, async () => {
    const firstAnswer = (await storedMessages())[1]!;
    const word = firstAnswer.content.match(/[A-Za-z]{5,}/)?.[0];
    assert.ok(word != null, `the first answer has a word to search for: ${firstAnswer.content}`);
    await page.getByTestId("search-input").fill(word);
    const hit = page
        .locator(".hit")
        .filter({has: page.locator("mark", {hasText: new RegExp(`^${word}$`, "i")})})
        .first();
    await hit.waitFor({timeout: 15_000});
    const hits = await client.api.searchMessages({query: word});
    assert.ok(
        hits.some((h) => h.messageId === firstAnswer.id),
        "the store finds the same answer"
    );
    assert.equal(await page.locator(".hit").count(), hits.length);
    await page
        .locator(".hit")
        .nth(hits.findIndex((h) => h.messageId === firstAnswer.id))
        .click();
    await page.locator(`[data-message-id="${firstAnswer.id}"].revealed`).waitFor({timeout: 15_000});
    await page.getByTestId("search-input").fill("");
    await page.getByTestId("conversation-item").first().waitFor();
});

test("export downloads the chat as Markdown and JSON, the service's own files", {timeout: 60_000}, async () => {
    const [conversation] = await client.api.listConversations();
    const stored = await storedMessages();
    for (const [format, name] of [
        ["markdown", "Export this chat as Markdown"],
        ["json", "Export this chat as JSON"]
    ] as const) {
        const download = page.waitForEvent("download");
        await page.getByRole("button", {name}).click();
        const file = await download;
        const content = readFileSync((await file.path())!, "utf8");
        const expected = await client.api.exportConversation({id: conversation!.id, format});
        assert.equal(file.suggestedFilename(), expected.fileName);
        if (format === "json") {
            // The same document but for the moment it was made.
            const withoutTime = (text: string) => ({...(JSON.parse(text) as Record<string, unknown>), exportedAt: null});
            assert.deepEqual(withoutTime(content), withoutTime(expected.content));
        } else {
            assert.equal(content, expected.content);
        }
        for (const message of stored)
            assert.ok(
                content.includes(format === "json" ? JSON.stringify(message.content) : message.content.trim()),
                `${format} holds ${message.id}`
            );
    }
    assert.deepEqual(pageErrors, []);
});

test("an incompatible pair is refused with every failed rule in words; the demo pair loads", {timeout: 120_000}, async () => {
    await page.getByTestId("open-library").click();
    const expert = page.getByTestId("expert-select");
    await expert.locator("option", {hasText: "stories260K.gguf"}).first().waitFor({state: "attached"});
    const amateurOptions = await page.getByTestId("amateur-select").locator("option").allInnerTexts();
    assert.ok(
        amateurOptions.some((t) => t.includes("llama-2-tiny-random.gguf")),
        amateurOptions.join(" | ")
    );
    const randomPath = await page
        .getByTestId("amateur-select")
        .locator("option", {hasText: "llama-2-tiny-random.gguf"})
        .first()
        .getAttribute("value");
    await page.getByTestId("amateur-select").selectOption(randomPath!);
    const verdict = page.getByTestId("pair-verdict");
    await verdict.filter({hasText: "cannot work as a pair"}).waitFor();
    assert.match(await verdict.innerText(), /vocabular/i);
    assert.equal(await page.getByRole("button", {name: "Load pair"}).isDisabled(), true);

    const l4Path = await page
        .getByTestId("amateur-select")
        .locator("option", {hasText: "stories260K-L4-earlyexit.gguf"})
        .first()
        .getAttribute("value");
    const expertPath = await expert
        .locator("option", {hasText: /^stories260K\.gguf/})
        .first()
        .getAttribute("value");
    await expert.selectOption(expertPath!);
    await page.getByTestId("amateur-select").selectOption(l4Path!);
    await verdict.filter({hasText: "work as a pair"}).waitFor();
    // The demo pair may already be the loaded one (the flow above loaded it): then the button says so.
    const load = page.getByRole("button", {name: /^(Load pair|Loaded)$/});
    if ((await load.innerText()) === "Load pair") await load.click();
    await page.getByRole("button", {name: "Loaded"}).waitFor({timeout: 90_000});
    await page
        .getByRole("status")
        .filter({hasText: "stories260K-L4-earlyexit.gguf"})
        .filter({hasText: /CPU|Metal|CUDA|Vulkan/})
        .waitFor({timeout: 90_000});
    await page.getByTestId("close-library").click();
});

test("a setting from the form applies to the next answer, whose footer shows its stats beside the baseline", {timeout: 120_000}, async () => {
    await page.getByRole("button", {name: "Open settings"}).click();
    await page.getByRole("tab", {name: "All chats"}).click();
    const maxTokens = page.getByLabel("Max tokens");
    await maxTokens.fill("0");
    await maxTokens.press("Tab");
    await page.getByText("Max tokens must be a whole number from 1 to 32768").waitFor();
    await maxTokens.fill("24");
    await maxTokens.press("Tab");
    await page.getByRole("button", {name: "Close settings"}).click();

    await page.getByTestId("composer").fill("Once upon a time");
    await page.getByTestId("composer").press("Enter");
    await page.locator("[data-testid=message][data-role=user]").filter({hasText: "Once upon a time"}).last().waitFor();
    const footer = answers().last().getByTestId("message-stats");
    await footer.waitFor({timeout: 90_000});
    const text = (await footer.innerText()).replace(/\s+/g, " ");
    assert.match(text, /mode scd/);
    const tokens = Number(/tokens (\d+)/.exec(text)?.[1]);
    assert.ok(tokens >= 1 && tokens <= 24, text);
    assert.match(text, /speed [\d.]+ tok\/s/);
    // The acceptance rate shows when the answer drafted; on the demo pair γ auto may decode a short answer without
    // drafts (cd is faster there), and then the footer says so instead.
    assert.match(text, /acceptance rate \d+%|γ auto 100% of tokens without drafts/);
    // (Labels and values are separate cells; the colon is drawn by CSS.)
    // Never a bare ratio: the speedup names the expert-alone rate and the day it was measured (or says it is not measured).
    assert.match(
        text,
        /speedup (\d+\.\d× vs expert alone \([\d.]+ tok\/s(, its steps in this answer| over the same span, measured \d{1,2} [A-Z][a-z]{2}(, matched to this answer's load)?)\)|not measured yet)/
    );
});

test("another mode from the header, regenerate, rename, delete with confirmation", {timeout: 120_000}, async () => {
    const answersBefore = await answers().count();
    await page.getByTestId("mode-select").selectOption("cd");
    await page.getByTestId("regenerate").click();
    const footer = answers().last().getByTestId("message-stats");
    await footer.locator("[data-stat=mode] dd", {hasText: /^cd$/}).waitFor({timeout: 90_000});
    assert.equal(await answers().count(), answersBefore, "the old answer was replaced");
    assert.doesNotMatch(await footer.innerText(), /accepted/, "cd has no drafts to accept");

    await page.getByRole("button", {name: /^Rename/}).click();
    await page.getByLabel("New title").fill("Renamed story");
    await page.getByLabel("New title").press("Enter");
    await page.getByTestId("conversation-item").filter({hasText: "Renamed story"}).waitFor();

    await page.getByRole("button", {name: /^Delete/}).click();
    await page.getByRole("group", {name: "Confirm deletion"}).getByRole("button", {name: "Delete"}).click();
    await page.getByText("No chats yet.").waitFor();
    assert.equal(await page.getByTestId("conversation-item").count(), 0);
    assert.deepEqual(pageErrors, []);
});

test("a chat's own setting applies to it only, and Esc stops a running answer", {timeout: 120_000}, async () => {
    await page.getByRole("button", {name: "New chat"}).click();
    await page.getByTestId("conversation-item").first().waitFor();
    await page.getByRole("button", {name: "Open settings"}).click();
    await page.getByRole("tab", {name: "This chat"}).click();
    const maxTokens = page.getByLabel("Max tokens");
    await maxTokens.fill("1500");
    await maxTokens.press("Tab");
    await page.getByRole("button", {name: "Use the default for Max tokens"}).waitFor();
    await page.getByRole("tab", {name: "All chats"}).click();
    assert.equal(await page.getByLabel("Max tokens").inputValue(), "24", "the default for all chats is unchanged");
    await page.getByRole("button", {name: "Close settings"}).click();

    await page.getByTestId("composer").fill("Once upon a time");
    await page.getByTestId("send").click();
    await page.getByTestId("stop").waitFor();
    await page.keyboard.press("Escape");
    const answer = answers().last();
    await answer.and(page.locator("[data-status=stopped]")).waitFor({timeout: 60_000});
    await page.getByTestId("stop").waitFor({state: "detached"});
    assert.equal(await answer.locator("[data-stat=stop] dd").innerText(), "stopped");
    const tokens = Number(await answer.locator("[data-stat=tokens] dd").innerText());
    assert.ok(tokens < 1500, `stopped after ${tokens} tokens`);
    assert.deepEqual(pageErrors, []);
});
