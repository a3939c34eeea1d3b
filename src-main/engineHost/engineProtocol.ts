/**
 * The messages between the service process (the supervisor) and the engine process (llama.cpp's home).
 * Plain structured-clone data only, so the same protocol runs over Node's `child_process` IPC and Electron's
 * `utilityProcess` port. Every request carries an id; every reply names the request it belongs to. A request
 * ends with exactly one `done` or `error` reply; `progress`, `prompt` and `tokens` may come before it.
 */
import type {Backend, TokenRun} from "../../src-shared/index.ts";
import type {DecodingParams, GenerationStats} from "../engine/index.ts";
import type {MeasuredCurves} from "./calibration.ts";
import type {ResolvedPairFit} from "../models/runtime/index.ts";

/** One message of the conversation as the models will see it (the service's store shape, reduced). */
export type EngineChatMessage = {readonly role: "system" | "user" | "assistant"; readonly text: string};

/** The settings fixed when a pair is loaded (a change means a reload). */
export type EngineLoadOptions = {
    /** llama.cpp threads per model; null: the engine's default (half the cores). */
    readonly threads: number | null;
    /** Skip GPU detection. */
    readonly cpu: boolean;
    readonly contextSize: number;
    readonly topK: number;
    readonly exact: boolean;
};

export type EngineRequest =
    | {readonly type: "load"; readonly id: number; readonly expertPath: string; readonly amateurPath: string; readonly options: EngineLoadOptions}
    | {readonly type: "unload"; readonly id: number}
    | {
          readonly type: "generate";
          readonly id: number;
          /** System prompt first (if any), then the turns, ending with the user's message. */
          readonly messages: readonly EngineChatMessage[];
          readonly params: DecodingParams;
          /**
           * The token stream the previous answer of this chat left in the caches (its prompt, then its generated
           * tokens; see GenerateResult.stream): the prompt starts with it where it spells the same text, so the
           * models evaluate only the new turn (promptReuse.ts).
           */
          readonly previous?: readonly number[];
          /** Plain completion of the messages' text (the local server's /v1/completions), whatever chat template the model has. */
          readonly raw?: boolean;
          /** More stop strings (the local server's `stop`), besides the chat template's own. */
          readonly stopStrings?: readonly string[];
      }
    /** Stops the generation or calibration with id `target` at its next round boundary (no reply of its own). */
    | {readonly type: "abort"; readonly id: number; readonly target: number}
    /**
     * Measures what a decoded token costs the expert alone and cd across the context (calibration.ts): at each
     * of `positions`, `runs` runs of `tokens` tokens per curve; then puts the caches back as they were.
     */
    | {readonly type: "calibrate"; readonly id: number; readonly positions: readonly number[]; readonly tokens: number; readonly runs: number}
    /** What a pair would need at `contextSize` by node-llama-cpp's resolvers (answered at any time; loads nothing). */
    | {
          readonly type: "estimateFit";
          readonly id: number;
          readonly expertPath: string;
          readonly amateurPath: string;
          readonly contextSize: number;
          readonly options: Pick<EngineLoadOptions, "threads" | "cpu">;
      };

export type EngineRequestType = EngineRequest["type"];

export type LoadResult = {
    readonly backend: Backend;
    /** Tokens each model's context holds (the requested size capped at the model's training context). */
    readonly contextSize: number;
    /** Model weights plus context state of both models, as node-llama-cpp reports them. */
    readonly memoryBytes: number | null;
    readonly threads: number;
    /** Whether the expert has a chat template (otherwise turns are joined as plain text). */
    readonly chatTemplate: boolean;
};

export type GenerateResult = {
    readonly stats: GenerationStats;
    readonly promptTokens: number;
    readonly droppedTurns: number;
    /** The prompt's tokens, then the generated ones: what the caches hold now, to store with the answer. */
    readonly stream: readonly number[];
    /** Tokens of `previous` the prompt started with (0: the prompt was formatted afresh). */
    readonly reusedStored: number;
};

export type CalibrateResult = {readonly curves: MeasuredCurves};

/** What each request's `done` reply carries. */
export type EngineResults = {
    readonly load: LoadResult;
    readonly unload: Record<string, never>;
    readonly generate: GenerateResult;
    readonly abort: Record<string, never>;
    readonly calibrate: CalibrateResult;
    readonly estimateFit: ResolvedPairFit;
};

/** Why a request failed, for the service to pick its ServiceError code. */
export type EngineErrorKind = "noPair" | "busy" | "incompatiblePair" | "badFile" | "promptTooLong" | "internal";

export type EngineReply =
    | {readonly type: "progress"; readonly id: number; readonly progress: number}
    /** The prompt a generation will see, sent before its first token. */
    | {readonly type: "prompt"; readonly id: number; readonly promptTokens: number; readonly droppedTurns: number}
    /** Text added since the last `tokens` reply (batched), with its provenance runs over the text's UTF-16 units. */
    | {readonly type: "tokens"; readonly id: number; readonly text: string; readonly runs: readonly TokenRun[]}
    | {
          [K in EngineRequestType]: {readonly type: "done"; readonly id: number; readonly request: K; readonly result: EngineResults[K]};
      }[EngineRequestType]
    | {readonly type: "error"; readonly id: number; readonly kind: EngineErrorKind; readonly message: string};

/** The process sends this once, when it is ready for requests. */
export type EngineHello = {readonly type: "hello"; readonly pid: number};

export type EngineMessage = EngineReply | EngineHello;
