/**
 * `tandem generate` as a user runs it (a child process through bin/tandem.mjs): JSON output on the story
 * pair, and every bad input ending with a non-zero exit and one clear line on stderr, no stack trace.
 */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {test} from "node:test";
import {modelPath, randomLargeVocab, storyAmateurL4, storyExpert} from "../helpers/models.ts";

const bin = fileURLToPath(new URL("../../bin/tandem.mjs", import.meta.url));
const expert = modelPath(storyExpert);
const amateur = modelPath(storyAmateurL4);

function tandem(...args: string[]) {
    const result = spawnSync(process.execPath, [bin, ...args], {encoding: "utf8", timeout: 60_000});
    return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

function assertCleanFailure(result: ReturnType<typeof tandem>, pattern: RegExp): void {
    assert.notEqual(result.code, 0);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
    assert.match(lines[0]!, /^tandem: /);
    assert.match(lines[0]!, pattern);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
}

test("generate --json on the story pair prints text, tokens and stats", () => {
    const result = tandem("generate", "--expert", expert, "--amateur", amateur, "--mode", "scd", "--raw", "--json",
        "--prompt", "Once upon a time", "--max-tokens", "48", "--threads", "1", "--cpu", "--seed", "1");
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(typeof output.text, "string");
    assert.match(output.text, /^, there was a little girl/);
    assert.equal(output.tokens.length, 48);
    for (const key of ["generatedTokens", "expertCalls", "draftedTokens", "acceptedTokens", "acceptanceRate",
        "timeToFirstTokenMs", "totalMs", "tokensPerSecond", "stopReason"]) {
        assert.ok(key in output.stats, `stats.${key}`);
    }
    assert.equal(output.stats.generatedTokens, 48);
    assert.equal(output.stats.stopReason, "maxTokens");
    assert.ok(output.stats.acceptanceRate > 0);
});

test("generate streams plain text and a stats line without --json (cd: one expert call a token)", () => {
    const result = tandem("generate", "--expert", expert, "--amateur", amateur, "--mode", "cd", "--prompt", "Once upon a time",
        "--max-tokens", "20", "--threads", "1", "--cpu");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /there was/);
    assert.match(result.stdout, /\[cd · 20 tokens · [\d.]+ tok\/s · first token [\d.]+ ms · expert calls 20 · stop: maxTokens\]/);
});

test("bad inputs: one clear line on stderr and a non-zero exit", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-"));
    const notGguf = path.join(dir, "notes.gguf");
    writeFileSync(notGguf, "these are not model weights\n");
    const truncated = path.join(dir, "truncated.gguf");
    writeFileSync(truncated, readFileSync(expert).subarray(0, 700_000));
    const copy = path.join(dir, "expert-copy.gguf");
    copyFileSync(expert, copy);
    const run = (e: string, a: string, ...extra: string[]) =>
        tandem("generate", "--expert", e, "--amateur", a, "--prompt", "Once upon a time", "--raw", "--threads", "1", "--cpu", ...extra);

    assertCleanFailure(run(path.join(dir, "missing.gguf"), amateur), /missing\.gguf does not exist/);
    assertCleanFailure(run(notGguf, amateur), /is not a GGUF model file/);
    assertCleanFailure(run(copy, truncated), /truncated\.gguf is truncated: tensor .* ends at byte/);
    assertCleanFailure(run(expert, modelPath(randomLargeVocab)), /cannot decode together: vocabularySize: .*; tokenTexts: /);
    const longPrompt = tandem("generate", "--expert", expert, "--amateur", amateur, "--raw", "--threads", "1", "--cpu",
        "--context-size", "256", "--prompt", "the cat sat on the mat. ".repeat(200));
    assertCleanFailure(longPrompt, /the prompt is \d+ tokens long but the context holds 255/);
    assertCleanFailure(run(expert, amateur, "--mode", "fast"), /--mode must be one of scd, sd, cd, expert, amateur/);
    assertCleanFailure(run(expert, amateur, "--temperature", "hot"), /--temperature must be a number ≥ 0, got "hot"/);
    assertCleanFailure(run(expert, amateur, "--bogus"), /Unknown option '--bogus'/);
});
