/**
 * The one typed contract between the app's service (Node side) and its UI (renderer), used by the Electron
 * main process, the preload, the renderer and the web bridge alike: the data shapes, the functions the UI
 * calls (`ServiceApi`) and the events the service pushes (`ClientApi`). Pure types: no I/O, no Node imports,
 * safe to import from the renderer. Requests are validated at the boundary with the schemas in schemas.ts.
 */
import type {decodeModeChoices, OptionKey} from "../options/optionTable.ts";
import type {EngineStats, StopReasonName} from "./engineStats.ts";

export type {EngineArm, EngineStats, StopReasonName} from "./engineStats.ts";

// ---------- settings ----------

/** The decoding modes, from the option table's list (the engine's DecodeMode is the same list). */
export type DecodeModeName = (typeof decodeModeChoices)[number];

/** Every user setting (see the option table for ranges, defaults and help). */
export type Settings = {
    readonly mode: DecodeModeName;
    /** "auto": picked each round from measured speed (with the non-speculative mode as a fallback). */
    readonly gamma: number | "auto";
    readonly alpha: number;
    readonly beta: number;
    readonly temperature: number;
    readonly maxTokens: number;
    /** null: a new seed for every answer. */
    readonly seed: number | null;
    readonly topK: number;
    readonly contextSize: number;
    /** null: half the cores. */
    readonly threads: number | null;
    readonly exact: boolean;
    readonly cpu: boolean;
    readonly systemPrompt: string;
    /** The local server (OpenAI-compatible API) is on. */
    readonly localServer: boolean;
    readonly serverHost: string;
    readonly serverPort: number;
    /** "": a new key is made when the server starts, and saved here. */
    readonly serverApiKey: string;
};

/** A subset of settings a conversation sets for itself; the rest come from the global defaults. */
export type SettingsOverrides = Partial<Settings>;

// Keeps Settings and the option table in step: a key in one and not the other fails to compile.
type _SettingsKeysMatchTable = [Exclude<keyof Settings, OptionKey>, Exclude<OptionKey, keyof Settings>] extends [never, never] ? true : never;
export const settingsKeysMatchTable: _SettingsKeysMatchTable = true;

// ---------- models and pairs ----------

export type ModelSource = "demo" | "folder";

export type ModelEntry = {
    /** Absolute path: the model's identity everywhere in the app. */
    readonly path: string;
    readonly fileName: string;
    readonly source: ModelSource;
    readonly sizeBytes: number;
    /** From the GGUF header; absent when the file could not be read (then `problem` says why). */
    readonly architecture?: string;
    readonly vocabularySize?: number;
    readonly parameterLabel?: string;
    readonly problem?: string;
};

export type PairRef = {readonly expertPath: string; readonly amateurPath: string};

export type CompatibilityCheck = {
    readonly compatible: boolean;
    /** Every failed rule, in words (rule names as the engine reports them: vocabularyType, vocabularySize, …). */
    readonly failures: readonly {readonly rule: string; readonly message: string}[];
    /** Set when a file could not be read at all (not a GGUF, truncated, missing). */
    readonly fileProblem?: string;
};

export type Backend = "CPU" | "Metal" | "CUDA" | "Vulkan";

export type EngineState =
    | {readonly state: "idle"}
    | {readonly state: "loading"; readonly pair: PairRef; readonly progress: number}
    | {readonly state: "ready"; readonly pair: PairRef; readonly backend: Backend; readonly contextSize: number; readonly memoryBytes: number | null}
    | {readonly state: "error"; readonly pair: PairRef | null; readonly message: string};

/** Measured decode cost at one place in the context: the mean time per token of a short run around `position`. */
export type CostPoint = {readonly position: number; readonly msPerToken: number};

/**
 * What a decoded token costs the expert alone and cd across the context (sorted by position), greedy and
 * sampled: the calibration's measurement, against which an answer is compared over the span it decoded.
 */
export type CostCurves = {
    readonly expertGreedy: readonly CostPoint[];
    readonly expertSampled: readonly CostPoint[];
    readonly cdGreedy: readonly CostPoint[];
    readonly cdSampled: readonly CostPoint[];
};

/** The expert-alone speed for a pair on this machine, measured by a calibration run. */
export type SpeedBaseline = {
    readonly pairKey: string;
    readonly device: string;
    /** The expert alone at the start of an empty context (the curve's first point). */
    readonly expertTokensPerSecond: number;
    /** ISO date-time of the measurement. */
    readonly measuredAt: string;
    /** Cost by context position; absent in baselines measured before curves existed (they are measured again). */
    readonly curves?: CostCurves;
};

