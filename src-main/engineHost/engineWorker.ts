/**
 * The engine process's request handler: owns the one loaded pair and runs loads, generations, calibrations
 * and fit estimates through the engine's public API, replying through `send`. Knows nothing of the channel
 * (Node IPC or Electron's port; see engineMain.ts). One load/generate/calibrate/unload at a time; `abort`
 * and `estimateFit` are answered at any time.
 */
import type {Backend} from "../../src-shared/index.ts";
import {InvalidPromptError, PREFILL_CHUNK, PromptTooLongError, reusePrefix, type Token} from "../engine/index.ts";
import {
    chatPrompt,
    defaultThreadsPerModel,
    getRuntime,
    hasChatTemplate,
    loadModelPair,
    rawPrompt,
    resolvePairFit,
    type FormattedPrompt,
    type ModelPair
} from "../models/runtime/index.ts";
import {GgufError, IncompatiblePairError} from "../models/header/index.ts";
import type {EngineChatMessage, EngineErrorKind, EngineReply, EngineRequest, EngineRequestType, EngineResults, LoadResult} from "./engineProtocol.ts";
import {CalibrationStopped, fillerTokens, measureCurves, type CalibrationDecoder} from "./calibration.ts";
import {fitHistory, rawTranscript} from "./promptPlan.ts";
import {spliceStoredPrefix} from "./promptReuse.ts";
import {TokenBatcher} from "./tokenBatcher.ts";

export class EngineFailure extends Error {
    constructor(
        readonly kind: EngineErrorKind,
        message: string
    ) {
        super(message);
    }
}

/** Calibration's filler: plain text repeated up to the context's end (what a token costs hardly depends on what it says). */
const CALIBRATION_FILLER =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun with her friends. " +
    "One day, she found a big red ball in the garden and ran to show it to her mom. ";

export class EngineWorker {
    private pair: ModelPair | null = null;
    private loaded: LoadResult | null = null;
    /** The request now using the pair (load, unload, generate or calibrate). */
    private exclusive: number | null = null;
    private readonly aborts = new Map<number, AbortController>();
    /** What the last generation left in the caches (its prompt, then its tokens): calibration puts it back. */
    private lastStream: readonly Token[] = [];

    constructor(private readonly send: (reply: EngineReply) => void) {}

    handle(request: EngineRequest): void {
        void this.run(request);
    }

    private async run(request: EngineRequest): Promise<void> {
        if (request.type === "abort") {
            this.aborts.get(request.target)?.abort();
            return;
        }
        const exclusive = request.type !== "estimateFit";
        try {
            if (exclusive) {
                if (this.exclusive != null) throw new EngineFailure("busy", "the engine is busy with another request");
                this.exclusive = request.id;
            }
            const result = await this.execute(request);
            this.done(request.type, request.id, result);
        } catch (error) {
            const {kind, message} = describeFailure(error);
            this.send({type: "error", id: request.id, kind, message});
        } finally {
            if (exclusive && this.exclusive === request.id) this.exclusive = null;
            this.aborts.delete(request.id);
        }
    }

    private done<K extends EngineRequestType>(request: K, id: number, result: EngineResults[K]): void {
        this.send({type: "done", id, request, result} as EngineReply);
    }

    private async execute(request: Exclude<EngineRequest, {type: "abort"}>): Promise<EngineResults[EngineRequestType]> {
        switch (request.type) {
            case "load":
                return this.load(request);
            case "unload":
                await this.unload();
                return {};
            case "generate":
                return this.generate(request);
            case "calibrate":
                return this.calibrate(request);
            case "estimateFit": {
                // The runtime a load with these options uses (loadModelPair: 2 × threads per model), so no second one starts.
                const threads = request.options.threads ?? defaultThreadsPerModel();
                const llama = await getRuntime(request.options.cpu ? false : "auto", threads * 2);
                return resolvePairFit(llama, request.expertPath, request.amateurPath, request.contextSize);
            }
        }
    }

    private async load(request: Extract<EngineRequest, {type: "load"}>): Promise<LoadResult> {
        await this.unload();
        this.send({type: "progress", id: request.id, progress: 0});
        const {options} = request;
        const pair = await loadModelPair({
            expertPath: request.expertPath,
            amateurPath: request.amateurPath,
            ...(options.threads != null ? {threads: options.threads} : {}),
            gpu: options.cpu ? false : "auto",
            contextSize: options.contextSize,
            topK: options.topK,
            exactNumerics: options.exact,
            onProgress: (progress) => this.send({type: "progress", id: request.id, progress})
        });
        this.pair = pair;
        const models = [pair.expert, pair.amateur];
        this.loaded = {
            backend: backendName(pair.expert.model.llama.gpu),
            contextSize: Math.min(pair.expert.context.contextSize, pair.amateur.context.contextSize),
            memoryBytes: models.reduce((sum, m) => sum + m.model.size + m.context.stateSize, 0),
            threads: pair.threads,
            chatTemplate: hasChatTemplate(pair.tokenizerModel)
        };
        this.send({type: "progress", id: request.id, progress: 1});
        return this.loaded;
    }

    private async unload(): Promise<void> {
        const pair = this.pair;
        this.pair = null;
        this.loaded = null;
        this.lastStream = [];
        await pair?.dispose();
    }

    private requirePair(): ModelPair {
        if (this.pair == null) throw new EngineFailure("noPair", "no model pair is loaded");
        return this.pair;
    }

