/**
 * The official `openai` npm client against `tandem serve` on the demo pair: the models list, chat completions
 * streamed and whole, completions, the `tandem` stats and llama.cpp-style `timings`, a wrong key (401), bad
 * requests (400), malformed JSON (400), an oversized body (413). All traffic to 127.0.0.1.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import OpenAI from "openai";
import {DEMO_PAIR_ID, startServe, type ServeProcess} from "./serveProcess.ts";

let serve: ServeProcess;
let client: OpenAI;

before(async () => {
    serve = await startServe();
    client = new OpenAI({baseURL: serve.baseUrl, apiKey: serve.apiKey, maxRetries: 0, timeout: 60_000});
});

after(async () => {
    assert.equal(await serve.stop(), 0, serve.stderr());
});

/** The fields of the `tandem` stats object every final body carries. */
function assertTandemStats(tandem: Record<string, unknown>, mode: string, tokens: number): void {
    assert.equal(tandem.mode, mode);
    assert.equal(tandem.generated_tokens, tokens);
    for (const key of [
        "acceptance_rate",
        "mean_accepted_length",
        "tokens_per_second",
        "time_to_first_token_ms",
        "expert_calls",
        "speedup_vs_expert",
        "expert_alone_tokens_per_second"
    ]) {
        assert.ok(key in tandem, `tandem.${key}`);
    }
    assert.ok((tandem.tokens_per_second as number) > 0);
    assert.ok((tandem.expert_calls as number) > 0);
    // The pair was calibrated when it loaded, so the speedup is measured, not missing.
    assert.equal(typeof tandem.speedup_vs_expert, "number");
    assert.ok((tandem.expert_alone_tokens_per_second as number) > 0);
}

test("GET /v1/models lists the loaded pair first", async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    assert.equal(models[0]!.id, DEMO_PAIR_ID);
    assert.equal(models[0]!.object, "model");
    assert.equal((models[0] as unknown as {tandem: {current: boolean}}).tandem.current, true);
    const one = await client.models.retrieve(DEMO_PAIR_ID);
    assert.equal(one.id, DEMO_PAIR_ID);
});

test("a chat completion, whole: text, finish reason, usage, tandem stats and timings", async () => {
    const answer = await client.chat.completions.create({
        model: DEMO_PAIR_ID,
        messages: [{role: "user", content: "Once upon a time"}],
        max_tokens: 24,
        temperature: 0,
        // @ts-expect-error the extension field is Tandem's own
        tandem: {mode: "scd", gamma: 3}
    });
    assert.equal(answer.object, "chat.completion");
    assert.equal(answer.choices.length, 1);
    assert.equal(answer.choices[0]!.message.role, "assistant");
    assert.ok(answer.choices[0]!.message.content!.length > 0);
    assert.equal(answer.choices[0]!.finish_reason, "length");
    assert.equal(answer.usage!.completion_tokens, 24);
    assert.ok(answer.usage!.prompt_tokens > 0);
    assert.equal(answer.usage!.total_tokens, answer.usage!.prompt_tokens + 24);
    const extra = answer as unknown as {tandem: Record<string, unknown>; timings: Record<string, number>};
    assertTandemStats(extra.tandem, "scd", 24);
    assert.equal(extra.tandem.gamma, 3);
    assert.ok(extra.timings.draft_n > 0);
    assert.ok(extra.timings.draft_n_accepted <= extra.timings.draft_n);
    assert.ok(extra.timings.predicted_per_second > 0);
});

test("a chat completion, streamed: the text arrives in chunks; the final chunk carries the stats, then the usage chunk", async () => {
    // The extension field is Tandem's own: the client sends unknown fields as they are.
    const body: OpenAI.ChatCompletionCreateParamsStreaming & {tandem: {mode: string}} = {
        model: DEMO_PAIR_ID,
        messages: [{role: "user", content: "Once upon a time"}],
        max_tokens: 40,
        stream: true,
        stream_options: {include_usage: true},
        tandem: {mode: "cd"}
    };
    const stream = await client.chat.completions.create(body);
    let text = "";
    let roleSeen = false;
    let finish: string | null = null;
    let final: Record<string, unknown> | null = null;
    let usage: OpenAI.CompletionUsage | null = null;
    let chunks = 0;
    for await (const chunk of stream) {
        chunks++;
        if (chunk.usage != null) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (choice == null) continue;
        if (choice.delta.role === "assistant") roleSeen = true;
        text += choice.delta.content ?? "";
        if (choice.finish_reason != null) {
            finish = choice.finish_reason;
            final = chunk as unknown as Record<string, unknown>;
        }
    }
    assert.ok(roleSeen);
    assert.ok(chunks >= 3, `${chunks} chunks`);
    assert.ok(text.length > 0);
    assert.equal(finish, "length");
    assertTandemStats(final!.tandem as Record<string, unknown>, "cd", 40);
    assert.ok("timings" in final!);
    assert.equal(usage!.completion_tokens, 40);
});

