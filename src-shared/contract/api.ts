/**
 * The one typed contract between the app's service (Node side) and its UI (renderer), used by the Electron
 * main process, the preload, the renderer and the web bridge alike: the data shapes, the functions the UI
 * calls (`ServiceApi`) and the events the service pushes (`ClientApi`). Pure types: no I/O, no Node imports,
 * safe to import from the renderer. Requests are validated at the boundary with the schemas in schemas.ts.
 */
import type {decodeModeChoices, OptionKey} from "../options/optionTable.ts";
import type {EngineStats, StopReasonName} from "./engineStats.ts";

export type {EngineArm, EngineStats, EngineStepTime, StopReasonName} from "./engineStats.ts";

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
    /** Allowed but worth saying: "the amateur (1.5B) is not smaller than the expert (0.5B): it will not make answers faster". */
    readonly warnings?: readonly string[];
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

// ---------- the model library ----------

/** Where a model was found. */
export type LibrarySourceKind =
    | "demo" // resources/models (the built-in demo pair)
    | "env" // TANDEM_MODELS_DIR
    | "folder" // a folder the user added ("Add folder…")
    | "files" // single files the user added ("Open a file…", drag-and-drop): one source for all of them
    | "downloads" // where Tandem's downloads land (<dataDir>/models)
    | "nodeLlamaCpp" // ~/.node-llama-cpp/models
    | "huggingFace" // $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub
    | "lmStudio" // ~/.lmstudio/models, ~/.cache/lm-studio/models
    | "ollama"; // $OLLAMA_MODELS or ~/.ollama/models

export type LibrarySource = {
    /** Stable id: "demo", "env", "files", "downloads", "folder:<abs path>", "<kind>:<abs path>" for caches. */
    readonly id: string;
    readonly kind: LibrarySourceKind;
    /** Words for the UI: "Hugging Face cache", "LM Studio", "Models folder", "Demo pair"… */
    readonly label: string;
    /** The folder scanned (null for "files"). */
    readonly path: string | null;
    /** Switched off by the user (setSourceEnabled): not scanned, its models not listed. Demo can't be switched off. */
    readonly enabled: boolean;
    /** A folder the user added (removeModelFolder works on it). */
    readonly removable: boolean;
    /** "missing": the folder is not there (caches of apps not installed are simply not listed at all). */
    readonly state: "scanning" | "ready" | "missing" | "error" | "off";
    readonly modelCount: number;
    /** Why the folder could not be read (state "error"), in words. */
    readonly problem?: string;
    /** Things the scan met, in words: "symlink loop: /a/b → /a (skipped)", "depth limit 6 reached under /x". */
    readonly notes: readonly string[];
};

/** What a model is, from its GGUF header (node-llama-cpp's readGgufFileInfo + our reader; see "where facts come from"). */
export type ModelFacts = {
    /** general.name, when set. */
    readonly name?: string;
    readonly architecture: string;
    /** Parameters counted from the tensor shapes (all parts of a split model). */
    readonly parameterCount: number;
    /** general.size_label ("0.5B") or one made from parameterCount ("292.8K"). */
    readonly sizeLabel: string;
    /** "Q4_K_M", "Q8_0", "F16", "F32"… from general.file_type, else the most common tensor type. */
    readonly quantization: string;
    /** tokenizer.ggml.model ("llama" = SentencePiece, "gpt2" = BPE…). */
    readonly vocabularyType: string;
    readonly vocabularySize: number;
    /** <arch>.context_length. */
    readonly trainingContext: number | null;
    readonly chatTemplate: boolean;
    readonly layers: number | null;
};

export type LibraryModel = {
    /** Absolute path to load (for a split model: its first part). The model's identity, as in PairRef. */
    readonly path: string;
    /** What the UI shows first: "qwen2.5:0.5b" (Ollama tag), "Qwen/Qwen2.5-0.5B-Instruct-GGUF" (HF/LM Studio repo), or the file name. */
    readonly displayName: string;
    /** The file name (for a split model the first part's; for Ollama the blob name). */
    readonly fileName: string;
    /** Second line: "qwen2.5-0.5b-instruct-q8_0.gguf" under an HF repo name; absent when it would repeat displayName. */
    readonly detail?: string;
    /** The source it is shown under (first found), and every source that has it (deduped by real path). */
    readonly sourceId: string;
    readonly sourceIds: readonly string[];
    /** Bytes on disk, all parts together. */
    readonly sizeBytes: number;
    /** 1, or the number of split parts (-00001-of-0000N). */
    readonly parts: number;
    /** Present when the header was read and llama.cpp could load it. */
    readonly facts?: ModelFacts;
    /** Why it cannot be used, in words, shown as text in its row. Absent when usable. */
    readonly problem?: string;
};

export type ScanProgress = {
    readonly scanning: boolean;
    /** Files and folders looked at so far in this scan, GGUF files found, headers read. */
    readonly entriesSeen: number;
    readonly filesFound: number;
    readonly headersRead: number;
};