    /** The model's chat formatting, or (no template, or `raw`) the plain transcript continued as it is. */
    private format(pair: ModelPair, messages: readonly EngineChatMessage[], raw = false): FormattedPrompt {
        const model = pair.tokenizerModel;
        return hasChatTemplate(model) && !raw ? chatPrompt(model, messages) : rawPrompt(model, rawTranscript(messages));
    }

    private async generate(request: Extract<EngineRequest, {type: "generate"}>): Promise<EngineResults["generate"]> {
        const pair = this.requirePair();
        const capacity = Math.min(pair.expert.sequence.capacity, pair.amateur.sequence.capacity);
        // Room kept for the answer: maxTokens, but never more than half the context, so a long history
        // still leaves a sensible prompt.
        const reserve = Math.min(request.params.maxTokens, Math.floor(capacity / 2));
        const budget = capacity - reserve;
        const raw = request.raw === true;
        const plan = fitHistory(request.messages, (messages) => this.format(pair, messages, raw).tokens.length, budget);
        if (!plan.fits) {
            throw new EngineFailure(
                "promptTooLong",
                `the message is too long for the context: the prompt takes ${plan.tokens} tokens, but the context holds ${capacity} with ${reserve} kept for the answer; shorten it or raise the context size`
            );
        }
        const formatted = this.format(pair, plan.messages, raw);
        // The previous answer's own tokens where they spell the same text: the caches hold them, so only the new
        // turn is evaluated (a re-tokenised answer can differ from what the models generated).
        const model = pair.tokenizerModel;
        const reused = spliceStoredPrefix(request.previous ?? [], formatted.tokens, (tokens) => model.detokenize(tokens as never, false));
        const prompt = {...formatted, tokens: reused.tokens};
        const stopStrings = [...prompt.stopStrings, ...(request.stopStrings ?? [])];
        this.send({type: "prompt", id: request.id, promptTokens: prompt.tokens.length, droppedTurns: plan.droppedTurns});
        const controller = new AbortController();
        this.aborts.set(request.id, controller);
        const batcher = new TokenBatcher((text, runs) => this.send({type: "tokens", id: request.id, text, runs}));
        try {
            const result = await pair.decoder.generate(
                prompt.tokens,
                {...request.params, stopStrings, stopTokens: prompt.stopTokens, signal: controller.signal},
                (event) => batcher.add(event)
            );
            const stream = [...prompt.tokens, ...result.tokens];
            this.lastStream = stream;
            return {
                stats: result.stats,
                promptTokens: prompt.tokens.length,
                droppedTurns: plan.droppedTurns,
                stream,
                reusedStored: reused.keptStored
            };
        } finally {
            batcher.flush();
        }
    }

    /**
     * What a decoded token costs the expert alone and cd across the context (calibration.ts), then the chat the
     * caches held before, evaluated back into them (in chunks, Stop looked at between them), so the next turn
     * still reuses them. Stopped: ends with an `internal` error saying so (the caches keep what they hold).
     */
    private async calibrate(request: Extract<EngineRequest, {type: "calibrate"}>): Promise<EngineResults["calibrate"]> {
        const pair = this.requirePair();
        const model = pair.tokenizerModel;
        const controller = new AbortController();
        this.aborts.set(request.id, controller);
        const capacity = Math.min(pair.expert.sequence.capacity, pair.amateur.sequence.capacity);
        const unit = rawPrompt(model, CALIBRATION_FILLER).tokens;
        const bos = model.tokens.bos;
        const head = bos != null && model.tokens.shouldPrependBosToken && unit[0] === bos ? [bos as number] : [];
        const filler = fillerTokens(head, unit.slice(head.length), capacity);
        const decoder: CalibrationDecoder = {
            generate: (prompt, options) => pair.decoder.generate(prompt, options),
            prefill: (tokens, signal) => prefillBoth(pair, tokens, signal)
        };
        const positions = request.positions.filter((position) => position + request.tokens + 1 < capacity);
        try {
            const curves = await measureCurves(decoder, filler, positions, request.tokens, request.runs, controller.signal);
            await decoder.prefill(this.lastStream, controller.signal);
            return {curves};
        } catch (error) {
            if (error instanceof CalibrationStopped) throw new EngineFailure("internal", error.message);
            throw error;
        }
    }
}

/** Evaluates `tokens` into both caches (all but the last, which a generation evaluates itself), keeping what is cached. */
async function prefillBoth(pair: ModelPair, tokens: readonly Token[], signal: AbortSignal): Promise<void> {
    if (tokens.length < 2) return;
    await pair.decoder.exclusive(async (expert, amateur) => {
        for (const sequence of [expert, amateur]) {
            const {pending} = await reusePrefix(sequence, tokens);
            const todo = pending.slice(0, -1);
            for (let at = 0; at < todo.length && !signal.aborted; at += PREFILL_CHUNK) {
                await sequence.evaluate(todo.slice(at, at + PREFILL_CHUNK), 0);
            }
        }
    });
}

export function backendName(gpu: false | string): Backend {
    switch (gpu) {
        case "metal":
            return "Metal";
        case "cuda":
            return "CUDA";
        case "vulkan":
            return "Vulkan";
        default:
            return "CPU";
    }
}

function describeFailure(error: unknown): {kind: EngineErrorKind; message: string} {
    if (error instanceof EngineFailure) return {kind: error.kind, message: error.message};
    if (error instanceof IncompatiblePairError) return {kind: "incompatiblePair", message: error.message};
    if (error instanceof GgufError) return {kind: "badFile", message: error.message};
    if (error instanceof PromptTooLongError || error instanceof InvalidPromptError) return {kind: "promptTooLong", message: error.message};
    return {kind: "internal", message: error instanceof Error ? error.message : String(error)};
}
