/**
 * Response bodies in OpenAI's shapes (chat.completion, text_completion and their stream chunks), each with
 * `usage`, Tandem's own statistics as `tandem` and llama.cpp server-style `timings`, so the clients that
 * read llama.cpp's draft figures read ours. Pure.
 */
import type {StopReason} from "../engine/index.ts";
import type {CompletionResult} from "../service/index.ts";
import type {Endpoint} from "./openaiRequests.ts";

/** What every body of one answer repeats: its id, its creation second and the model id asked for. */
export type AnswerMeta = {readonly id: string; readonly created: number; readonly model: string};

export type FinishReason = "stop" | "length";

export function finishReason(stopReason: StopReason): FinishReason {
    return stopReason === "maxTokens" || stopReason === "contextFull" ? "length" : "stop";
}

export function usageOf(result: CompletionResult) {
    const completion = result.engine.generatedTokens;
    return {prompt_tokens: result.promptTokens, completion_tokens: completion, total_tokens: result.promptTokens + completion};
}

/** The stats the app shows under an answer, in the API's snake case. */
export function tandemStats(result: CompletionResult) {
    const {engine, stats, settings} = result;
    return {
        mode: engine.mode,
        gamma: settings.gamma,
        alpha: settings.alpha,
        beta: settings.beta,
        temperature: settings.temperature,
        seed: result.seed,
        generated_tokens: engine.generatedTokens,
        acceptance_rate: engine.acceptanceRate,
        mean_accepted_length: engine.meanAcceptedLength,
        tokens_per_second: engine.tokensPerSecond,
        time_to_first_token_ms: engine.timeToFirstTokenMs,
        total_ms: engine.totalMs,
        expert_calls: engine.expertCalls,
        amateur_calls: engine.amateurCalls,
        drafted_tokens: engine.draftedTokens,
        accepted_tokens: engine.acceptedTokens,
        fallback_tokens: engine.fallbackTokens,
        /** Measured tok/s over the measured expert-alone tok/s of this pair on this machine; null before a calibration. */
        speedup_vs_expert: stats.speedup?.ratio ?? null,
        expert_alone_tokens_per_second: stats.speedup?.baseline.expertTokensPerSecond ?? null,
        expert_alone_measured_at: stats.speedup?.baseline.measuredAt ?? null,
        stop_reason: engine.stopReason,
        dropped_turns: result.droppedTurns,
        queue_ms: result.queueMs
    };
}

/**
 * llama.cpp server's `timings`: the prompt phase up to the first token, the decode phase after it, and the
 * draft figures (drafted and accepted tokens). `cache_n` is the prompt tokens the expert's cache already held.
 */
export function timingsOf(result: CompletionResult) {
    const {engine} = result;
    const promptMs = engine.timeToFirstTokenMs ?? engine.totalMs;
    const cached = engine.reusedPromptTokens.expert;
    const promptN = Math.max(0, result.promptTokens - cached);
    const predictedN = Math.max(0, engine.generatedTokens - 1);
    const predictedMs = Math.max(0, engine.totalMs - promptMs);
    return {
        cache_n: cached,
        prompt_n: promptN,
        prompt_ms: promptMs,
        prompt_per_token_ms: promptN > 0 ? promptMs / promptN : null,
        prompt_per_second: promptMs > 0 ? (promptN * 1000) / promptMs : null,
        predicted_n: predictedN,
        predicted_ms: predictedMs,
        predicted_per_token_ms: predictedN > 0 ? predictedMs / predictedN : null,
        predicted_per_second: predictedMs > 0 ? (predictedN * 1000) / predictedMs : null,
        draft_n: engine.draftedTokens,
        draft_n_accepted: engine.acceptedTokens
    };
}

/** The statistics every final body carries. */
function extras(result: CompletionResult) {
    return {tandem: tandemStats(result), timings: timingsOf(result)};
}

export function chatCompletionBody(meta: AnswerMeta, result: CompletionResult) {
    return {
        id: meta.id,
        object: "chat.completion",
        created: meta.created,
        model: meta.model,
        choices: [
            {
                index: 0,
                message: {role: "assistant", content: result.text, refusal: null},
                logprobs: null,
                finish_reason: finishReason(result.engine.stopReason)
            }
        ],
        usage: usageOf(result),
        system_fingerprint: null,
        ...extras(result)
    };
}

export function textCompletionBody(meta: AnswerMeta, result: CompletionResult) {
    return {
        id: meta.id,
        object: "text_completion",
        created: meta.created,
        model: meta.model,
        choices: [{index: 0, text: result.text, logprobs: null, finish_reason: finishReason(result.engine.stopReason)}],
        usage: usageOf(result),
        system_fingerprint: null,
        ...extras(result)
    };
}

/** A stream chunk with `text` (the first chat chunk also says the role); `usage` null as OpenAI sends it when asked for. */
export function textChunk(endpoint: Endpoint, meta: AnswerMeta, text: string, first: boolean, includeUsage: boolean) {
    const base = {id: meta.id, created: meta.created, model: meta.model, system_fingerprint: null, ...(includeUsage ? {usage: null} : {})};
    if (endpoint === "chat") {
        return {
            ...base,
            object: "chat.completion.chunk",
            choices: [{index: 0, delta: first ? {role: "assistant", content: text} : {content: text}, logprobs: null, finish_reason: null}]
        };
    }
    return {...base, object: "text_completion", choices: [{index: 0, text, logprobs: null, finish_reason: null}]};
}

/** The chunk with the finish reason, carrying `tandem` and `timings` (and `usage` when no usage chunk follows, as llama.cpp does). */
export function finalChunk(endpoint: Endpoint, meta: AnswerMeta, result: CompletionResult, includeUsage: boolean) {
    const finish = finishReason(result.engine.stopReason);
    const base = {
        id: meta.id,
        created: meta.created,
        model: meta.model,
        system_fingerprint: null,
        ...(includeUsage ? {usage: null} : {}),
        ...extras(result)
    };
    if (endpoint === "chat") {
        return {...base, object: "chat.completion.chunk", choices: [{index: 0, delta: {}, logprobs: null, finish_reason: finish}]};
    }
    return {...base, object: "text_completion", choices: [{index: 0, text: "", logprobs: null, finish_reason: finish}]};
}

/** stream_options.include_usage: the last chunk before [DONE], no choices, the usage. */
export function usageChunk(endpoint: Endpoint, meta: AnswerMeta, result: CompletionResult) {
    return {
        id: meta.id,
        object: endpoint === "chat" ? "chat.completion.chunk" : "text_completion",
        created: meta.created,
        model: meta.model,
        system_fingerprint: null,
        choices: [],
        usage: usageOf(result)
    };
}
