/**
 * The README's server example works as written: `tandem serve` started with the README's own words (plus one
 * llama.cpp thread per model and the CPU, as every test here), then the README's curl command run by bash,
 * unchanged, on the default port. Its answer is a chat completion with the `tandem` stats and `timings`.
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {readFileSync} from "node:fs";
import path from "node:path";
import {after, before, test} from "node:test";
import {repoRoot, startServe, type ServeProcess} from "./serveProcess.ts";

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");

/** The indented code block right after `marker`, its lines without the 4-space indent. */
function blockAfter(marker: string): string {
    const at = readme.indexOf(marker);
    assert.ok(at >= 0, `README has ${marker}`);
    const lines = readme.slice(at).split("\n").slice(1);
    const start = lines.findIndex((line) => line.startsWith("    "));
    const block: string[] = [];
    for (const line of lines.slice(start)) {
        if (!line.startsWith("    ")) break;
        block.push(line.slice(4));
    }
    return block.join("\n");
}

const serveLine = /^ {4}npx tandem serve (.*)$/m.exec(readme);
const curl = blockAfter("<!-- server-curl-example");

let serve: ServeProcess;

before(async () => {
    assert.ok(serveLine != null, "README shows how to start tandem serve");
    const words = serveLine[1]!.split(/\s+/);
    // The README's flags (its key), the default port its curl uses, and this machine's test settings.
    serve = await startServe(words, {apiKey: null, port: null});
});

after(async () => {
    await serve?.stop();
});

test("the README's curl example, run as written, gets a chat completion with tandem stats", () => {
    assert.match(curl, /^curl /);
    const result = spawnSync("bash", ["-c", curl], {encoding: "utf8", timeout: 60_000});
    assert.equal(result.status, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.object, "chat.completion", result.stdout);
    assert.ok(answer.choices[0].message.content.length > 0);
    assert.equal(answer.usage.completion_tokens, 32);
    assert.equal(answer.tandem.mode, "scd");
    assert.equal(typeof answer.tandem.acceptance_rate, "number");
    assert.equal(typeof answer.timings.draft_n, "number");
});
