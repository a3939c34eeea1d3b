/**
 * OpenAI request bodies (chat completions and completions) read into what the service takes. Every field the
 * server honours is checked (ranges from the one option table); a field it cannot honour is refused with a
 * 400 naming it, unless it is set to its neutral value (top_p 1, penalties 0, n 1…), so nothing is silently
 * misapplied. Fields that change nothing about the text (user, metadata, store…) are ignored. Pure.
 */
import {optionProblem, optionSpec, type OptionKey, type SettingsOverrides} from "../../src-shared/index.ts";
import type {CompletionMessage} from "../service/index.ts";
import {invalidRequest} from "./apiErrors.ts";

export type Endpoint = "chat" | "completion";

export type ParsedRequest = {
    readonly endpoint: Endpoint;
    readonly model: string;
    readonly messages: CompletionMessage[];
    /** /v1/completions: the prompt is continued as it is (no chat template). */
    readonly raw: boolean;
    readonly stop: string[];
    /** The request's settings over the server's defaults (max tokens, temperature, seed, the tandem extension). */
    readonly overrides: SettingsOverrides;
    readonly stream: boolean;
    readonly includeUsage: boolean;
};

/** The keys of the `tandem` extension field and the option each sets. */
export const TANDEM_FIELDS = ["mode", "alpha", "beta", "gamma"] as const satisfies readonly OptionKey[];

/** Most stop strings a request may give (OpenAI's limit) and their longest length. */
const MAX_STOP = 4;
const MAX_STOP_LENGTH = 1000;

type Body = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Body => typeof value === "object" && value != null && !Array.isArray(value);

/** Absent or null: not given. */
const given = (body: Body, key: string): boolean => body[key] !== undefined && body[key] !== null;

/** A field that must be absent, null or `neutral` (a value that changes nothing), else a 400 saying why it is not supported. */
function refuseUnlessNeutral(body: Body, key: string, neutral: readonly unknown[], why: string): void {
    if (!given(body, key)) return;
    const value = body[key];
    if (neutral.some((n) => (isObject(n) || Array.isArray(n) ? JSON.stringify(n) === JSON.stringify(value) : n === value))) return;
    throw invalidRequest(`${key} is not supported: ${why}`, key, "unsupported_parameter");
}

/** A setting from the request, checked against the option table, its sentence naming the request's field. */
function setting(overrides: Record<string, unknown>, key: OptionKey, value: unknown, param: string): void {
    const problem = optionProblem(optionSpec(key), value);
    if (problem != null) throw invalidRequest(problem.replace(key, param), param);
    overrides[key] = value;
}

function readStop(body: Body): string[] {
    if (!given(body, "stop")) return [];
    const value = body.stop;
    const list = typeof value === "string" ? [value] : value;
    if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) throw invalidRequest("stop must be a string or an array of strings", "stop");
    if (list.length > MAX_STOP) throw invalidRequest(`stop takes at most ${MAX_STOP} strings`, "stop");
    const stop = list as string[];
    if (stop.some((s) => s.length === 0 || s.length > MAX_STOP_LENGTH))
        throw invalidRequest(`each stop string must be 1 to ${MAX_STOP_LENGTH} characters`, "stop");
    return stop;
}

function readTandem(body: Body, overrides: Record<string, unknown>): void {
    if (!given(body, "tandem")) return;
    const tandem = body.tandem;
    if (!isObject(tandem)) throw invalidRequest(`tandem must be an object {${TANDEM_FIELDS.join(", ")}}`, "tandem");
    const unknown = Object.keys(tandem).filter((key) => !(TANDEM_FIELDS as readonly string[]).includes(key));
    if (unknown.length > 0) {
        throw invalidRequest(
            `tandem takes only ${TANDEM_FIELDS.join(", ")}, not ${unknown
                .slice(0, 3)
                .map((k) => JSON.stringify(k.slice(0, 40)))
                .join(", ")}`,
            "tandem"
        );
    }
    for (const key of TANDEM_FIELDS) {
        if (tandem[key] !== undefined && tandem[key] !== null) setting(overrides, key, tandem[key], `tandem.${key}`);
    }
}

