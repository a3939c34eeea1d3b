/**
 * One generation for a caller outside the chat (the local server): the same path as an app answer (the pair
 * made sure of in the engine process, a running calibration waited for, the engine's `generate` request with
 * the model's own chat formatting) but nothing is written to the store: the text streams to `onText` and the
 * result carries the engine's statistics and the measured speedup. Stopped by the request's signal at the
 * engine's next round; the caches then hold a prefix the next generation reuses (or cuts back), so the next
 * answer is the same as it would have been.
 */
import type {MessageStats, PairRef, Settings, SettingsOverrides} from "../../src-shared/index.ts";
import type {GenerationStats} from "../engine/index.ts";
import type {EngineChatMessage, EngineLoadOptions} from "../engineHost/engineProtocol.ts";
import type {EngineSupervisor} from "../engineHost/engineSupervisor.ts";
import {readyPair} from "./answerRun.ts";
import {messageStats} from "./messageStats.ts";
import type {PairHost} from "./pairHost.ts";
import {decodingParamsOf} from "./settingsResolver.ts";

export type CompletionMessage = EngineChatMessage;

export type CompletionRequest = {
    /** The pair to answer with; default: the pair the app has now (loaded, else chosen last, else the demo pair). */
    readonly pair?: PairRef;
    /** The conversation (system messages first); with `raw`, one message whose text is continued as it is. */
    readonly messages: readonly CompletionMessage[];
    /** Plain completion: BOS, then the text, whatever chat template the model has. */
    readonly raw: boolean;
    /** Stop when the text contains one of these (cut before it), besides the template's own stops. */
    readonly stop: readonly string[];
    /** Over the app's global settings (decoding settings; load settings reload the pair when they differ). */
    readonly settings: SettingsOverrides;
    /** Aborts the request: it leaves the queue, or the engine stops it at its next round. */
    readonly signal?: AbortSignal;
    /** Called when the request's turn comes (after waiting in the queue). */
    readonly onStart?: () => void;
    /** The text as it comes (batched by the engine, every ~16 ms). */
    readonly onText?: (text: string) => void;
};

export type CompletionResult = {
    readonly text: string;
    readonly pair: PairRef;
    readonly settings: Settings;
    readonly seed: number;
    readonly promptTokens: number;
    /** Oldest turns left out because the conversation did not fit the context. */
    readonly droppedTurns: number;
    /** The app's stats footer for this answer (speedup against the measured expert-alone speed included). */
    readonly stats: MessageStats;
    /** The engine's full statistics. */
    readonly engine: GenerationStats;
    /** Time spent waiting for the pair in the queue. */
    readonly queueMs: number;
};

export type CompletionPlan = {
    readonly pair: PairRef;
    readonly loadOptions: EngineLoadOptions;
    readonly settings: Settings;
    readonly seed: number;
    readonly enqueuedAt: number;
};

export async function runCompletion(
    parts: {supervisor: EngineSupervisor; pairs: PairHost},
    plan: CompletionPlan,
    request: CompletionRequest
): Promise<CompletionResult> {
    const queueMs = performance.now() - plan.enqueuedAt;
    request.onStart?.();
    const {pairs} = parts;
    const signal = request.signal;
    signal?.throwIfAborted();
    // A running calibration is stopped for the request (never delays it) and runs again afterwards.
    const pairLoadMs = await readyPair(pairs, plan.pair, plan.loadOptions).catch((error: unknown) => {
        pairs.endAnswer();
        throw error;
    });
    try {
        return await generate(parts, plan, request, queueMs, pairLoadMs);
    } finally {
        pairs.endAnswer();
    }
}

async function generate(
    parts: {supervisor: EngineSupervisor; pairs: PairHost},
    plan: CompletionPlan,
    request: CompletionRequest,
    queueMs: number,
    pairLoadMs: number | null
): Promise<CompletionResult> {
    const {supervisor, pairs} = parts;
    const signal = request.signal;
    signal?.throwIfAborted();
    let text = "";
    const {id, result} = supervisor.request(
        {
            type: "generate",
            messages: request.messages,
            params: decodingParamsOf(plan.settings, plan.seed),
            ...(request.raw ? {raw: true} : {}),
            ...(request.stop.length > 0 ? {stopStrings: request.stop} : {})
        },
        "answering a request to the local server",
        (event) => {
            if (event.type !== "tokens" || event.text.length === 0) return;
            text += event.text;
            request.onText?.(event.text);
        }
    );
    const onAbort = () => supervisor.abort(id);
    signal?.addEventListener("abort", onAbort, {once: true});
    try {
        const generated = await result;
        return {
            text,
            pair: plan.pair,
            settings: plan.settings,
            seed: plan.seed,
            promptTokens: generated.promptTokens,
            droppedTurns: generated.droppedTurns,
            stats: messageStats(generated.stats, {
                promptTokens: generated.promptTokens,
                droppedTurns: generated.droppedTurns,
                baseline: pairs.baseline(),
                temperature: plan.settings.temperature,
                pairLoadMs
            }),
            engine: generated.stats,
            queueMs
        };
    } finally {
        signal?.removeEventListener("abort", onAbort);
    }
}
