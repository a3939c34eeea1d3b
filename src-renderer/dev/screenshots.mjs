#!/usr/bin/env node
// Screenshots of the harness (light and dark; long chat, streaming, empty, error, settings, search) into a folder,
// for a person to look at. Usage: npx vite build --mode harness && node src-renderer/dev/screenshots.mjs [outDir]
// Serves dist/harness with `vite preview` on a free port; Chromium from /usr/bin/chromium.
import {spawn} from "node:child_process";
import {mkdirSync} from "node:fs";
import {chromium} from "playwright-core";

const outDir = process.argv[2] ?? "/tmp/tandem-shots";
mkdirSync(outDir, {recursive: true});
const port = 4179;
const server = spawn(process.execPath, ["node_modules/vite/bin/vite.js", "preview", "--mode", "harness", "--port", String(port), "--strictPort"], {
    stdio: "pipe"
});
await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => String(d).includes(String(port)) && resolve());
    server.on("exit", (code) => reject(new Error(`vite preview exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}/dev/harness.html`;
const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
});
const problems = [];
try {
    for (const scheme of ["light", "dark"]) {
        const page = await browser.newPage({viewport: {width: 1280, height: 820}, colorScheme: scheme});
        page.on("console", (m) => m.type() === "error" && problems.push(`${scheme}: console: ${m.text()}`));
        page.on("pageerror", (e) => problems.push(`${scheme}: page error: ${e.message}`));
        const shot = async (name) => page.screenshot({path: `${outDir}/${name}-${scheme}.png`});

        await page.goto(`${base}?scenario=long`);
        await page.getByTestId("message").first().waitFor();
        await shot("long-bottom");
        await page.getByTestId("highlight-toggle").click();
        await shot("long-highlight");
        await page.getByTestId("highlight-toggle").click();
        // Frame gaps while the fake service streams ~2000 events a second into one answer.
        await page.evaluate(() => {
            const probe = {gaps: [], last: performance.now(), longTasks: 0};
            window.__probe = probe;
            new PerformanceObserver((list) => (probe.longTasks += list.getEntries().length)).observe({type: "longtask", buffered: false});
            const loop = (t) => {
                probe.gaps.push(t - probe.last);
                probe.last = t;
                requestAnimationFrame(loop);
            };
            requestAnimationFrame(loop);
        });
        await page.getByTestId("composer").fill("Write a long story");
        await page.getByTestId("composer").press("Enter");
        await page.getByTestId("stop").waitFor();
        await page.waitForTimeout(300);
        await shot("streaming");
        if (scheme === "light") {
            await page.getByTestId("stop").waitFor({state: "detached", timeout: 30_000});
            const probe = await page.evaluate(() => window.__probe);
            const gaps = probe.gaps.slice(1).sort((a, b) => a - b);
            const stats = await page.getByTestId("message-stats").last().innerText();
            const chars = await page
                .getByTestId("message")
                .last()
                .evaluate((el) => el.querySelector(".markdown")?.textContent?.length ?? 0);
            console.log(
                `stream: ${gaps.length} frames, median gap ${gaps[gaps.length >> 1].toFixed(1)} ms, p95 ${gaps[Math.floor(gaps.length * 0.95)].toFixed(1)} ms, ` +
                    `max ${gaps[gaps.length - 1].toFixed(1)} ms, long tasks ${probe.longTasks}; answer ${chars} characters shown; footer: ${stats.replace(/\n/g, " ")}`
            );
            await page.getByTestId("regenerate").click();
            await page.getByRole("alert").first().waitFor();
            await shot("busy-error");
            await page.getByRole("button", {name: "Dismiss this error"}).click();
            await page.getByTestId("composer").fill("Write a long story again");
            await page.getByTestId("send").click();
            await page.getByTestId("stop").waitFor();
            await page.waitForTimeout(300);
        }
        await page.keyboard.press("Escape");
        await page.getByTestId("stop").waitFor({state: "detached"});
        await page.waitForTimeout(200);
        await shot("stopped");
        await page.getByRole("button", {name: "Open settings"}).click();
        await shot("settings");
        await page.keyboard.press("Escape");
        await page.getByTestId("search-input").fill("dog");
        await page.waitForTimeout(400);
        await shot("search");
        await page.getByTestId("search-input").fill("");
        await page.getByTestId("open-library").click();
        const qwen = page.getByTestId("amateur-select").locator("option", {hasText: "Qwen/Qwen2.5-0.5B"});
        await page.getByTestId("amateur-select").selectOption(await qwen.getAttribute("value"));
        await page.getByTestId("pair-verdict").filter({hasText: "cannot work as a pair"}).waitFor();
        await shot("incompatible");
        await page.getByTestId("close-library").click();

        await page.goto(`${base}?scenario=error`);
        await page.getByTestId("composer").fill("Hello?");
        await page.getByTestId("send").click();
        await page.getByRole("alert").first().waitFor();
        await shot("error");

        await page.goto(`${base}?scenario=idle`);
        await page.waitForTimeout(300);
        await shot("empty-idle");
        await page.goto(`${base}?scenario=loading`);
        await page.waitForTimeout(300);
        await page.setViewportSize({width: 760, height: 700});
        await shot("loading-narrow");
        await page.close();
    }
} finally {
    await browser.close();
    server.kill();
}
console.log(problems.length === 0 ? `screenshots in ${outDir}` : problems.join("\n"));
