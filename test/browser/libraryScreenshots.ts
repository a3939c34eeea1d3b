/**
 * The README's screenshots of the model library, taken from the real app: scripts/serve.mjs with an empty home
 * folder (no other app's cache), a folder of the shared models plus a text file renamed .gguf, the story expert
 * chosen with the L4 amateur (verdict, fit, the amateurs sorted), and a download running from a slow stand-in for
 * the Hugging Face Hub on 127.0.0.1 (its bar, speed and time left), at 1280×900 in Debian's Chromium:
 * docs/screenshots/library.png (light) and library-dark.png. Not a test (the runner reads only *.test.ts); run it
 * by hand after a UI change:
 *
 *     npm run build && npx tsx test/browser/libraryScreenshots.ts
 */
import {copyFileSync, mkdirSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import type {Page} from "playwright-core";
import {modelsDir} from "../helpers/models.ts";
import {ensureUiBuilt, launchChromium, repoRoot, startServe} from "../helpers/webApp.ts";
import {HubStandIn} from "../models/library/hubStandIn.ts";

const outDir = path.join(repoRoot, "docs", "screenshots");
const work = mkdtempSync(path.join(tmpdir(), "tandem-library-shots-"));
const home = path.join(work, "home");
const folder = path.join(work, "models");
mkdirSync(home, {recursive: true});
mkdirSync(folder, {recursive: true});
for (const file of ["stories260K.gguf", "stories260K-L3-earlyexit.gguf", "llama-2-tiny-random.gguf"])
    copyFileSync(path.join(modelsDir, file), path.join(folder, file));
writeFileSync(path.join(folder, "notes-renamed.gguf"), "These are my notes, not a model.\n");
const hubRepo = "tandem-test/stories260K-L4-GGUF";
const hubFile = "stories260K-L4-earlyexit.gguf";

ensureUiBuilt();
mkdirSync(outDir, {recursive: true});
const hub = await new HubStandIn({repos: {[hubRepo]: {files: {[hubFile]: path.join(modelsDir, hubFile)}}}}).start();
// Slow enough that the download is still running when both pictures are taken.
hub.bytesPerSecond = 8 * 1024;
const serve = await startServe({env: {HOME: home, HF_ENDPOINT: hub.origin}});
const browser = await launchChromium();

async function showLibrary(page: Page): Promise<void> {
    await page.goto(serve.address.href);
    await page.getByTestId("open-library").click();
    await page.getByTestId("model-row").first().waitFor({timeout: 30_000});
}

try {
    const light = await browser.newPage({viewport: {width: 1280, height: 900}, colorScheme: "light"});
    await showLibrary(light);
    await light.getByTestId("add-folder-input").fill(folder);
    await light.getByTestId("add-folder-button").click();
    await light.getByTestId("model-row").filter({hasText: "notes-renamed.gguf"}).waitFor({timeout: 30_000});
    await light
        .getByTestId("model-row")
        .filter({hasText: "stories260K.gguf"})
        .getByRole("button", {name: /as the expert/})
        .click();
    await light
        .getByTestId("model-row")
        .filter({hasText: "stories260K-L3-earlyexit.gguf"})
        .getByRole("button", {name: /as the amateur/})
        .click();
    await light.getByTestId("pair-verdict").filter({hasText: "work as a pair"}).waitFor({timeout: 30_000});
    await light.getByTestId("pair-fit").waitFor({timeout: 30_000});
    await light.getByTestId("download-url-input").fill(`hf:${hubRepo}/${hubFile}`);
    await light.getByTestId("download-button").click();
    await light
        .getByTestId("download-item")
        .filter({hasText: /B\/s · .* left/})
        .waitFor({timeout: 30_000});
    await light.locator("details.amateurs").evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await light.mouse.move(0, 0);
    await light.screenshot({path: path.join(outDir, "library.png")});

    const dark = await browser.newPage({viewport: {width: 1280, height: 900}, colorScheme: "dark"});
    await showLibrary(dark);
    await dark
        .getByTestId("model-row")
        .filter({hasText: "stories260K.gguf"})
        .getByRole("button", {name: /as the expert/})
        .click();
    await dark.getByTestId("amateur-select").selectOption(path.join(folder, "llama-2-tiny-random.gguf"));
    await dark.getByTestId("pair-verdict").filter({hasText: "cannot work as a pair"}).waitFor({timeout: 30_000});
    await dark
        .getByTestId("download-item")
        .filter({hasText: /B\/s · .* left/})
        .waitFor({timeout: 30_000});
    await dark.mouse.move(0, 0);
    await dark.screenshot({path: path.join(outDir, "library-dark.png")});
    process.stdout.write(`wrote ${path.join(outDir, "library.png")} and library-dark.png\n`);
} finally {
    await browser.close();
    await serve.stop();
    await hub.close();
}
