/** OpenAI request bodies read into service requests: honoured fields, neutral values accepted, the rest refused naming the field. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {ApiError, apiErrorOf} from "../../../src-main/server/apiErrors.ts";
import {parseChatRequest, parseCompletionRequest} from "../../../src-main/server/openaiRequests.ts";
import {QueueFullError} from "../../../src-main/service/generationQueue.ts";
import {ServiceError} from "../../../src-shared/index.ts";

function refused(run: () => unknown, param: string | null, pattern: RegExp): void {
    assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof ApiError, String(error));
        assert.equal(error.status, 400);
        assert.equal(error.type, "invalid_request_error");
        assert.equal(error.param, param);
        assert.match(error.message, pattern);
        return true;
    });
}

const chat = (extra: Record<string, unknown> = {}) => ({model: "m", messages: [{role: "user", content: "Hi"}], ...extra});

test("a chat request: messages, roles, text parts, length, temperature, seed, stop, stream options and the tandem field", () => {
    const parsed = parseChatRequest(
        chat({
            messages: [
                {role: "developer", content: "Be brief."},
                {
                    role: "user",
                    content: [
                        {type: "text", text: "Once "},
                        {type: "text", text: "upon"}
                    ]
                },
                {role: "assistant", content: "a time"},
                {role: "user", content: "more"}
            ],
            max_completion_tokens: 12,
            temperature: 0.7,
            seed: 42,
            stop: "\n\n",
            stream: true,
            stream_options: {include_usage: true},
            tandem: {mode: "scd", alpha: 0.2, beta: 1, gamma: 3},
            user: "ignored",
            top_p: 1,
            n: 1,
            frequency_penalty: 0
        })
    );
    assert.deepEqual(parsed.messages, [
        {role: "system", text: "Be brief."},
        {role: "user", text: "Once upon"},
        {role: "assistant", text: "a time"},
        {role: "user", text: "more"}
    ]);
    assert.deepEqual(parsed.overrides, {maxTokens: 12, temperature: 0.7, seed: 42, mode: "scd", alpha: 0.2, beta: 1, gamma: 3});
    assert.deepEqual(parsed.stop, ["\n\n"]);
    assert.equal(parsed.stream, true);
    assert.equal(parsed.includeUsage, true);
    assert.equal(parsed.raw, false);
});

test("a completion request continues its prompt as it is", () => {
    const parsed = parseCompletionRequest({model: "m", prompt: ["Once upon a time"], max_tokens: 5, tandem: {gamma: "auto"}});
    assert.deepEqual(parsed.messages, [{role: "user", text: "Once upon a time"}]);
    assert.equal(parsed.raw, true);
    assert.deepEqual(parsed.overrides, {maxTokens: 5, gamma: "auto"});
    assert.equal(parsed.stream, false);
});

test("what cannot be honoured is refused, naming the field", () => {
    refused(() => parseChatRequest(chat({n: 2})), "n", /n is not supported: one answer per request/);
    refused(() => parseChatRequest(chat({top_p: 0.9})), "top_p", /top_p is not supported/);
    refused(() => parseChatRequest(chat({presence_penalty: 0.5})), "presence_penalty", /not supported/);
    refused(() => parseChatRequest(chat({logprobs: true})), "logprobs", /log probabilities/);
    refused(() => parseChatRequest(chat({tools: [{type: "function"}]})), "tools", /text only/);
    refused(() => parseChatRequest(chat({response_format: {type: "json_object"}})), "response_format", /structured output/);
    refused(() => parseChatRequest(chat({messages: [{role: "tool", content: "x"}]})), "messages[0]", /tool calls/);
    refused(() => parseChatRequest(chat({messages: [{role: "user", content: [{type: "image_url"}]}]})), "messages[0].content", /only text parts/);
    refused(() => parseCompletionRequest({model: "m", prompt: ["a", "b"]}), "prompt", /one string/);
    refused(() => parseCompletionRequest({model: "m", prompt: "a", echo: true}), "echo", /new text only/);
});

test("values are checked against the option table, with the request's field names", () => {
    refused(() => parseChatRequest(chat({max_tokens: 0})), "max_tokens", /max_tokens must be a whole number from 1 to 32768/);
    refused(() => parseChatRequest(chat({temperature: -1})), "temperature", /temperature must be a number from 0 to 10/);
    refused(() => parseChatRequest(chat({seed: 1.5})), "seed", /seed must be a whole number/);
    refused(() => parseChatRequest(chat({tandem: {mode: "fast"}})), "tandem.mode", /tandem.mode must be one of scd, sd, cd, expert, amateur/);
    refused(() => parseChatRequest(chat({tandem: {gamma: 0}})), "tandem.gamma", /tandem.gamma must be auto or a whole number from 1 to 64/);
    refused(() => parseChatRequest(chat({tandem: {topK: 5}})), "tandem", /tandem takes only mode, alpha, beta, gamma/);
    refused(() => parseChatRequest(chat({stop: ["a", "b", "c", "d", "e"]})), "stop", /at most 4/);
    refused(() => parseChatRequest(chat({stream_options: {include_usage: true}})), "stream_options", /only allowed when stream is true/);
    refused(() => parseChatRequest({messages: []}), "model", /model is missing/);
    refused(() => parseChatRequest(chat({messages: []})), "messages", /non-empty array/);
    refused(() => parseChatRequest([1, 2]), null, /must be a JSON object/);
});

test("service refusals become OpenAI errors with their status", () => {
    const full = apiErrorOf(new QueueFullError(3, "8 requests are waiting"));
    assert.equal(full.status, 429);
    assert.equal(full.headers["Retry-After"], "3");
    assert.deepEqual(full.body, {error: {message: "8 requests are waiting", type: "rate_limit_error", param: null, code: "queue_full"}});
    assert.equal(apiErrorOf(new ServiceError("engineCrashed", "the engine process stopped")).status, 503);
    assert.equal(apiErrorOf(new ServiceError("notFound", "no such file")).status, 404);
    assert.equal(apiErrorOf(new ServiceError("internal", "x")).status, 500);
    assert.equal(apiErrorOf(new Error("plain")).status, 500);
});
