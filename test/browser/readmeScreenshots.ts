/**
 * The README's screenshots, taken from the real app: scripts/serve.mjs with the demo pair (resources/models),
 * a chat of three exchanges written through the page, token highlighting on, stats footers in view, at
 * 1280×800 in Debian's Chromium: docs/screenshots/chat.png (light) and chat-dark.png (prefers-color-scheme
 * dark). Not a test (the runner reads only *.test.ts); run it by hand after a UI change:
 *
 *     npm run build && npx tsx test/browser/readmeScreenshots.ts
 */
import {mkdirSync} from "node:fs";
import path from "node:path";
import type {Page} from "playwright-core";
import {answersOn, ensureUiBuilt, launchChromium, loadDemoPairInUi, repoRoot, setSettingsInUi, startServe} from "../helpers/webApp.ts";

const outDir = path.join(repoRoot, "docs", "screenshots");
const questions = ["Once upon a time, there was a little dog", "What did the dog find in the park?", "Tell me how the day ended"];

async function showHighlighting(page: Page): Promise<void> {
    const toggle = page.getByTestId("highlight-toggle");
    if ((await toggle.getAttribute("aria-pressed")) !== "true") await toggle.click();
    await answersOn(page).last().locator(".runs span").first().waitFor();
    await page.mouse.move(0, 0);
}

ensureUiBuilt();
mkdirSync(outDir, {recursive: true});
const serve = await startServe();
const browser = await launchChromium();
try {
    const light = await browser.newPage({viewport: {width: 1280, height: 800}, colorScheme: "light"});
    await light.goto(serve.address.toString());
    await loadDemoPairInUi(light);
    await setSettingsInUi(light, {"Max tokens": "60", Temperature: "0.7"});
    for (const question of questions) {
        const before = await answersOn(light).count();
        await light.getByTestId("composer").fill(question);
        await light.getByTestId("composer").press("Enter");
        await answersOn(light).nth(before).getByTestId("message-stats").waitFor({timeout: 120_000});
    }
    await showHighlighting(light);
    await light.screenshot({path: path.join(outDir, "chat.png")});

    const dark = await browser.newPage({viewport: {width: 1280, height: 800}, colorScheme: "dark"});
    await dark.goto(serve.address.toString());
    await answersOn(dark)
        .nth(questions.length - 1)
        .getByTestId("message-stats")
        .waitFor({timeout: 30_000});
    await showHighlighting(dark);
    await dark.screenshot({path: path.join(outDir, "chat-dark.png")});
    process.stdout.write(`wrote ${path.join(outDir, "chat.png")} and chat-dark.png\n`);
} finally {
    await browser.close();
    await serve.stop();
}
