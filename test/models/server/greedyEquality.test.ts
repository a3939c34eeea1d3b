/**
 * Greedy answers over the server are `tandem generate`'s for the same pair, prompt and settings: a completion
 * is `generate --raw`, a chat completion is `generate` with chat formatting (the demo pair has no chat
 * template, so both are the story continued). Exact numerics on both sides, so the server's reused KV caches
 * (and its batching) cannot move a near-tie.
 */
import assert from "node:assert/strict";
import {execFile} from "node:child_process";
import {promisify} from "node:util";
import {after, before, test} from "node:test";
import {bin, demoAmateur, demoExpert, DEMO_PAIR_ID, repoRoot, startServe, type ServeProcess} from "./serveProcess.ts";

const run = promisify(execFile);

let serve: ServeProcess;

before(async () => {
    serve = await startServe(["--exact"]);
});

after(async () => {
    await serve.stop();
});

/** `tandem generate --json`, run asynchronously (a blocked event loop would miss the server closing idle connections). */
async function generate(prompt: string, settings: string[], raw: boolean): Promise<{text: string; stats: {generatedTokens: number; mode: string}}> {
    const args = [
        bin,
        "generate",
        "--expert",
        demoExpert,
        "--amateur",
        demoAmateur,
        "--prompt",
        prompt,
        "--threads",
        "1",
        "--cpu",
        "--exact",
        "--json"
    ];
    const {stdout} = await run(process.execPath, [...args, ...(raw ? ["--raw"] : []), ...settings], {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: 60_000
    });
    return JSON.parse(stdout);
}

async function post(path: string, body: unknown): Promise<{text: string; tandem: {mode: string; generated_tokens: number}}> {
    const response = await fetch(`${serve.baseUrl}${path}`, {
        method: "POST",
        headers: {Authorization: `Bearer ${serve.apiKey}`, "Content-Type": "application/json"},
        body: JSON.stringify(body)
    });
    if (response.status !== 200) assert.fail(`status ${response.status}: ${await response.text()}`);
    const json = (await response.json()) as {
        choices: [{text?: string; message?: {content: string}}];
        tandem: {mode: string; generated_tokens: number};
    };
    return {text: json.choices[0].text ?? json.choices[0].message!.content, tandem: json.tandem};
}

const cases = [
    {mode: "scd", gamma: 4, prompt: "Once upon a time", tokens: 64},
    {mode: "scd", gamma: "auto", prompt: "The little dog", tokens: 48},
    {mode: "cd", gamma: "auto", prompt: "Lily wanted to", tokens: 48},
    {mode: "sd", gamma: 2, prompt: "One day, a boy", tokens: 48}
] as const;

for (const c of cases) {
    test(`greedy ${c.mode} (γ ${c.gamma}): a completion is tandem generate --raw, a chat completion is tandem generate`, async () => {
        const flags = ["--mode", c.mode, "--gamma", String(c.gamma), "--max-tokens", String(c.tokens), "--temperature", "0", "--seed", "1"];
        const tandem = {mode: c.mode, gamma: c.gamma};
        const cli = await generate(c.prompt, flags, true);
        const served = await post("/completions", {model: DEMO_PAIR_ID, prompt: c.prompt, max_tokens: c.tokens, temperature: 0, seed: 1, tandem});
        assert.equal(served.text, cli.text);
        assert.equal(served.tandem.generated_tokens, cli.stats.generatedTokens);
        assert.equal(served.tandem.mode, c.mode);

        const cliChat = await generate(c.prompt, flags, false);
        const servedChat = await post("/chat/completions", {
            model: DEMO_PAIR_ID,
            messages: [{role: "user", content: c.prompt}],
            max_tokens: c.tokens,
            temperature: 0,
            seed: 1,
            tandem
        });
        assert.equal(servedChat.text, cliChat.text);
    });
}
