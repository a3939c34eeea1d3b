/**
 * The UI streaming benchmark (issue 7; a measurement, not a timed test): does the page keep up with the engine?
 * Starts scripts/serve.mjs (the built UI; the demo pair from resources/models), opens it in Debian's Chromium,
 * and asks for one long answer (N tokens, greedy, a fixed seed) per view, Markdown and token highlighting.
 * In the page a MutationObserver records the streaming answer's text at every change and a PerformanceObserver
 * the long tasks (> 50 ms); requestAnimationFrame records the frame gaps. Prints a Markdown table:
 *   - server tok/s: the engine's own rate (the answer's stats);
 *   - page tok/s: tokens the page drew per second, from the first to the last text drawn while streaming
 *     (characters drawn over time × the answer's tokens per character);
 *   - drawn while streaming: share of the answer on screen before it finished;
 *   - lost: every text drawn is a beginning of the final one, and the final text is the stored answer
 *     (exact in the highlight view; whitespace aside in the Markdown view, which renders the text);
 *   - long tasks (count, longest) and the longest frame gap; then the same page idle for 5 s, as a control.
 *
 * Usage: npx tsx tools/bench/uiStreamBench.ts [--tokens N] [--views markdown,highlight]
 * (build the UI first: npm run build; it is built here when dist/renderer is missing).
 */
import {parseArgs} from "node:util";
import type {Page} from "playwright-core";
import type {Message} from "../../src-shared/index.ts";
import {answersOn, connectApi, demoAmateurFile, demoExpertFile, ensureUiBuilt, launchChromium, startServe} from "../../test/helpers/webApp.ts";

type View = "markdown" | "highlight";
type Probe = {snapshots: {t: number; text: string}[]; longTasks: number[]; frameGaps: number[]};
type Row = {
    view: View;
    tokens: number;
    serverRate: number;
    pageRate: number;
    drawnShare: number;
    updates: number;
    lost: string;
    longTasks: number[];
    maxFrameGap: number;
    stopReason: string;
};

function fail(message: string): never {
    process.stderr.write(`uiStreamBench: ${message}\n`);
    process.exit(2);
}

const {values} = parseArgs({options: {tokens: {type: "string", default: "2000"}, views: {type: "string", default: "markdown,highlight"}}});
const tokens = Number(values.tokens);
if (!Number.isInteger(tokens) || tokens < 16 || tokens > 8000) fail(`--tokens must be a whole number from 16 to 8000, not "${values.tokens}"`);
const views = values.views.split(",").map((v) => v.trim());
for (const view of views) if (view !== "markdown" && view !== "highlight") fail(`--views takes markdown and highlight, not "${view}"`);

/**
 * Installs the observers in the page (before the answer is asked for). Plain JavaScript in a string: tsx would
 * wrap named functions in a helper the page does not have.
 */
const probeScript = `(() => {
    const probe = {snapshots: [], longTasks: [], frameGaps: []};
    window.__probe = probe;
    const start = performance.now();
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
    }).observe({type: "longtask", buffered: false});
    new MutationObserver(() => {
        const streaming = document.querySelector("[data-testid=message][data-role=assistant][data-status=streaming]");
        const text = streaming?.querySelector(".markdown, .runs")?.textContent ?? "";
        if (streaming != null && text !== probe.snapshots.at(-1)?.text) probe.snapshots.push({t: performance.now() - start, text});
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    let last = performance.now();
    requestAnimationFrame(function frame(t) {
        probe.frameGaps.push(t - last);
        last = t;
        requestAnimationFrame(frame);
    });
})()`;

async function installProbe(page: Page): Promise<void> {
    await page.evaluate(probeScript);
}

