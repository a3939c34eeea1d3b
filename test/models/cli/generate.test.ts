/**
 * `tandem generate` as a user runs it (a child process through bin/tandem.mjs): JSON output on the story
 * pair, and every bad input ending with a non-zero exit and one clear line on stderr, no stack trace.
 */
import assert from "node:assert/strict";
import {spawn, spawnSync} from "node:child_process";
import {closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {test} from "node:test";
import {modelPath, randomLargeVocab, storyAmateurL4, storyExpert} from "../../helpers/models.ts";
import {writeEditedModel} from "../../helpers/editedModels.ts";

const bin = fileURLToPath(new URL("../../../bin/tandem.mjs", import.meta.url));
const expert = modelPath(storyExpert);
const amateur = modelPath(storyAmateurL4);

function tandem(...args: string[]) {
    const result = spawnSync(process.execPath, [bin, ...args], {encoding: "utf8", timeout: 60_000});
    return {code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr};
}

/** argv of a quick generation on the story pair; a flag in `extra` replaces the default one. */
function quick(...extra: string[]): string[] {
    const defaults: [string, string][] = [
        ["--expert", expert],
        ["--amateur", amateur],
        ["--prompt", "Once upon a time"],
        ["--threads", "1"],
        ["--max-tokens", "8"]
    ];
    const kept = defaults.filter(([flag]) => !extra.includes(flag)).flat();
    return ["generate", ...kept, "--raw", "--cpu", ...extra];
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
    const result = tandem(
        "generate",
        "--expert",
        expert,
        "--amateur",
        amateur,
        "--mode",
        "scd",
        "--raw",
        "--json",
        "--prompt",
        "Once upon a time",
        "--max-tokens",
        "48",
        "--threads",
        "1",
        "--cpu",
        "--seed",
        "1"
    );
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(typeof output.text, "string");
    assert.match(output.text, /^, there was a little girl/);
    assert.equal(output.tokens.length, 48);
    for (const key of [
        "generatedTokens",
        "expertCalls",
        "draftedTokens",
        "acceptedTokens",
        "acceptanceRate",
        "timeToFirstTokenMs",
        "totalMs",
        "tokensPerSecond",
        "stopReason"
    ]) {
        assert.ok(key in output.stats, `stats.${key}`);
    }
    assert.equal(output.stats.generatedTokens, 48);
    assert.equal(output.stats.stopReason, "maxTokens");
    assert.ok(output.stats.acceptanceRate > 0);
});

test("generate streams plain text and a stats line without --json (cd: one expert call a token)", () => {
    const result = tandem(
        "generate",
        "--expert",
        expert,
        "--amateur",
        amateur,
        "--mode",
        "cd",
        "--prompt",
        "Once upon a time",
        "--max-tokens",
        "20",
        "--threads",
        "1",
        "--cpu"
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /there was/);
    assert.match(result.stdout, /\[cd · 20 tokens · [\d.]+ tok\/s · first token [\d.]+ ms · expert calls 20 · seed \d+ · stop: maxTokens\]/);
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
    const longPrompt = tandem(
        "generate",
        "--expert",
        expert,
        "--amateur",
        amateur,
        "--raw",
        "--threads",
        "1",
        "--cpu",
        "--context-size",
        "256",
        "--prompt",
        "the cat sat on the mat. ".repeat(200)
    );
    assertCleanFailure(longPrompt, /the prompt is \d+ tokens long but the context holds 255/);
    assertCleanFailure(run(expert, amateur, "--mode", "fast"), /--mode must be one of scd, sd, cd, expert, amateur/);
    assertCleanFailure(run(expert, amateur, "--temperature", "hot"), /--temperature must be a number from 0 to 10, got "hot"/);
    assertCleanFailure(run(expert, amateur, "--bogus"), /unknown option --bogus/);
});

test("usage: tandem alone, --help per command, negative and hex values, too many threads: one line each", () => {
    const alone = tandem();
    assert.equal(alone.code, 2);
    assert.equal(alone.stdout, "");
    assertCleanFailure(alone, /no command given/);
    const help = tandem("generate", "--help");
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: tandem generate --expert PATH --amateur PATH --prompt TEXT/);
    assert.match(help.stdout, /--max-tokens N\s+most tokens in one answer \[1 to 32768, default 256\]/);
    assert.equal(help.stderr, "");
    const benchHelp = tandem("bench", "--help");
    assert.equal(benchHelp.code, 0, benchHelp.stderr);
    assert.match(benchHelp.stdout, /^usage: tandem bench/);
    const missing = tandem("generate", "--expert", expert);
    assert.equal(missing.code, 2);
    assertCleanFailure(missing, /^tandem: tandem generate needs --amateur and --prompt/);
    assertCleanFailure(tandem(...quick("--beta", "-1")), /--beta must be a number from 0 to 10, got "-1"/);
    assertCleanFailure(tandem(...quick("--temperature", "0x10")), /--temperature must be a number from 0 to 10, got "0x10"/);
    assertCleanFailure(tandem(...quick("--threads", "256")), /--threads 256 is more than this machine's \d+ cores/);
});

