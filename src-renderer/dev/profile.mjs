#!/usr/bin/env node
// Where the page's time goes while the harness streams a long answer at 2000 tok/s: CPU profile self time by
// function, frame gaps. Usage: npx vite build --mode harness && node src-renderer/dev/profile.mjs [highlight]
import {spawn} from "node:child_process";
import {chromium} from "playwright-core";

const port = 4180;
const server = spawn(process.execPath, ["node_modules/vite/bin/vite.js", "preview", "--mode", "harness", "--port", String(port), "--strictPort"], {
    stdio: "pipe"
});
await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => String(d).includes(String(port)) && resolve());
    server.on("exit", (code) => reject(new Error(`vite preview exited with ${code}`)));
});
const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
});
try {
    const page = await browser.newPage({viewport: {width: 1280, height: 820}});
    await page.goto(`http://127.0.0.1:${port}/dev/harness.html?scenario=empty`);
    await page.getByTestId("composer").waitFor();
    if (process.argv[2] === "highlight") await page.getByTestId("highlight-toggle").click();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", {interval: 200});
    await page.evaluate(() => {
        const probe = {gaps: [], last: performance.now()};
        window.__probe = probe;
        const loop = (t) => {
            probe.gaps.push(t - probe.last);
            probe.last = t;
            requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
    });
    await cdp.send("Profiler.start");
    const t0 = Date.now();
    await page.getByTestId("composer").fill("Write a long story");
    await page.getByTestId("composer").press("Enter");
    await page.getByTestId("stop").waitFor();
    await page.getByTestId("stop").waitFor({state: "detached", timeout: 60_000});
    const wall = Date.now() - t0;
    const {profile} = await cdp.send("Profiler.stop");
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    const dt = profile.timeDeltas;
    profile.samples.forEach((id, i) => {
        const n = byId.get(id);
        const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14);
    const probe = await page.evaluate(() => window.__probe);
    const gaps = probe.gaps.slice(1).sort((a, b) => a - b);
    console.log(
        `stream wall ${wall} ms, ${gaps.length} frames, median gap ${gaps[gaps.length >> 1].toFixed(1)} ms, p95 ${gaps[Math.floor(gaps.length * 0.95)].toFixed(1)} ms`
    );
    for (const [k, ms] of top) console.log(`${ms.toFixed(1).padStart(8)} ms  ${k}`);
} finally {
    await browser.close();
    server.kill();
}