test("a completion continues the prompt, whole and streamed alike", async () => {
    const whole = await client.completions.create({model: DEMO_PAIR_ID, prompt: "Once upon a time", max_tokens: 20, temperature: 0, seed: 7});
    assert.equal(whole.object, "text_completion");
    assert.match(whole.choices[0]!.text, /^, there was/);
    assert.equal(whole.usage!.completion_tokens, 20);
    const stream = await client.completions.create({
        model: DEMO_PAIR_ID,
        prompt: "Once upon a time",
        max_tokens: 20,
        temperature: 0,
        seed: 7,
        stream: true
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    assert.equal(text, whole.choices[0]!.text);
});

test("stop strings cut the answer and end it with finish_reason stop", async () => {
    const full = await client.completions.create({model: DEMO_PAIR_ID, prompt: "Once upon a time", max_tokens: 30, temperature: 0});
    const text = full.choices[0]!.text;
    const cut = text.indexOf(" ", 6);
    const stop = text.slice(cut, cut + 3);
    const stopped = await client.completions.create({model: DEMO_PAIR_ID, prompt: "Once upon a time", max_tokens: 30, temperature: 0, stop: [stop]});
    assert.equal(stopped.choices[0]!.finish_reason, "stop");
    assert.equal(stopped.choices[0]!.text, text.slice(0, text.indexOf(stop)));
});

test("a wrong key is a 401 in OpenAI's error shape", async () => {
    const wrong = new OpenAI({baseURL: serve.baseUrl, apiKey: "not-the-key-0123456789", maxRetries: 0});
    await assert.rejects(wrong.models.list(), (error: unknown) => {
        assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
        assert.equal(error.status, 401);
        assert.equal(error.code, "invalid_api_key");
        return true;
    });
});

test("a bad request is a 400 naming the field; unknown models are a 404", async () => {
    await assert.rejects(client.chat.completions.create({model: DEMO_PAIR_ID, messages: [{role: "user", content: "Hi"}], n: 2}), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.equal(error.param, "n");
        assert.match(error.message, /one answer per request/);
        return true;
    });
    await assert.rejects(
        client.chat.completions.create({model: DEMO_PAIR_ID, messages: [{role: "user", content: "Hi"}], top_p: 0.5}),
        OpenAI.BadRequestError
    );
    await assert.rejects(client.chat.completions.create({model: "gpt-4o", messages: [{role: "user", content: "Hi"}]}), (error: unknown) => {
        assert.ok(error instanceof OpenAI.NotFoundError, String(error));
        assert.equal(error.code, "model_not_found");
        return true;
    });
});

test("malformed JSON is a 400 and an oversized body a 413, both in OpenAI's shape", async () => {
    const post = (body: string) =>
        fetch(`${serve.baseUrl}/chat/completions`, {
            method: "POST",
            headers: {Authorization: `Bearer ${serve.apiKey}`, "Content-Type": "application/json"},
            body
        });
    const malformed = await post('{"model": "tandem", "messages": [');
    assert.equal(malformed.status, 400);
    const error = (await malformed.json()) as {error: {type: string; code: string; message: string}};
    assert.equal(error.error.type, "invalid_request_error");
    assert.equal(error.error.code, "invalid_json");
    const huge = await post(JSON.stringify({model: "tandem", messages: [{role: "user", content: "x".repeat(5 * 1024 * 1024)}]})).catch(
        (e: unknown) => e
    );
    // The server answers 413 and closes; a client still sending may see the close first.
    if (huge instanceof Response) {
        assert.equal(huge.status, 413);
        assert.equal(((await huge.json()) as {error: {code: string}}).error.code, "request_too_large");
    }
    const wrongMethod = await fetch(`${serve.baseUrl}/chat/completions`, {headers: {Authorization: `Bearer ${serve.apiKey}`}});
    assert.equal(wrongMethod.status, 405);
});

test("a prompt longer than the context is a 400 context_length_exceeded naming the prompt", async () => {
    await assert.rejects(client.completions.create({model: DEMO_PAIR_ID, prompt: "the dog ran ".repeat(1000), max_tokens: 8}), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.equal(error.code, "context_length_exceeded");
        assert.equal(error.param, "prompt");
        assert.match(error.message, /too long for the context/);
        return true;
    });
});
