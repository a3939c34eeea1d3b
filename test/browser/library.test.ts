/**
 * The model library as a new user meets it, in Chromium against the real web server (scripts/serve.mjs: the real
 * service, library, downloader and engine) with an empty data folder, no TANDEM_MODELS_DIR and an empty home
 * folder (so no other app's cache is found): the first-run welcome; a folder added by its path; every model in
 * its own row with its facts, and a bad file with its reason as text; an incompatible pair explained rule by rule;
 * a download from a stand-in for the Hugging Face Hub on 127.0.0.1 with its progress bar; a chat answered with the
 * downloaded model as the amateur; and after a restart of the server the folder is still there.
 */
import assert from "node:assert/strict";
import {copyFileSync, mkdirSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import {modelsDir} from "../helpers/models.ts";
import {answersOn, ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";
import {HubStandIn} from "../models/library/hubStandIn.ts";

const work = mkdtempSync(path.join(tmpdir(), "tandem-library-ui-"));
const home = path.join(work, "home");
const dataDir = path.join(work, "data");
const folder = path.join(work, "my models");
const badFile = "notes-renamed.gguf";
const hubRepo = "tandem-test/stories260K-L3-GGUF";
const hubFile = "stories260K-L3-earlyexit.gguf";

let hub: HubStandIn;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

function serveEnv(): Record<string, string> {
    return {HOME: home, HF_ENDPOINT: hub.origin, HF_HOME: path.join(home, ".cache", "huggingface")};
}

before(async () => {
    mkdirSync(home, {recursive: true});
    mkdirSync(folder, {recursive: true});
    for (const file of ["stories260K.gguf", "stories260K-L4-earlyexit.gguf", "llama-2-tiny-random.gguf"])
        copyFileSync(path.join(modelsDir, file), path.join(folder, file));
    writeFileSync(path.join(folder, badFile), "These are my notes, not a model.\n");
    // The Hub stand-in serves one real model slowly enough that the progress bar is seen moving.
    hub = await new HubStandIn({repos: {[hubRepo]: {files: {[hubFile]: path.join(modelsDir, hubFile)}}}}).start();
    hub.bytesPerSecond = 300 * 1024;
    ensureUiBuilt();
    serve = await startServe({dataDir, env: serveEnv()});
    browser = await launchChromium();
    page = await browser.newPage({viewport: {width: 1280, height: 900}});
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(serve.address.href);
});

after(async () => {
    await browser?.close();
    await serve?.stop();
    await hub?.close();
});

test("first run: the welcome says what the two models are and offers the demo pair, downloads and a folder", async () => {
    const welcome = page.getByTestId("welcome");
    await welcome.waitFor({timeout: 30_000});
    const text = await welcome.innerText();
    assert.match(text, /expert/);
    assert.match(text, /amateur/);
    assert.match(text, /SCD/);
    await welcome.getByRole("button", {name: /Try the demo pair/}).waitFor();
    await welcome.getByRole("button", {name: /Download a recommended pair/}).waitFor();
    const shots = process.env.TANDEM_SCREENSHOTS_DIR;
    if (shots != null) {
        await page.screenshot({path: path.join(shots, "welcome-1280-light.png")});
        const narrow = await browser.newPage({viewport: {width: 360, height: 760}, colorScheme: "dark"});
        await narrow.goto(serve.address.href);
        await narrow.getByTestId("welcome").waitFor();
        await narrow.screenshot({path: path.join(shots, "welcome-360-dark.png")});
        await narrow.close();
    }
    await welcome.getByRole("button", {name: /Add folder/}).click();
    await page.getByTestId("add-folder-input").waitFor();
});

test("a folder added by its path: every model in its row with its facts, the bad file with its reason", {timeout: 60_000}, async () => {
    await page.getByTestId("add-folder-input").fill(path.join(work, "no such folder"));
    await page.getByTestId("add-folder-button").click();
    await page.getByRole("alert").filter({hasText: "no such folder"}).waitFor();

    await page.getByTestId("add-folder-input").fill(folder);
    await page.getByTestId("add-folder-button").click();
    // The folder's copy of a demo model is the same model: one row, found in both sources.
    const story = page.getByTestId("model-row").filter({hasText: "stories260K.gguf"}).filter({hasText: "Models folder"});
    await story.waitFor({timeout: 30_000});
    const facts = (await story.innerText()).replace(/\s+/g, " ");
    for (const expected of [/architecture:? llama/, /parameters/, /quantization/, /file size/, /vocabulary:? 512/, /context/, /chat template:? no/]) {
        assert.match(facts, expected);
    }
    const bad = page.getByTestId("model-row").filter({hasText: badFile});
    await bad.waitFor();
    const reason = await bad.getByTestId("model-problem").innerText();
    assert.match(reason, /^Cannot be used: .{10,}/, reason);
    assert.equal(await bad.getByTestId("model-problem").isVisible(), true, "the reason is visible text, not a tooltip");
});

test("an incompatible pair is explained rule by rule, and cannot be loaded", {timeout: 60_000}, async () => {
    await page
        .getByTestId("model-row")
        .filter({hasText: "stories260K.gguf"})
        .getByRole("button", {name: /as the expert/})
        .click();
    await page.getByTestId("amateur-select").selectOption(path.join(folder, "llama-2-tiny-random.gguf"));
    const verdict = page.getByTestId("pair-verdict");
    await verdict.filter({hasText: "cannot work as a pair"}).waitFor({timeout: 30_000});
    const words = await verdict.innerText();
    assert.match(words, /vocabular/i, words);
    assert.equal(await page.getByTestId("load-pair").isDisabled(), true);
    const list = await page.getByTestId("incompatible-amateurs").innerText();
    assert.match(list, /llama-2-tiny-random/);
});

test("a download from the Hub stand-in shows its progress bar, then the model is in the library", {timeout: 120_000}, async () => {
    await page.getByTestId("download-url-input").fill(`hf:${hubRepo}/${hubFile}`);
    await page.getByTestId("download-button").click();
    const progress = page.getByTestId("download-progress");
    await progress.waitFor({timeout: 30_000});
    // While it runs: bytes of the total, speed and time left, under a bar that moves.
    const item = page.getByTestId("download-item").first();
    await item.filter({hasText: /B of .* · .*B\/s · .* left/}).waitFor({timeout: 30_000});
    // The bar's value (1 once it is gone: the download finished).
    const barValue = () => page.evaluate(() => document.querySelector<HTMLProgressElement>("[data-testid=download-progress]")?.value ?? 1);
    const first = await barValue();
    await page.waitForTimeout(700);
    const later = await barValue();
    assert.ok(later > first, `the bar moved: ${first} → ${later}`);
    assert.match(await item.innerText(), new RegExp(hubFile.replace(/\./g, "\\.")));
    await page.getByTestId("download-item").filter({hasText: "now in the library"}).waitFor({timeout: 90_000});
    assert.ok(
        hub.requests.some((r) => r.url === `/${hubRepo}/resolve/main/${hubFile}`),
        hub.requests.map((r) => r.url).join("\n")
    );
    await page.getByTestId("model-row").filter({hasText: hubFile}).waitFor({timeout: 30_000});
});

test("a chat answered with the downloaded model as the amateur", {timeout: 180_000}, async () => {
    const downloadedRow = page.getByTestId("model-row").filter({hasText: hubFile});
    await downloadedRow.getByRole("button", {name: /as the amateur/}).click();
    await page.getByTestId("pair-verdict").filter({hasText: "work as a pair"}).waitFor({timeout: 30_000});
    await page.getByTestId("close-library").click();
    await page.getByTestId("composer").fill("Once upon a time");
    await page.getByTestId("composer").press("Enter");
    await answersOn(page).last().getByTestId("message-stats").waitFor({timeout: 150_000});
    const status = await page.getByRole("status").first().innerText();
    assert.match(status, new RegExp(hubFile.replace(/\./g, "\\.")), status);
});

test("after a restart of the server the folder is still a source", {timeout: 120_000}, async () => {
    const {port} = serve.address;
    await serve.stop();
    serve = await startServe({dataDir, env: serveEnv(), token: serve.token, port: Number(port)});
    await page.goto(serve.address.href);
    await page.reload();
    await page.getByTestId("open-library").click();
    await page.getByTestId("library-source").filter({hasText: folder}).waitFor({timeout: 30_000});
    await page.getByTestId("model-row").filter({hasText: "stories260K.gguf"}).first().waitFor();
    assert.deepEqual(pageErrors, []);
});
