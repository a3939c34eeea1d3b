/**
 * The Local server switch as a user flips it, in Chromium on the web app: Settings → All chats → Local server
 * on shows the address and the generated key; that key opens the API (GET /v1/models, on 127.0.0.1); off says so
 * and the API is gone.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import type {Browser} from "playwright-core";
import {ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";

let serve: ServeProcess;
let browser: Browser;

before(async () => {
    ensureUiBuilt();
    serve = await startServe();
    browser = await launchChromium();
});

after(async () => {
    await browser?.close();
    await serve?.stop();
});

test("Local server on shows its address and key, which answer; off stops it", async () => {
    const page = await browser.newPage();
    await page.goto(serve.address.href);
    await page.getByRole("button", {name: "Open settings"}).click();
    await page.getByRole("tab", {name: "All chats"}).click();
    const dialog = page.getByRole("dialog");
    const port = dialog.getByLabel("Server port", {exact: true});
    await port.fill("0");
    await port.press("Tab");
    const status = dialog.locator(".server-status");
    await assertText(status, /^Off\.$/);
    await dialog.getByLabel("Local server", {exact: true}).check();
    await assertText(status, /Serving at http:\/\/127\.0\.0\.1:\d+\/v1 with the key tandem-\S+\./);
    const text = (await status.textContent())!;
    const baseUrl = /Serving at (\S+) with/.exec(text)![1]!;
    const key = /the key (\S+)\./.exec(text)![1]!;
    const models = await fetch(`${baseUrl}/models`, {headers: {Authorization: `Bearer ${key}`}});
    assert.equal(models.status, 200);
    assert.equal(((await models.json()) as {data: {id: string}[]}).data[0]!.id, "stories260K+stories260K-L4-earlyexit");

    await dialog.getByLabel("Local server", {exact: true}).uncheck();
    await assertText(status, /^Off\.$/);
    await assert.rejects(fetch(`${baseUrl}/models`), /fetch failed/);
});

async function assertText(locator: import("playwright-core").Locator, pattern: RegExp): Promise<void> {
    const deadline = Date.now() + 30_000;
    let text = "";
    while (Date.now() < deadline) {
        text = ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
        if (pattern.test(text)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`the server status says ${JSON.stringify(text)}, not ${pattern}`);
}