export type LibrarySnapshot = {
    readonly sources: readonly LibrarySource[];
    /** Usable models first (by display name), then the unusable ones. */
    readonly models: readonly LibraryModel[];
    readonly scan: ScanProgress;
};

// ---------- pairing ----------

export type PairRuleFailure = {
    /** "vocabularyType" | "vocabularySize" | "tokenTexts" | "bosEos" | "addBos" | "file" */
    readonly rule: string;
    /** In user words: "different tokenizer family (llama vs gpt2)", "vocabularies differ by 31,488 ids (at most 128)",
     *  "token 259 differs: \"▁▁\" in the expert, \"▁t\" in the amateur", "BOS/EOS differ: …", "add-BOS differs: …". */
    readonly message: string;
};

export type AmateurVerdict = {
    readonly amateurPath: string;
    readonly compatible: boolean;
    /** Every failed rule (empty when compatible). */
    readonly failures: readonly PairRuleFailure[];
    /** Same architecture and same vocabulary (the best amateurs). */
    readonly sameFamily: boolean;
    /** The amateur has at least as many parameters as the expert (still allowed; flagged). */
    readonly notSmaller: boolean;
    /** Short user words for the row: "compatible · same family · 4× smaller", or the first failure. */
    readonly summary: string;
};

export type PairVerdicts = {
    readonly expertPath: string;
    /** Set when the expert itself cannot be used (then both lists are empty). */
    readonly expertProblem?: string;
    /** Best first: same family, then smallest. */
    readonly compatible: readonly AmateurVerdict[];
    readonly incompatible: readonly AmateurVerdict[];
};

// ---------- fit ----------

export type FitEstimate = {
    readonly pair: PairRef;
    readonly contextSize: number;
    /** How the numbers were made: "header" = weights from the GGUF tensor sizes + KV cache from the header (an estimate, said so in the UI);
     *  "llama.cpp" = node-llama-cpp's GgufInsights resolvers run in the engine process. */
    readonly method: "header" | "llama.cpp";
    /** Both models: weights + KV cache + compute buffers, on the CPU side. */
    readonly ramBytes: number;
    /** On the GPU (0 with no GPU / CPU only). */
    readonly vramBytes: number;
    readonly perModel: {
        readonly expert: {readonly ramBytes: number; readonly vramBytes: number};
        readonly amateur: {readonly ramBytes: number; readonly vramBytes: number};
    };
    readonly machine: {
        readonly totalRamBytes: number;
        readonly freeRamBytes: number;
        readonly totalVramBytes: number | null;
        readonly freeVramBytes: number | null;
    };
    /** "fits": fits in free memory; "tight": fits total but not free memory; "no": more than total. */
    readonly verdict: "fits" | "tight" | "no";
    /** One sentence: "Needs about 1.4 GB of memory; 5.1 GB free of 7.8 GB (estimate from the model headers)." */
    readonly summary: string;
};

// ---------- catalogue ----------

export type CatalogueFile = {
    /** What startDownload takes: "hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf". */
    readonly uri: string;
    readonly repo: string;
    readonly fileName: string;
    /** As listed on the Hub (null when the listing gave no size); split models: all parts. */
    readonly sizeBytes: number | null;
    /** Path when this file is already in the library (then no download is needed). */
    readonly installedPath: string | null;
};

export type CatalogueEntry = {
    readonly id: string;
    /** "Llama 3.2 3B Instruct + 1B Instruct". */
    readonly title: string;
    readonly description: string;
    readonly expert: CatalogueFile;
    readonly amateur: CatalogueFile;
    /** Download size of both (null if a size is unknown); memory need from the listed sizes + context, labelled an estimate. */
    readonly downloadBytes: number | null;
    readonly memoryBytes: number | null;
    /** "fits" | "tight" | "no" | "unknown" for this machine's RAM. */
    readonly fit: "fits" | "tight" | "no" | "unknown";
    /** Always "seen on the Hub listing, not downloaded here": these machines cannot reach the Hub. */
    readonly provenance: string;
};

// ---------- downloads ----------

export type DownloadState = "resolving" | "downloading" | "paused" | "done" | "failed" | "cancelled";

export type DownloadErrorKind = "network" | "notFound" | "diskFull" | "other";

export type Download = {
    readonly id: string;
    /** What the user gave: "hf:org/repo:Q4_K_M", "hf:org/repo/file.gguf" or an https URL. */
    readonly uri: string;
    /** The file name once known (the first part for split models). */
    readonly fileName: string | null;
    /** Where it lands (the downloads folder). */
    readonly dir: string;
    readonly state: DownloadState;
    readonly downloadedBytes: number;
    readonly totalBytes: number | null;
    /** Bytes per second averaged by the downloader; 0 when not running. */
    readonly bytesPerSecond: number;
    /** Seconds left, null when unknown. */
    readonly etaSeconds: number | null;
    /** "failed": one sentence ("No network: …", "Not found: …", "The disk is full: …"). */
    readonly error?: string;
    readonly errorKind?: DownloadErrorKind;
    /** "done": the model's path (it is in the library from then on). */
    readonly modelPath?: string;
    readonly createdAt: string;
    readonly updatedAt: string;
};