/** The fields both endpoints share: sampling, length, seed, stop, streaming, the extension. */
function readCommon(body: Body, endpoint: Endpoint): Omit<ParsedRequest, "messages" | "raw"> {
    if (typeof body.model !== "string" || body.model.length === 0)
        throw invalidRequest("model is missing: GET /v1/models lists the pairs this server has", "model");
    refuseUnlessNeutral(body, "n", [1], "one answer per request");
    refuseUnlessNeutral(body, "top_p", [1], "scd samples from the contrastive distribution as a whole; leave top_p out or set it to 1");
    refuseUnlessNeutral(body, "frequency_penalty", [0], "penalties would change the distribution scd samples from; leave it out or set it to 0");
    refuseUnlessNeutral(body, "presence_penalty", [0], "penalties would change the distribution scd samples from; leave it out or set it to 0");
    refuseUnlessNeutral(body, "logit_bias", [{}], "biases would change the distribution scd samples from");
    const overrides: Record<string, unknown> = {};
    const maxParam = given(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    if (given(body, maxParam)) setting(overrides, "maxTokens", body[maxParam], maxParam);
    if (given(body, "max_completion_tokens") && given(body, "max_tokens") && body.max_tokens !== body.max_completion_tokens) {
        throw invalidRequest("max_tokens and max_completion_tokens differ; give one of them", "max_tokens");
    }
    if (given(body, "temperature")) setting(overrides, "temperature", body.temperature, "temperature");
    if (given(body, "seed")) setting(overrides, "seed", body.seed, "seed");
    readTandem(body, overrides);
    if (given(body, "stream") && typeof body.stream !== "boolean") throw invalidRequest("stream must be true or false", "stream");
    const stream = body.stream === true;
    let includeUsage = false;
    if (given(body, "stream_options")) {
        const options = body.stream_options;
        if (!isObject(options)) throw invalidRequest("stream_options must be an object {include_usage}", "stream_options");
        if (options.include_usage != null && typeof options.include_usage !== "boolean") {
            throw invalidRequest("stream_options.include_usage must be true or false", "stream_options.include_usage");
        }
        if (!stream) throw invalidRequest("stream_options is only allowed when stream is true", "stream_options");
        includeUsage = options.include_usage === true;
    }
    return {endpoint, model: body.model, stop: readStop(body), overrides: overrides as SettingsOverrides, stream, includeUsage};
}

function messageText(content: unknown, at: number): string {
    if (typeof content === "string") return content;
    if (Array.isArray(content)) {
        let text = "";
        for (const part of content) {
            if (!isObject(part) || part.type !== "text" || typeof part.text !== "string") {
                throw invalidRequest(`messages[${at}].content: only text parts are supported (the models read text)`, `messages[${at}].content`);
            }
            text += part.text;
        }
        return text;
    }
    throw invalidRequest(`messages[${at}].content must be a string or an array of text parts`, `messages[${at}].content`);
}

function readMessages(body: Body): CompletionMessage[] {
    const list = body.messages;
    if (!Array.isArray(list) || list.length === 0) throw invalidRequest("messages must be a non-empty array of {role, content}", "messages");
    return list.map((message, at): CompletionMessage => {
        if (!isObject(message)) throw invalidRequest(`messages[${at}] must be an object {role, content}`, `messages[${at}]`);
        const role = message.role;
        if (role === "tool" || role === "function" || given(message, "tool_calls") || given(message, "function_call")) {
            throw invalidRequest(`messages[${at}]: tool calls are not supported`, `messages[${at}]`, "unsupported_parameter");
        }
        if (role !== "system" && role !== "developer" && role !== "user" && role !== "assistant") {
            throw invalidRequest(`messages[${at}].role must be system, developer, user or assistant`, `messages[${at}].role`);
        }
        return {role: role === "developer" ? "system" : role, text: messageText(message.content, at)};
    });
}

export function parseChatRequest(body: unknown): ParsedRequest {
    if (!isObject(body)) throw invalidRequest("the request body must be a JSON object");
    refuseUnlessNeutral(body, "tools", [[]], "the server answers with text only");
    refuseUnlessNeutral(body, "functions", [[]], "the server answers with text only");
    refuseUnlessNeutral(body, "tool_choice", ["none"], "the server answers with text only");
    refuseUnlessNeutral(body, "function_call", ["none"], "the server answers with text only");
    refuseUnlessNeutral(body, "logprobs", [false], "the decoder does not report log probabilities");
    refuseUnlessNeutral(body, "top_logprobs", [0], "the decoder does not report log probabilities");
    refuseUnlessNeutral(body, "response_format", [{type: "text"}], "structured output is not supported; ask for JSON in the prompt");
    return {...readCommon(body, "chat"), messages: readMessages(body), raw: false};
}

export function parseCompletionRequest(body: unknown): ParsedRequest {
    if (!isObject(body)) throw invalidRequest("the request body must be a JSON object");
    refuseUnlessNeutral(body, "best_of", [1], "one answer per request");
    refuseUnlessNeutral(body, "echo", [false], "the answer holds the new text only");
    refuseUnlessNeutral(body, "suffix", [""], "the models continue text, they do not fill in");
    refuseUnlessNeutral(body, "logprobs", [0], "the decoder does not report log probabilities");
    let prompt = body.prompt;
    if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === "string") prompt = prompt[0];
    if (typeof prompt !== "string") {
        throw invalidRequest(
            Array.isArray(prompt) ? "prompt must be one string (one answer per request; token arrays are not taken)" : "prompt must be a string",
            "prompt"
        );
    }
    if (prompt.length === 0) throw invalidRequest("prompt must not be empty", "prompt");
    return {...readCommon(body, "completion"), messages: [{role: "user", text: prompt}], raw: true};
}
