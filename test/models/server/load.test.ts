/**
 * Load on `tandem serve`: 16 clients at once, streamed and whole, three of them hanging up mid-stream. Each is
 * answered in full or refused cleanly (429 with Retry-After, in OpenAI's shape) within a bound; the hung-up
 * generations stop early; afterwards a request gets exactly the answer a fresh server gives (the KV caches
 * the aborts left behind change nothing). Exact numerics, greedy, so "exactly" is a fair demand.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import {DEMO_PAIR_ID, startServe, type ServeProcess} from "./serveProcess.ts";

let serve: ServeProcess;

before(async () => {
    serve = await startServe(["--exact"]);
});

after(async () => {
    await serve.stop();
});

const CLIENTS = 16;
const HANG_UPS = new Set([2, 7, 11]);
const BOUND_MS = 90_000;

function post(server: ServeProcess, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    return fetch(`${server.baseUrl}${path}`, {
        method: "POST",
        headers: {Authorization: `Bearer ${server.apiKey}`, "Content-Type": "application/json"},
        body: JSON.stringify(body),
        ...(signal != null ? {signal} : {})
    });
}

type Outcome = {kind: "answered"; text: string; tokens: number} | {kind: "refused"; retryAfter: string | null} | {kind: "hungUp"; chunks: number};

/** Reads an SSE body to [DONE]; returns the text and the final chunk's generated-token count. */
async function readStream(response: Response, hangUpAfter: number | null, abort: AbortController): Promise<Outcome> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let text = "";
    let tokens = -1;
    let chunks = 0;
    for (;;) {
        const {done, value} = await reader.read().catch(() => ({done: true, value: undefined}));
        if (done) break;
        buffer += decoder.decode(value, {stream: true});
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            assert.ok(event.startsWith("data: "), event);
            const data = event.slice(6);
            if (data === "[DONE]") {
                assert.ok(tokens >= 0, "the final chunk came before [DONE]");
                return {kind: "answered", text, tokens};
            }
            const chunk = JSON.parse(data);
            assert.equal(chunk.error, undefined, JSON.stringify(chunk.error));
            chunks++;
            text += chunk.choices[0]?.delta?.content ?? chunk.choices[0]?.text ?? "";
            if (chunk.tandem != null) tokens = chunk.tandem.generated_tokens;
            if (hangUpAfter != null && chunks >= hangUpAfter) {
                abort.abort();
                return {kind: "hungUp", chunks};
            }
        }
    }
    throw new Error("the stream ended without [DONE]");
}

async function client(index: number): Promise<Outcome> {
    const abort = new AbortController();
    const stream = index % 2 === 0 || HANG_UPS.has(index);
    // Hang-ups ask for a long answer so they are still streaming when they go.
    const maxTokens = HANG_UPS.has(index) ? 400 : 32 + index;
    const response = await post(
        serve,
        "/completions",
        {
            model: DEMO_PAIR_ID,
            prompt: `Once upon a time, child number ${index}`,
            max_tokens: maxTokens,
            temperature: 0,
            stream,
            tandem: {mode: "scd", gamma: 3}
        },
        abort.signal
    );
    if (response.status === 429) {
        const body = (await response.json()) as {error: {type: string; code: string}};
        assert.equal(body.error.code, "queue_full");
        return {kind: "refused", retryAfter: response.headers.get("retry-after")};
    }
    if (response.status !== 200) assert.fail(`status ${response.status}: ${await response.text()}`);
    if (stream) return readStream(response, HANG_UPS.has(index) ? 2 : null, abort);
    const body = (await response.json()) as {choices: [{text: string}]; usage: {completion_tokens: number}};
    return {kind: "answered", text: body.choices[0].text, tokens: body.usage.completion_tokens};
}

const probe = {model: DEMO_PAIR_ID, prompt: "Once upon a time, there was a", max_tokens: 96, temperature: 0, tandem: {mode: "scd", gamma: 4}};

test("16 clients at once: each answered or refused cleanly within the bound; then the answer a fresh server gives", async () => {
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({length: CLIENTS}, (_, i) => client(i)));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
    const answered = outcomes.filter((o) => o.kind === "answered");
    const refused = outcomes.filter((o) => o.kind === "refused");
    const hungUp = outcomes.filter((o) => o.kind === "hungUp");
    assert.equal(answered.length + refused.length + hungUp.length, CLIENTS);
    assert.ok(answered.length >= 1, "some were answered");
    for (const o of refused) assert.match(o.retryAfter ?? "", /^\d+$/, "a refusal says when to retry");
    outcomes.forEach((o, i) => {
        if (o.kind === "answered") assert.equal(o.tokens, 32 + i, `client ${i} got its whole answer`);
    });
    console.log(`# load: ${answered.length} answered, ${refused.length} refused (429), ${hungUp.length} hung up, in ${elapsed.toFixed(0)} ms`);

    const after = (await (await post(serve, "/completions", probe)).json()) as {choices: [{text: string}]};

    // Every hung-up generation stopped early (the server logs each stop, with the tokens it had made).
    const stops = [...serve.stderr().matchAll(/stopped after (\d+) tokens: the client disconnected/g)].map((m) => Number(m[1]));
    assert.equal(stops.length, hungUp.length, serve.stderr());
    for (const tokens of stops) assert.ok(tokens < 400, `a hung-up generation ran to ${tokens} tokens`);
    console.log(`# hung-up generations stopped after ${stops.join(", ")} of 400 tokens`);

    const fresh = await startServe(["--exact"]);
    try {
        const first = (await (await post(fresh, "/completions", probe)).json()) as {choices: [{text: string}]};
        assert.equal(after.choices[0].text, first.choices[0].text);
    } finally {
        await fresh.stop();
    }
});
