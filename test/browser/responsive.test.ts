/**
 * The window at any width from 360 px, in Chromium against the real web server with the demo pair: at 360, 800
 * and 1280 px, light and dark, the chat and the composer take the width (no sideways scrolling, a message box a
 * thumb can use), below the breakpoint the sidebar is a drawer and the header's buttons are one menu, and the
 * library and an error stay readable. Screenshots of each go to TANDEM_SCREENSHOTS_DIR (default: a temporary
 * folder, printed) for a person to look at.
 */
import assert from "node:assert/strict";
import {mkdirSync, mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, test} from "node:test";
import type {Browser, Page} from "playwright-core";
import {answersOn, ensureUiBuilt, launchChromium, startServe, type ServeProcess} from "../helpers/webApp.ts";

const outDir = process.env.TANDEM_SCREENSHOTS_DIR ?? mkdtempSync(path.join(tmpdir(), "tandem-widths-"));
const home = mkdtempSync(path.join(tmpdir(), "tandem-widths-home-"));
let serve: ServeProcess;
let browser: Browser;

before(async () => {
    mkdirSync(outDir, {recursive: true});
    ensureUiBuilt();
    serve = await startServe({env: {HOME: home}});
    browser = await launchChromium();
    // One answer on the demo pair, so every width shows a chat with its stats.
    const page = await browser.newPage({viewport: {width: 1280, height: 800}});
    await page.goto(serve.address.href);
    await page.getByTestId("use-demo-pair").click();
    await page.getByTestId("composer").fill("Once upon a time");
    await page.getByTestId("composer").press("Enter");
    await answersOn(page).last().getByTestId("message-stats").waitFor({timeout: 120_000});
    await page.close();
    process.stdout.write(`# screenshots in ${outDir}\n`);
});

after(async () => {
    await browser?.close();
    await serve?.stop();
});

type Box = {readonly x: number; readonly width: number; readonly height: number; readonly visible: boolean};
type Layout = {
    readonly scrollWidth: number;
    readonly main: Box | null;
    readonly composer: Box | null;
    readonly sidebar: Box | null;
    readonly answer: Box | null;
};

/**
 * Facts about the layout a person would notice first. (A string, so the test runner's transform adds no helper
 * names to the function the page runs.)
 */
async function layout(page: Page): Promise<Layout> {
    return page.evaluate(`(() => {
        const box = (selector) => {
            const el = document.querySelector(selector);
            if (el == null) return null;
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {x: r.x, width: r.width, height: r.height, visible: style.display !== "none" && style.visibility !== "hidden" && r.width > 0 && r.right > 0};
        };
        return {
            scrollWidth: document.documentElement.scrollWidth,
            main: box("main.main"),
            composer: box("[data-testid=composer]"),
            sidebar: box("aside.sidebar"),
            answer: box("[data-testid=message][data-role=assistant]")
        };
    })()`);
}

for (const scheme of ["light", "dark"] as const) {
    for (const width of [360, 800, 1280]) {
        test(`${width} px, ${scheme}: the chat and composer take the width`, {timeout: 60_000}, async () => {
            const page = await browser.newPage({viewport: {width, height: 760}, colorScheme: scheme});
            const shot = (name: string) => page.screenshot({path: path.join(outDir, `${name}-${width}-${scheme}.png`)});
            try {
                await page.goto(serve.address.href);
                await answersOn(page).last().getByTestId("message-stats").waitFor({timeout: 30_000});
                const facts = await layout(page);
                assert.ok(facts.scrollWidth <= width, `no sideways scrolling: ${facts.scrollWidth} > ${width}`);
                // The chat column takes the main area (up to its reading width), beside the sidebar or alone.
                const main = facts.main?.width ?? 0;
                assert.ok(width < 760 ? main === width : main >= width - 280, `main area ${main} px wide at ${width}`);
                assert.ok(
                    facts.composer != null && facts.composer.width >= Math.min(main - 140, 600),
                    `message box ${facts.composer?.width} px wide in a ${main} px main area`
                );
                assert.ok(
                    facts.answer != null && facts.answer.width >= Math.min(main - 48, 500),
                    `answer ${facts.answer?.width} px wide in a ${main} px main area`
                );
                const narrow = width < 760;
                assert.equal(facts.sidebar?.visible ?? false, !narrow, "the sidebar shows beside the chat only when wide");
                assert.equal(await page.getByTestId("open-drawer").isVisible(), narrow);
                assert.equal(await page.getByTestId("chat-menu").isVisible(), width < 1040, "the header's buttons fold into a menu below 1040 px");
                await shot("chat");

                if (narrow) {
                    await page.getByTestId("open-drawer").click();
                    await page.getByRole("dialog", {name: "Chats and models"}).waitFor();
                    await shot("drawer");
                    await page.keyboard.press("Escape");
                }
                if (width < 1040) {
                    await page.getByTestId("chat-menu").click();
                    await page.getByRole("menu").waitFor();
                    await shot("menu");
                    await page.getByRole("menuitem", {name: "Models…"}).click();
                } else {
                    await page.getByTestId("open-library").click();
                }
                await page.getByTestId("model-row").first().waitFor();
                assert.ok((await layout(page)).scrollWidth <= width, "the library fits the width");
                await shot("library");

                // An error in words: a folder that does not exist.
                await page.getByTestId("add-folder-input").fill("/no/such/folder");
                await page.getByTestId("add-folder-button").click();
                await page.getByRole("alert").filter({hasText: "/no/such/folder"}).waitFor();
                assert.ok((await layout(page)).scrollWidth <= width, "the error fits the width");
                await shot("error");
            } finally {
                await page.close();
            }
        });
    }
}