export type LibrarySettings = {
    /** Hugging Face endpoint for hf: URIs (mirrors); default from HF_ENDPOINT, else https://huggingface.co. */
    readonly hfEndpoint: string;
    /** Where downloads land. */
    readonly downloadDir: string;
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

/** What a notice is about, so that a newer one on the same topic replaces it: the context's left-out turns, the link to the service. */
export type NoticeTopic = "context" | "connection";

export type ServiceEvent =
    | {readonly type: "status"; readonly status: AppStatus}
    | {readonly type: "generation"; readonly event: GenerationEvent}
    | {readonly type: "conversations"}
    /**
     * A sentence for the user (the oldest turns left out of what the models see, a pair loaded first). A notice with
     * a `topic` replaces the one shown on the same topic (and chat) rather than stacking beside it.
     */
    | {readonly type: "notice"; readonly conversationId: string | null; readonly text: string; readonly topic?: NoticeTopic}
    /** A comparison started, grew or ended (the whole comparison each time). */
    | {readonly type: "comparison"; readonly comparison: Comparison}
    /** The library changed (a source added, removed or switched, a scan ended, a download finished): call listLibrary(). */
    | {readonly type: "library"}
    /** A library scan is running or just ended: counts so far (a few per second at most). */
    | {readonly type: "libraryScan"; readonly progress: ScanProgress}
    /** A download's state or progress (about 4 a second while it runs). */
    | {readonly type: "download"; readonly download: Download};

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

    /**
     * Adds a user message and starts the answer (streamed as events); "busy" while another answer runs. `pair`: the
     * pair the picker shows; the answer uses it, loading it first when another pair is loaded (a notice says so).
     */
    sendMessage(request: {conversationId: string; text: string; pair?: PairRef}): Promise<{userMessage: Message; assistantMessageId: string}>;
    /** Replaces the last assistant answer (or the answer after `messageId`) with a new one (with `pair` as in sendMessage). */
    regenerate(request: {conversationId: string; messageId?: string; pair?: PairRef}): Promise<{assistantMessageId: string}>;
    /** Replaces a user message's text, drops everything after it, and answers again (with `pair` as in sendMessage). */
    editAndResend(request: {
        conversationId: string;
        messageId: string;
        text: string;
        pair?: PairRef;
    }): Promise<{userMessage: Message; assistantMessageId: string}>;
    /** Stops the running answer (no-op when idle). */
    stopGeneration(): Promise<void>;
    /**
     * Runs a user message through expert, sd, cd and scd with one seed (one after another, streamed as
     * `comparison` events) and saves the comparison with the conversation; "busy" while an answer runs, and Stop
     * stops it.
     */
    compareModes(request: {conversationId: string; messageId: string}): Promise<Comparison>;

    // ---------- the model library ----------

    /** Every source and model now (a running scan shows in `scan.scanning`; a "library" event follows when it ends). */
    listLibrary(): Promise<LibrarySnapshot>;
    /** Checks the path (it must exist, be a folder and be readable: else "invalidRequest" with the reason), remembers it, scans it. */
    addModelFolder(request: {path: string}): Promise<LibrarySource>;
    removeModelFolder(request: {path: string}): Promise<void>;
    /** One .gguf file ("Open a file…", drag-and-drop), checked and remembered under the "files" source. */
    addModelFile(request: {path: string}): Promise<LibraryModel>;
    removeModelFile(request: {path: string}): Promise<void>;
    /** Switches a source (a cache, a folder, TANDEM_MODELS_DIR, downloads) off or on; the demo pair cannot be switched off. */
    setSourceEnabled(request: {id: string; enabled: boolean}): Promise<LibrarySource>;
    /** Rescans every enabled source now (also done at start and when a watched folder changes); resolves when it ends. */
    rescanLibrary(): Promise<LibrarySnapshot>;
    /** Every other model against this expert, from headers (nothing loads). */
    pairVerdicts(request: {expertPath: string}): Promise<PairVerdicts>;
    /** Memory this pair needs at this context size (default: the settings' contextSize) against this machine. */
    estimateFit(request: {pair: PairRef; contextSize?: number}): Promise<FitEstimate>;
    /** The built-in recommended pairs, with what is already here. */
    catalogue(): Promise<CatalogueEntry[]>;
    /** Starts a download (an hf: URI or an http(s) URL; else "invalidRequest"); progress comes as "download" events. */
    startDownload(request: {uri: string}): Promise<Download>;
    /** Stops a download and deletes its partial file. */
    cancelDownload(request: {id: string}): Promise<Download>;
    /** Continues a paused (interrupted by a restart) or failed download from where it stopped. */
    resumeDownload(request: {id: string}): Promise<Download>;
    /** Every download, newest first. */
    listDownloads(): Promise<Download[]>;
    /** Removes a finished, failed or cancelled download from the list (never the model file). */
    dismissDownload(request: {id: string}): Promise<void>;
    getLibrarySettings(): Promise<LibrarySettings>;
    updateLibrarySettings(changes: Partial<LibrarySettings>): Promise<LibrarySettings>;
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