async function measure(page: Page, view: View, stored: () => Promise<Message>): Promise<Row> {
    const highlighted = (await page.getByTestId("highlight-toggle").getAttribute("aria-pressed")) === "true";
    if (highlighted !== (view === "highlight")) await page.getByTestId("highlight-toggle").click();
    await page.getByRole("button", {name: "New chat"}).click();
    await installProbe(page);
    await page.getByTestId("composer").fill("Tell me a long story about a dragon and a princess");
    await page.getByTestId("composer").press("Enter");
    const answer = answersOn(page).last();
    await answer.getByTestId("message-stats").waitFor({timeout: 600_000});
    await page.waitForTimeout(300);
    const probe = await page.evaluate(() => (window as unknown as {__probe: Probe}).__probe);
    const message = await stored();
    const stats = message.stats!;
    const finalText = (await answer.locator(view === "highlight" ? ".runs" : ".markdown").textContent()) ?? "";

    const squeeze = (text: string) => (view === "highlight" ? text : text.replace(/\s+/g, ""));
    const final = squeeze(finalText);
    const drawn = probe.snapshots.filter((s) => s.text !== "");
    const notPrefix = drawn.filter((s) => !final.startsWith(squeeze(s.text))).length;
    const matchesStore = final === squeeze(message.content);
    const lost =
        notPrefix === 0 && matchesStore
            ? "none"
            : `${notPrefix} texts drawn were not a beginning of the final one${matchesStore ? "" : "; the final text differs from the stored answer"}`;

    const first = drawn[0];
    const last = drawn.at(-1);
    // Characters as counted on screen (whitespace aside in the Markdown view).
    const tokensPerChar = stats.generatedTokens / Math.max(1, squeeze(message.content).length);
    const seconds = first != null && last != null && last.t > first.t ? (last.t - first.t) / 1000 : NaN;
    const drawnChars = last == null ? 0 : squeeze(last.text).length - (first == null ? 0 : squeeze(first.text).length);
    return {
        view,
        tokens: stats.generatedTokens,
        serverRate: stats.tokensPerSecond,
        pageRate: (drawnChars * tokensPerChar) / seconds,
        drawnShare: last == null ? 0 : squeeze(last.text).length / Math.max(1, final.length),
        updates: drawn.length,
        lost,
        longTasks: probe.longTasks,
        maxFrameGap: Math.max(0, ...probe.frameGaps.slice(1)),
        stopReason: stats.stopReason
    };
}

ensureUiBuilt();
const serve = await startServe();
const client = await connectApi(serve);
const browser = await launchChromium();
const rows: Row[] = [];
let idleLongTasks: number[] = [];
try {
    const models = await client.api.listModels();
    const find = (file: string) =>
        models.find((m) => m.fileName === file && m.source === "demo")?.path ?? fail(`the demo model ${file} is not listed`);
    await client.api.loadPair({expertPath: find(demoExpertFile), amateurPath: find(demoAmateurFile)});
    await client.api.updateSettings({maxTokens: tokens, temperature: 0, seed: 1});
    const page = await browser.newPage({viewport: {width: 1280, height: 800}});
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(serve.address.toString());
    await page.getByRole("status").filter({hasText: "expert alone:"}).waitFor({timeout: 120_000});
    for (const view of views as View[]) {
        rows.push(
            await measure(page, view, async () => {
                const [conversation] = (await client.api.listConversations()).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
                return (await client.api.getConversation({id: conversation!.id})).messages.at(-1)!;
            })
        );
    }
    // Control: the same page idle for 5 s (long tasks here come from a busy machine, not from streaming).
    await installProbe(page);
    await page.waitForTimeout(5000);
    idleLongTasks = await page.evaluate(() => (window as unknown as {__probe: Probe}).__probe.longTasks);
    if (pageErrors.length > 0) process.stderr.write(`uiStreamBench: page errors: ${pageErrors.join("; ")}\n`);
} finally {
    client.close();
    await browser.close();
    await serve.stop();
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
process.stdout.write(
    [
        `UI streaming, demo pair (${demoExpertFile} + ${demoAmateurFile}), scd, greedy, ${tokens} tokens asked, Chromium 1280×800`,
        "",
        "| view | tokens (stop) | server tok/s | page tok/s | drawn while streaming | text updates | lost | long tasks > 50 ms (count, longest) | longest frame gap |",
        "|---|---|---|---|---|---|---|---|---|",
        ...rows.map(
            (r) =>
                `| ${r.view} | ${r.tokens} (${r.stopReason}) | ${fixed(r.serverRate)} | ${fixed(r.pageRate)} | ${fixed(r.drawnShare * 100)}% | ${r.updates} | ${r.lost} | ` +
                `${r.longTasks.length}, ${r.longTasks.length === 0 ? "–" : `${fixed(Math.max(...r.longTasks))} ms`} | ${fixed(r.maxFrameGap)} ms |`
        ),
        "",
        `Idle page for 5 s (control): ${idleLongTasks.length} long tasks${idleLongTasks.length === 0 ? "" : `, longest ${fixed(Math.max(...idleLongTasks))} ms`}.`,
        ""
    ].join("\n")
);
