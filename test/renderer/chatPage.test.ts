/**
 * The built chat UI in Chromium against the real web server (scripts/serve.mjs, the real service and engine,
 * the demo pair and the shared model folder), driven only through the page: pair picking with an incompatible
 * pair refused in words, loading, a setting changed in the form, an answer with its stats footer, token
 * highlighting that covers the answer exactly and survives a reload, another mode, rename, search, export,
 * edit-and-resend and delete with confirmation. Builds the UI first when dist/renderer is missing.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import {modelsDir} from "../helpers/models.ts";
import {ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
    ensureUiBuilt();
    serve = await startServe({modelsDir});
    browser = await launchChromium();
    page = await browser.newPage({viewport: {width: 1280, height: 820}, acceptDownloads: true});
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(serve.address.href);
});
after(async () => {
    await browser?.close();
    await serve?.stop();
});

const answers = () => page.locator("[data-testid=message][data-role=assistant]");

test("an incompatible pair is refused with the engine's reasons; the demo pair loads", {timeout: 120_000}, async () => {
    const expert = page.getByTestId("expert-select");
    await expert.locator("option", {hasText: "stories260K.gguf"}).first().waitFor({state: "attached"});
    const amateurOptions = await page.getByTestId("amateur-select").locator("option").allInnerTexts();
    assert.ok(amateurOptions.some((t) => t.includes("llama-2-tiny-random.gguf")), amateurOptions.join(" | "));
    const randomPath = await page.getByTestId("amateur-select").locator("option", {hasText: "llama-2-tiny-random.gguf"}).first().getAttribute("value");
    await page.getByTestId("amateur-select").selectOption(randomPath!);
    await page.getByText("These models cannot work as a pair:").waitFor();
    assert.match(await page.locator(".verdict").innerText(), /vocabularySize/);
    assert.equal(await page.getByRole("button", {name: "Load pair"}).isDisabled(), true);

    const l4Path = await page.getByTestId("amateur-select").locator("option", {hasText: "stories260K-L4-earlyexit.gguf"}).first().getAttribute("value");
    const expertPath = await expert.locator("option", {hasText: /^stories260K\.gguf/}).first().getAttribute("value");
    await expert.selectOption(expertPath!);
    await page.getByTestId("amateur-select").selectOption(l4Path!);
    await page.getByText("The two models share a tokenizer.").waitFor();
    await page.getByRole("button", {name: "Load pair"}).click();
    await page.getByRole("status").filter({hasText: "stories260K-L4-earlyexit.gguf"}).filter({hasText: /CPU|Metal|CUDA|Vulkan/}).waitFor({timeout: 90_000});
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
    await page.locator("[data-testid=message][data-role=user]").filter({hasText: "Once upon a time"}).waitFor();
    const footer = answers().last().getByTestId("message-stats");
    await footer.waitFor({timeout: 90_000});
    const text = (await footer.innerText()).replace(/\s+/g, " ");
    assert.match(text, /mode scd/);
    const tokens = Number(/tokens (\d+)/.exec(text)?.[1]);
    assert.ok(tokens >= 1 && tokens <= 24, text);
    assert.match(text, /speed [\d.]+ tok\/s/);
    assert.match(text, /accepted \d+%/);
    // (Labels and values are separate cells; the colon is drawn by CSS.)
    // Never a bare ratio: the speedup names the expert-alone rate and the day it was measured (or says it is not measured).
    assert.match(text, /speedup (\d+\.\d× vs expert alone, [\d.]+ tok\/s measured \d{1,2} [A-Z][a-z]{2}|not measured yet)/);
    assert.equal(await page.getByTestId("conversation-item").count(), 1);
});

test("token highlighting colours exactly the answer's text and survives a reload", {timeout: 60_000}, async () => {
    const plain = (await answers().last().locator(".markdown").innerText()).trim();
    await page.getByTestId("highlight-toggle").click();
    const runs = answers().last().locator(".runs");
    await runs.waitFor();
    const spans = await runs.locator("span").evaluateAll((nodes) => nodes.map((n) => ({cls: n.className, text: n.textContent ?? ""})));
    assert.ok(spans.length > 0 && spans.every((s) => /run-(draft|correction|bonus|direct)/.test(s.cls)), JSON.stringify(spans.slice(0, 5)));
    assert.equal(spans.map((s) => s.text).join("").trim().replace(/\s+/g, " "), plain.replace(/\s+/g, " "));
    assert.ok(spans.some((s) => /run-(draft|correction)/.test(s.cls)), "scd answers contain drafts or corrections");
    await page.getByText("accepted draft (amateur)").waitFor();

    await page.reload();
    await answers().last().locator(".runs span").first().waitFor({timeout: 30_000});
    assert.equal(await page.getByTestId("highlight-toggle").getAttribute("aria-pressed"), "true");
    await page.getByTestId("highlight-toggle").click();
    await answers().last().locator(".markdown").waitFor();
});

test("another mode from the header, regenerate, rename, search, export, edit and resend, delete with confirmation", {timeout: 120_000}, async () => {
    await page.getByTestId("mode-select").selectOption("cd");
    await page.getByTestId("regenerate").click();
    const footer = answers().last().getByTestId("message-stats");
    await footer.locator("[data-stat=mode] dd", {hasText: /^cd$/}).waitFor({timeout: 90_000});
    assert.equal(await answers().count(), 1, "the old answer was replaced");
    assert.doesNotMatch(await footer.innerText(), /accepted/, "cd has no drafts to accept");
    const answerText = (await answers().last().locator(".markdown").innerText()).trim();

    await page.getByRole("button", {name: /^Rename/}).click();
    await page.getByLabel("New title").fill("Renamed story");
    await page.getByLabel("New title").press("Enter");
    await page.getByTestId("conversation-item").filter({hasText: "Renamed story"}).waitFor();

    const word = answerText.split(/\W+/).find((w) => w.length >= 4) ?? "Once";
    await page.getByTestId("search-input").fill(word);
    await page.locator(".hit").filter({hasText: "Renamed story"}).first().waitFor();
    assert.equal((await page.locator(".hit mark").first().innerText()).toLowerCase(), word.toLowerCase());
    await page.getByTestId("search-input").fill("");

    const download = page.waitForEvent("download");
    await page.getByRole("button", {name: "Export this chat as JSON"}).click();
    const file = await download;
    const exported = readFileSync((await file.path())!, "utf8");
    assert.ok(exported.includes(answerText.slice(0, 20)), "the JSON export holds the answer");

    await page.getByRole("button", {name: "Edit this message and resend it"}).click();
    await page.getByLabel("Edit your message").fill("The little dog");
    await page.getByRole("button", {name: "Save and resend"}).click();
    await page.locator("[data-testid=message][data-role=user]").filter({hasText: "The little dog"}).waitFor();
    await answers().last().getByTestId("message-stats").waitFor({timeout: 90_000});
    assert.equal(await page.locator("[data-testid=message][data-role=user]").count(), 1, "the edited message replaced the old one");
    assert.equal(await answers().count(), 1, "the old answer was dropped");

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