export type AppStatus = {
    readonly engine: EngineState;
    /** A generation is running (one at a time). */
    readonly busy: boolean;
    /** Calibration of the loaded pair: running, done (with its baseline) or failed. */
    readonly calibration: {readonly state: "none" | "running" | "done" | "error"; readonly baseline?: SpeedBaseline; readonly message?: string};
    /** Set after the engine process died; cleared on the next successful load. */
    readonly lastEngineCrash?: string;
    readonly version: string;
    /** The local server (OpenAI-compatible API), where the shell offers one. */
    readonly server?: LocalServerStatus;
};

/** The local server: off, serving at a base URL with its key, or failed to start (in words). */
export type LocalServerStatus =
    | {readonly state: "off"}
    | {readonly state: "on"; readonly baseUrl: string; readonly apiKey: string; readonly warning?: string}
    | {readonly state: "error"; readonly message: string};

// ---------- conversations ----------

export type MessageRole = "system" | "user" | "assistant";
export type MessageStatus = "streaming" | "done" | "stopped" | "interrupted" | "error";
export type TokenSourceName = "draft" | "correction" | "bonus" | "direct";

/** A run of consecutive characters of a message's content that came from one token source. */
export type TokenRun = {readonly source: TokenSourceName; readonly length: number};

export type MessageStats = {
    readonly mode: DecodeModeName;
    readonly generatedTokens: number;
    readonly tokensPerSecond: number;
    readonly timeToFirstTokenMs: number | null;
    readonly acceptanceRate: number | null;
    readonly meanAcceptedLength: number | null;
    /** 1 + accepted drafts / verification rounds (as llama.cpp's server and vLLM report it); null outside scd/sd. */
    readonly meanAcceptanceLength?: number | null;
    /** Accepted / drafted at each draft position of a round (first draft first). */
    readonly acceptanceByPosition?: readonly number[];
    readonly stopReason: StopReasonName;
    readonly totalMs: number;
    readonly promptTokens: number;
    /** Prompt tokens each model evaluated for this answer (the rest were in its cache); null for a model the mode does not use. */
    readonly reevaluatedTokens?: {readonly expert: number | null; readonly amateur: number | null};
    /** Turns left out of what the models saw because the history outgrew the context. */
    readonly droppedTurns: number;
    /** From Send to the first token on screen: loads and waits included. */
    readonly sendToFirstTokenMs?: number | null;
    /** Set when the answer waited for the pair to load: how long that took. */
    readonly pairLoadMs?: number | null;
    /** Measured speedup against the expert alone on this machine; null until a baseline exists. */
    readonly speedup: Speedup | null;
    /** The engine's full statistics, kept for export and debugging. */
    readonly engine: EngineStats;
};

/**
 * Like for like: the answer's decoding (the tokens after its first) against what the expert alone (and cd)
 * measured over the same span of context positions on this machine (the calibration's curves). Answers stored
 * before curves existed carry only `ratio` (against one expert-alone speed) and `baseline`.
 */
export type Speedup = {
    /** Expert-alone time over the span / the answer's time over it. */
    readonly ratio: number;
    readonly baseline: SpeedBaseline;
    /** The expert alone over the same span, tokens per second (measured, interpolated between positions). */
    readonly expertTokensPerSecond?: number;
    /** The answer's own decoding speed over the span. */
    readonly spanTokensPerSecond?: number;
    /** cd time over the span / the answer's (scd and sd): what speculation saved against the same output distribution. */
    readonly versusCd?: number | null;
    /** The context positions compared: the first decode step's and how many tokens. */
    readonly span?: {readonly from: number; readonly tokens: number};
    /**
     * True when the references were matched to the machine's load during this answer: scaled by the answer's own
     * plain steps of the expert alone (`matchedBy` "expert": mode expert, sd's fallback) or of cd ("cd": mode cd,
     * scd's fallback) against the calibration's curve. False: the calibration's curves over the span as measured.
     */
    readonly measuredDuringAnswer?: boolean;
    readonly matchedBy?: "expert" | "cd";
};

export type Message = {
    readonly id: string;
    readonly conversationId: string;
    readonly role: MessageRole;
    readonly content: string;
    readonly status: MessageStatus;
    readonly error: string | null;
    readonly stats: MessageStats | null;
    /** Token provenance over `content` (assistant messages), for highlighting. */
    readonly runs: readonly TokenRun[] | null;
    readonly seed: number | null;
    readonly createdAt: string;
    readonly updatedAt: string;
};

export type Conversation = {
    readonly id: string;
    readonly title: string;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly pair: PairRef | null;
    readonly overrides: SettingsOverrides;
};

export type ConversationWithMessages = {
    readonly conversation: Conversation;
    readonly messages: readonly Message[];
    /** The conversation's comparisons of modes, oldest first (absent from services that have none). */
    readonly comparisons?: readonly Comparison[];
};

/** The modes a comparison runs, in its columns' order. */
export type ComparedMode = "expert" | "sd" | "cd" | "scd";

export type ComparisonColumn = {
    readonly mode: ComparedMode;
    readonly status: "waiting" | "streaming" | "done" | "stopped" | "error";
    readonly content: string;
    readonly runs: readonly TokenRun[];
    readonly stats: MessageStats | null;
    readonly error: string | null;
};