test("odd paths: empty, a symlink loop", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-"));
    const loop = path.join(dir, "loop.gguf");
    symlinkSync(loop, loop);
    assertCleanFailure(tandem(...quick("--expert", "")), /^tandem: no model file was given \(the path is empty\)$/);
    assertCleanFailure(tandem(...quick("--amateur", loop)), /loop\.gguf cannot be opened: its symbolic links loop back on themselves$/);
});

test("files llama.cpp would abort on or refuses: exit 1 and one line naming the file and the reason", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-"));
    const heads0 = await writeEditedModel(expert, path.join(dir, "heads0.gguf"), {set: {"llama.attention.head_count": 0}});
    const epsilon = await writeEditedModel(expert, path.join(dir, "eps.gguf"), {set: {"llama.attention.layer_norm_rms_epsilon": NaN}});
    const arch = await writeEditedModel(expert, path.join(dir, "arch.gguf"), {set: {"general.architecture": "frobnicate"}});
    for (const [file, pattern] of [
        [heads0, /head_count is 0/],
        [epsilon, /epsilon is NaN/],
        [arch, /unknown model architecture: 'frobnicate'/]
    ] as const) {
        const result = tandem(...quick("--expert", file));
        assert.equal(result.signal, null, "not killed by SIGABRT");
        assert.equal(result.code, 1);
        assertCleanFailure(
            result,
            new RegExp(`^tandem: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: llama\\.cpp cannot load this model: .*${pattern.source}`)
        );
    }
});

test("NaN weights: one line naming the file and what is wrong, in every mode", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-"));
    const nan = await writeEditedModel(expert, path.join(dir, "nan-output.gguf"), {fillTensor: {tensor: "output.weight", value: NaN}});
    const escaped = nan.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const mode of ["scd", "cd", "expert"]) {
        const result = tandem(...quick("--expert", nan, "--mode", mode, "--temperature", "1"));
        assertCleanFailure(
            result,
            new RegExp(`^tandem: ${escaped}: the model's output is not a number \\(NaN\\) at position \\d+; its weights are damaged$`)
        );
    }
});

test("a broken chat template: the output as before, and one note line instead of a stack trace", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-"));
    const broken = await writeEditedModel(expert, path.join(dir, "template.gguf"), {
        set: {"tokenizer.chat_template": "{% for m in messages %}{{ m.content }"}
    });
    const result = tandem(
        "generate",
        "--expert",
        broken,
        "--amateur",
        amateur,
        "--prompt",
        "Once upon a time",
        "--threads",
        "1",
        "--cpu",
        "--max-tokens",
        "8",
        "--seed",
        "1",
        "--json"
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).tokens.length, 8);
    const lines = result.stderr.trim().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^tandem: note: template\.gguf: its chat template cannot be read \(.*\), so a standard chat format is used instead$/);
});

test("a chat template of megabytes is not rendered: a note, and the run takes seconds, not minutes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-cli-"));
    const chatml = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n'}}{% endfor %}";
    const huge = await writeEditedModel(expert, path.join(dir, "huge-template.gguf"), {
        set: {"tokenizer.chat_template": chatml + "x".repeat(5_000_000)}
    });
    const started = performance.now();
    const result = tandem(
        "generate",
        "--expert",
        huge,
        "--amateur",
        amateur,
        "--prompt",
        "Once upon a time",
        "--threads",
        "1",
        "--cpu",
        "--max-tokens",
        "4",
        "--json"
    );
    const seconds = (performance.now() - started) / 1000;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
        result.stderr,
        `tandem: note: huge-template.gguf: its chat template is ${chatml.length + 5_000_000} characters long, ` +
            "more than the 65536 Tandem reads, so a standard chat format is used instead\n"
    );
    assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
});

test("values changed by the settings are said on stderr", () => {
    const sd = tandem(...quick("--mode", "sd", "--alpha", "0.3", "--beta", "1", "--json"));
    assert.equal(sd.code, 0, sd.stderr);
    assert.match(sd.stderr, /^tandem: note: --mode sd is plain speculative decoding \(α = 0, β = 0\), so --alpha and --beta are ignored$/m);
    const context = tandem(...quick("--context-size", "4096", "--json"));
    assert.equal(context.code, 0, context.stderr);
    assert.match(
        context.stderr,
        /^tandem: note: stories260K\.gguf was trained on a context of 2048 tokens, so it gets 2048 instead of --context-size 4096$/m
    );
});

test("stdout closed early: a quiet exit; stdout full: one line", async () => {
    const child = spawn(process.execPath, [bin, ...quick("--max-tokens", "400")], {stdio: ["ignore", "pipe", "pipe"]});
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");

    const full = openSync("/dev/full", "w");
    try {
        const result = spawnSync(process.execPath, [bin, ...quick()], {stdio: ["ignore", full, "pipe"], encoding: "utf8", timeout: 60_000});
        assert.equal(result.status, 1);
        assert.equal(result.stderr, "tandem: cannot write the output: no space left on the device\n");
    } finally {
        closeSync(full);
    }
});