/** A user message run through expert, sd, cd and scd with one seed, side by side; saved with the conversation. */
export type Comparison = {
    readonly id: string;
    readonly conversationId: string;
    /** The user message compared (the history before it is what the models see, as for its answer). */
    readonly messageId: string;
    readonly seed: number;
    readonly status: "running" | "done" | "stopped" | "error";
    readonly columns: readonly ComparisonColumn[];
    readonly createdAt: string;
    readonly updatedAt: string;
};

export type SearchHit = {
    readonly conversationId: string;
    readonly conversationTitle: string;
    readonly messageId: string;
    /** Excerpt with matches wrapped in «…» (plain text; the UI renders it as text, never HTML). */
    readonly snippet: string;
};

export type ExportFormat = "markdown" | "json";
export type ExportedConversation = {readonly fileName: string; readonly mimeType: string; readonly content: string};

// ---------- streamed events (service → UI) ----------

export type GenerationEvent =
    | {readonly kind: "started"; readonly conversationId: string; readonly message: Message}
    /** Text appended since the last event (batched), with its provenance runs. */
    | {readonly kind: "delta"; readonly conversationId: string; readonly messageId: string; readonly text: string; readonly runs: readonly TokenRun[]}
    | {readonly kind: "finished"; readonly conversationId: string; readonly message: Message};

export type ServiceEvent =
    | {readonly type: "status"; readonly status: AppStatus}
    | {readonly type: "generation"; readonly event: GenerationEvent}
    | {readonly type: "conversations"}
    /** The context no longer holds the whole history: the oldest turns were left out of what the models see. */
    | {readonly type: "notice"; readonly conversationId: string | null; readonly text: string}
    /** A comparison started, grew or ended (the whole comparison each time). */
    | {readonly type: "comparison"; readonly comparison: Comparison};

// ---------- the functions ----------

/** What the UI can ask of the service. Every request is validated (schemas.ts) before it reaches the service. */
export interface ServiceApi {
    getStatus(): Promise<AppStatus>;
    listModels(): Promise<ModelEntry[]>;
    checkPair(pair: PairRef): Promise<CompatibilityCheck>;
    /** Loads a pair (progress and result arrive as status events); refuses an incompatible pair with its reasons. */
    loadPair(pair: PairRef): Promise<AppStatus>;
    unloadPair(): Promise<AppStatus>;
    /** Re-measures the expert-alone speed of the loaded pair. */
    calibrate(): Promise<SpeedBaseline>;

    getSettings(): Promise<Settings>;
    updateSettings(changes: SettingsOverrides): Promise<Settings>;

    listConversations(): Promise<Conversation[]>;
    createConversation(request: {title?: string}): Promise<Conversation>;
    renameConversation(request: {id: string; title: string}): Promise<Conversation>;
    deleteConversation(request: {id: string}): Promise<void>;
    getConversation(request: {id: string}): Promise<ConversationWithMessages>;
    setConversationOverrides(request: {id: string; overrides: SettingsOverrides}): Promise<Conversation>;
    searchMessages(request: {query: string}): Promise<SearchHit[]>;
    exportConversation(request: {id: string; format: ExportFormat}): Promise<ExportedConversation>;

    /** Adds a user message and starts the answer (streamed as events); "busy" while another answer runs. */
    sendMessage(request: {conversationId: string; text: string}): Promise<{userMessage: Message; assistantMessageId: string}>;
    /** Replaces the last assistant answer (or the answer after `messageId`) with a new one. */
    regenerate(request: {conversationId: string; messageId?: string}): Promise<{assistantMessageId: string}>;
    /** Replaces a user message's text, drops everything after it, and answers again. */
    editAndResend(request: {conversationId: string; messageId: string; text: string}): Promise<{userMessage: Message; assistantMessageId: string}>;
    /** Stops the running answer (no-op when idle). */
    stopGeneration(): Promise<void>;
    /**
     * Runs a user message through expert, sd, cd and scd with one seed (one after another, streamed as
     * `comparison` events) and saves the comparison with the conversation; "busy" while an answer runs, and Stop
     * stops it.
     */
    compareModes(request: {conversationId: string; messageId: string}): Promise<Comparison>;
}

/** What the service calls on the UI side. */
export interface ClientApi {
    onEvent(event: ServiceEvent): void;
}

export type ServiceFunctionName = keyof ServiceApi;

/** Error codes a request can fail with; the message is always a sentence a user can read. */
/** "disconnected": raised on the UI side only, when the transport to the service closed mid-call. */
export type ServiceErrorCode =
    | "invalidRequest"
    | "busy"
    | "notFound"
    | "incompatiblePair"
    | "noPair"
    | "promptTooLong"
    | "engineCrashed"
    | "storage"
    | "internal"
    | "disconnected";
