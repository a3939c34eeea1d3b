/**
 * The service: everything the UI can do, in plain Node (no Electron). It owns the store, the engine process
 * (through EngineSupervisor and PairHost) and the one answer being written at a time, and pushes every
 * change as a ServiceEvent. Transports (Electron IPC, the web bridge) validate requests and call these
 * functions. The local server (src-main/server) is one more caller: `complete` runs a generation for it on
 * the same pair and engine without touching the store, and every generation, the app's and the server's,
 * waits its turn in one GenerationQueue (the two callers take turns; see generationQueue.ts).
 */
import {readFileSync} from "node:fs";
import {
    drawSeed,
    ServiceError,
    type AppStatus,
    type Comparison,
    type CatalogueEntry,
    type LocalServerStatus,
    type CompatibilityCheck,
    type Download,
    type FitEstimate,
    type LibraryModel,
    type LibrarySettings,
    type LibrarySnapshot,
    type LibrarySource,
    type PairVerdicts,
    type Conversation,
    type ConversationWithMessages,
    type ExportFormat,
    type ExportedConversation,
    type Message,
    type ModelEntry,
    type PairRef,
    type SearchHit,
    type ServiceApi,
    type ServiceEvent,
    type Settings,
    type SettingsOverrides,
    type SpeedBaseline
} from "../../src-shared/index.ts";
import type {EngineSupervisor} from "../engineHost/engineSupervisor.ts";
import {type Library, LibraryError} from "../library/index.ts";
import {type ChatStore, StoreError} from "../store/chatStore.ts";
import {AnswerRun} from "./answerRun.ts";
import {CompareRun} from "./compareRun.ts";
import {runCompletion, type CompletionRequest, type CompletionResult} from "./completionRun.ts";
import {GenerationQueue} from "./generationQueue.ts";
import {demoPair} from "./modelListing.ts";
import {describePair, PairHost} from "./pairHost.ts";
import {type LoadDefaults, loadOptionsOf, resolveSettings, sameLoadOptions} from "./settingsResolver.ts";

export interface TandemService extends ServiceApi {
    /** Calls `listener` with every event; returns the unsubscribe function. */
    subscribe(listener: (event: ServiceEvent) => void): () => void;
    /** Stops the running answer, the engine process and the store. */
    close(): Promise<void>;
    /** The pair an answer or a server request without one would use: loaded, else chosen last, else the demo pair. */
    currentPair(): PairRef;
    /** One generation for the local server: queued with the app's answers, streamed to its callbacks, never stored. */
    complete(request: CompletionRequest): Promise<CompletionResult>;
    /** Loads `pair` with `settings` over the global settings (as `complete` would) and waits for its calibration. */
    preparePair(request: {pair: PairRef; settings: SettingsOverrides}): Promise<void>;
    /** Gives the service the shell's local server switch: it follows the settings, and its state shows in the status. */
    attachLocalServer(control: LocalServerControl): Promise<void>;
}

/** The local server as the service drives it (src-main/server's LocalServerSwitch). */
export interface LocalServerControl {
    readonly status: LocalServerStatus;
    apply(settings: Settings): Promise<LocalServerStatus>;
    close(): Promise<void>;
}

/** Most local-server requests waiting for the pair at once; one more is refused (429). */
export const SERVER_QUEUE_LIMIT = 8;

export type ServiceParts = {
    readonly store: ChatStore;
    readonly supervisor: EngineSupervisor;
    readonly demoModelsDir: string;
    /** Models folders, caches, downloads: every model the user can pick (TANDEM_MODELS_DIR is one of its sources). */
    readonly library: Library;
    readonly loadDefaults: LoadDefaults;
};

export const DEFAULT_TITLE = "New chat";
const TITLE_LENGTH = 60;

function appVersion(): string {
    try {
        const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {version?: string};
        return pkg.version ?? "unknown";
    } catch {
        return "unknown";
    }
}

/** Store failures become ServiceErrors: a missing id is "notFound", anything else "storage". */
function stored<T>(action: () => T): T {
    try {
        return action();
    } catch (error) {
        if (error instanceof StoreError) throw new ServiceError(error.kind === "notFound" ? "notFound" : "storage", error.message);
        throw error;
    }
}

/** Library refusals (a path that is not a folder, an unknown source, a bad URI) are the request's fault: "invalidRequest". */
async function library<T>(action: () => Promise<T>): Promise<T> {
    try {
        return await action();
    } catch (error) {
        if (error instanceof LibraryError) throw new ServiceError("invalidRequest", error.message);
        if (error instanceof StoreError) throw new ServiceError(error.kind === "notFound" ? "notFound" : "storage", error.message);
        throw error;
    }
}

export class Service implements TandemService {
    private readonly listeners = new Set<(event: ServiceEvent) => void>();
    private readonly pairs: PairHost;
    private readonly version = appVersion();
    /** The one answer (or comparison of modes) being written. */
    private answer: {readonly conversationId: string; stop(): void} | null = null;
    private answerDone: Promise<unknown> = Promise.resolve();
    /** The pair the user chose last (loaded or not); an answer with nothing loaded loads it, else the demo pair. */
    private chosenPair: PairRef | null = null;
    /** The one line in front of the engine: the app's answers and the local server's requests. */
    private readonly queue = new GenerationQueue({app: Infinity, server: SERVER_QUEUE_LIMIT});
    private localServer: LocalServerControl | null = null;

    constructor(private readonly parts: ServiceParts) {
        this.pairs = new PairHost(parts.supervisor, parts.store, () => this.emitStatus());
    }

    /**
     * Starts the engine process and loads the pair used last (the one chosen, else the most recent conversation's)
     * in the background, so the first answer does not wait for it; calibration follows when idle. A fresh install
     * has none: it stays idle, and the first-run welcome offers the demo pair (an answer loads it, saying how long
     * it waited). A failure is reported through the engine status, like any load.
     */
    warmUp(): void {
        if (this.pairs.loaded != null || this.pairs.isLoading || this.answer != null) return;
        let recent: PairRef | null = null;
        try {
            recent = this.parts.store.listConversations().find((conversation) => conversation.pair != null)?.pair ?? null;
        } catch {
            // The store says so itself on the first request.
        }
        const pair = this.chosenPair ?? recent;
        if (pair == null) return;
        this.chosenPair = pair;
        void this.pairs.load(pair, this.loadOptions(this.globalSettings())).catch(() => undefined);
    }

    /** The supervisor's crash callback lands here (see createService). */
    engineCrashed(message: string): void {
        this.pairs.engineCrashed(message);
    }

    subscribe(listener: (event: ServiceEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Resolves when the answer being written (if any) has ended. */
    whenIdle(): Promise<unknown> {
        return this.answerDone;
    }

    async close(): Promise<void> {
        await this.localServer?.close();
        this.answer?.stop();
        await this.answerDone;
        // Downloads pause (their partial files kept for resume) before the store closes.
        await this.parts.library.close();
        await this.parts.supervisor.close();
        this.parts.store.close();
        this.listeners.clear();
    }

    // ---------- status and pairs ----------

    async getStatus(): Promise<AppStatus> {
        return this.status();
    }

    /** The library's models in the first app's shape (waits for the first scan, if one runs). */
    async listModels(): Promise<ModelEntry[]> {
        await this.parts.library.settled();
        return this.parts.library.modelEntries();
    }

    /** Header checks in a user's words (the rules the engine applies), with warnings such as an amateur that is not smaller. */
    async checkPair(pair: PairRef): Promise<CompatibilityCheck> {
        return this.parts.library.checkPair(pair);
    }

    async loadPair(pair: PairRef): Promise<AppStatus> {
        this.refuseWhileGenerating("load a pair");
        await this.pairs.load(pair, this.loadOptions(this.globalSettings()));
        this.chosenPair = pair;
        return this.status();
    }

    async unloadPair(): Promise<AppStatus> {
        this.refuseWhileGenerating("unload the pair");
        await this.pairs.unload();
        return this.status();
    }

    async calibrate(): Promise<SpeedBaseline> {
        this.refuseWhileGenerating("calibrate");
        return this.pairs.calibrate();
    }

    // ---------- settings ----------

    async getSettings(): Promise<Settings> {
        return this.globalSettings();
    }

    /** Saves the changes; a change of a load-scope option reloads the loaded pair (now when idle, else before the next answer). */
    async updateSettings(changes: SettingsOverrides): Promise<Settings> {
        const saved = {...stored(() => this.parts.store.getSettings()), ...changes};
        stored(() => this.parts.store.saveSettings(saved));
        const settings = this.globalSettings();
        const loaded = this.pairs.loaded;
        if (
            loaded != null &&
            this.answer == null &&
            !this.serverActive() &&
            !this.pairs.isLoading &&
            !sameLoadOptions(loaded.options, this.loadOptions(settings))
        ) {
            // A failed reload is reported through the engine status; the settings are saved either way.
            await this.pairs.load(loaded.pair, this.loadOptions(settings)).catch(() => undefined);
        }
        if (this.localServer != null) {
            await this.localServer.apply(settings);
            this.emitStatus();
        }
        return settings;
    }

    // ---------- conversations ----------

    async listConversations(): Promise<Conversation[]> {
        return stored(() => this.parts.store.listConversations());
    }

    /**
     * A new chat. Without a title (the "New chat" button) an untouched one is reused if there is one (the
     * default title, no settings of its own, no messages), brought to the top with the loaded pair, so repeated
     * clicks leave one empty chat in the list, not one per click.
     */
    async createConversation(request: {title?: string}): Promise<Conversation> {
        const pair = this.pairs.loaded?.pair ?? null;
        const conversation = stored(() => {
            const store = this.parts.store;
            const empty =
                request.title == null
                    ? store
                          .listConversations()
                          .find((c) => c.title === DEFAULT_TITLE && Object.keys(c.overrides).length === 0 && store.listMessages(c.id).length === 0)
                    : undefined;
            return empty != null
                ? store.setConversationPair(empty.id, pair)
                : store.createConversation({title: request.title ?? DEFAULT_TITLE, pair});
        });
        this.emit({type: "conversations"});
        return conversation;
    }

    async renameConversation(request: {id: string; title: string}): Promise<Conversation> {
        const conversation = stored(() => this.parts.store.renameConversation(request.id, request.title));
        this.emit({type: "conversations"});
        return conversation;
    }

    async deleteConversation(request: {id: string}): Promise<void> {
        if (this.answer?.conversationId === request.id) {
            this.answer.stop();
            await this.answerDone;
        }
        stored(() => this.parts.store.deleteConversation(request.id));
        this.emit({type: "conversations"});
    }

    async getConversation(request: {id: string}): Promise<ConversationWithMessages> {
        return stored(() => ({
            conversation: this.parts.store.getConversation(request.id),
            messages: this.parts.store.listMessages(request.id),
            comparisons: this.parts.store.listComparisons(request.id)
        }));
    }

    async setConversationOverrides(request: {id: string; overrides: SettingsOverrides}): Promise<Conversation> {
        const conversation = stored(() => this.parts.store.setConversationOverrides(request.id, request.overrides));
        this.emit({type: "conversations"});
        return conversation;
    }

    async searchMessages(request: {query: string}): Promise<SearchHit[]> {
        return stored(() => this.parts.store.search(request.query));
    }

    async exportConversation(request: {id: string; format: ExportFormat}): Promise<ExportedConversation> {
        return stored(() => this.parts.store.exportConversation(request.id, request.format));
    }

    // ---------- answers ----------

    async sendMessage(request: {conversationId: string; text: string; pair?: PairRef}): Promise<{userMessage: Message; assistantMessageId: string}> {
        this.refuseWhileAnswering("send a message");
        const conversation = stored(() => this.parts.store.getConversation(request.conversationId));
        const userMessage = stored(() =>
            this.parts.store.addMessage({conversationId: conversation.id, role: "user", content: request.text, status: "done"})
        );
        this.titleFromFirstMessage(conversation, request.text);
        return {userMessage, assistantMessageId: this.startAnswer(conversation, request.pair)};
    }

    async regenerate(request: {conversationId: string; messageId?: string; pair?: PairRef}): Promise<{assistantMessageId: string}> {
        this.refuseWhileAnswering("write another answer");
        const {store} = this.parts;
        const conversation = stored(() => store.getConversation(request.conversationId));
        const messages = stored(() => store.listMessages(conversation.id));
        const target = request.messageId == null ? messages.at(-1) : messages.find((m) => m.id === request.messageId);
        if (target == null) {
            throw new ServiceError(
                "notFound",
                request.messageId == null ? "this conversation has no messages to answer" : `message ${request.messageId} is not in this conversation`
            );
        }
        // An assistant message is replaced (with everything after it); after a user message, the answer(s) following it are.
        if (target.role === "assistant") stored(() => store.deleteMessagesFrom(conversation.id, target.id, true));
        else stored(() => store.deleteMessagesFrom(conversation.id, target.id, false));
        const last = stored(() => store.listMessages(conversation.id)).at(-1);
        if (last == null || last.role !== "user") throw new ServiceError("notFound", "there is no user message before this answer to answer again");
        return {assistantMessageId: this.startAnswer(conversation, request.pair)};
    }

    async editAndResend(request: {
        conversationId: string;
        messageId: string;
        text: string;
        pair?: PairRef;
    }): Promise<{userMessage: Message; assistantMessageId: string}> {
        this.refuseWhileAnswering("resend a message");
        const {store} = this.parts;
        const conversation = stored(() => store.getConversation(request.conversationId));
        const original = stored(() => store.getMessage(request.messageId));
        if (original.conversationId !== conversation.id)
            throw new ServiceError("notFound", `message ${request.messageId} is not in this conversation`);
        if (original.role !== "user") throw new ServiceError("invalidRequest", "only your own messages can be edited and sent again");
        stored(() => store.deleteMessagesFrom(conversation.id, original.id, false));
        const userMessage = stored(() => store.updateMessage(original.id, {content: request.text}));
        return {userMessage, assistantMessageId: this.startAnswer(conversation, request.pair)};
    }

    async stopGeneration(): Promise<void> {
        this.answer?.stop();
    }

    async compareModes(request: {conversationId: string; messageId: string}): Promise<Comparison> {
        this.refuseWhileAnswering("compare modes");
        const {store} = this.parts;
        const conversation = stored(() => store.getConversation(request.conversationId));
        const message = stored(() => store.getMessage(request.messageId));
        if (message.conversationId !== conversation.id)
            throw new ServiceError("notFound", `message ${request.messageId} is not in this conversation`);
        if (message.role !== "user") throw new ServiceError("invalidRequest", "only your own messages can be compared across modes");
        const settings = resolveSettings(
            stored(() => store.getSettings()),
            conversation.overrides
        );
        const engine = this.pairs.engine;
        const loading = engine.state === "loading" ? engine.pair : null;
        const pair = this.pairs.loaded?.pair ?? loading ?? this.chosenPair ?? conversation.pair ?? demoPair(this.parts.demoModelsDir);
        const run = new CompareRun(
            {store, supervisor: this.parts.supervisor, pairs: this.pairs, emit: (event) => this.emit(event)},
            {conversationId: conversation.id, message, pair, loadOptions: this.loadOptions(settings), settings, seed: settings.seed ?? drawSeed()}
        );
        const started = stored(() => run.start());
        this.answer = run;
        this.emit({type: "comparison", comparison: started});
        this.emitStatus();
        // Its turn in the queue, like an answer's (the local server's requests take turns with it).
        const compare = () =>
            run.run().finally(() => {
                this.answer = null;
                this.emitStatus();
            });
        this.answerDone = this.queue.run("app", compare, run.stopSignal).catch(compare);
        return started;
    }

    // ---------- the local server ----------

    currentPair(): PairRef {
        return this.pairs.loaded?.pair ?? this.chosenPair ?? demoPair(this.parts.demoModelsDir);
    }

    complete(request: CompletionRequest): Promise<CompletionResult> {
        const settings = resolveSettings(
            stored(() => this.parts.store.getSettings()),
            request.settings
        );
        const pair = request.pair ?? this.currentPair();
        const plan = {pair, loadOptions: this.loadOptions(settings), settings, seed: settings.seed ?? drawSeed(), enqueuedAt: performance.now()};
        return this.queue.run("server", () => runCompletion({supervisor: this.parts.supervisor, pairs: this.pairs}, plan, request), request.signal);
    }

    async preparePair(request: {pair: PairRef; settings: SettingsOverrides}): Promise<void> {
        const settings = resolveSettings(
            stored(() => this.parts.store.getSettings()),
            request.settings
        );
        await this.queue.run("server", async () => {
            await this.pairs.ensure(request.pair, this.loadOptions(settings));
            this.chosenPair = request.pair;
            // At the server's start: its answers then all carry a measured speedup (an answer never waits for one).
            await this.pairs.calibrationSettled();
        });
    }

    async attachLocalServer(control: LocalServerControl): Promise<void> {
        this.localServer = control;
        await control.apply(this.globalSettings());
        this.emitStatus();
    }

    // ---------- the model library ----------

    async listLibrary(): Promise<LibrarySnapshot> {
        return this.parts.library.snapshot();
    }

    async addModelFolder(request: {path: string}): Promise<LibrarySource> {
        return library(() => this.parts.library.addFolder(request.path));
    }

    async removeModelFolder(request: {path: string}): Promise<void> {
        await library(() => this.parts.library.removeFolder(request.path));
    }

    async addModelFile(request: {path: string}): Promise<LibraryModel> {
        return library(() => this.parts.library.addFile(request.path));
    }

    async removeModelFile(request: {path: string}): Promise<void> {
        await library(() => this.parts.library.removeFile(request.path));
    }

    async setSourceEnabled(request: {id: string; enabled: boolean}): Promise<LibrarySource> {
        return library(() => this.parts.library.setSourceEnabled(request.id, request.enabled));
    }

    async rescanLibrary(): Promise<LibrarySnapshot> {
        return library(() => this.parts.library.scan());
    }

    async pairVerdicts(request: {expertPath: string}): Promise<PairVerdicts> {
        return library(() => this.parts.library.pairVerdicts(request.expertPath));
    }

    /**
     * The fit by node-llama-cpp's resolvers, run in the engine process (they need llama.cpp; it starts the process if
     * it is not running, and loads nothing); the header estimate when that fails.
     */
    async estimateFit(request: {pair: PairRef; contextSize?: number}): Promise<FitEstimate> {
        const settings = this.globalSettings();
        const contextSize = request.contextSize ?? settings.contextSize;
        const {threads, cpu} = this.loadOptions(settings);
        const resolve = () =>
            this.parts.supervisor.request(
                {
                    type: "estimateFit",
                    expertPath: request.pair.expertPath,
                    amateurPath: request.pair.amateurPath,
                    contextSize,
                    options: {threads, cpu}
                },
                "estimating the pair's memory"
            ).result;
        return library(() => this.parts.library.estimateFit(request.pair, contextSize, resolve));
    }

    async catalogue(): Promise<CatalogueEntry[]> {
        return library(() => this.parts.library.catalogue());
    }

    async startDownload(request: {uri: string}): Promise<Download> {
        return library(() => this.parts.library.startDownload(request.uri));
    }

    async cancelDownload(request: {id: string}): Promise<Download> {
        return library(() => this.parts.library.downloads.cancel(this.downloadId(request.id)));
    }

    async resumeDownload(request: {id: string}): Promise<Download> {
        return library(() => this.parts.library.downloads.resume(this.downloadId(request.id)));
    }

    async listDownloads(): Promise<Download[]> {
        return this.parts.library.downloads.list();
    }

    async dismissDownload(request: {id: string}): Promise<void> {
        const id = this.downloadId(request.id);
        if (this.parts.library.downloads.isRunning(id)) throw new ServiceError("busy", "this download is still running; cancel it first");
        this.parts.library.downloads.dismiss(id);
    }

    async getLibrarySettings(): Promise<LibrarySettings> {
        return this.parts.library.settings();
    }

    async updateLibrarySettings(changes: Partial<LibrarySettings>): Promise<LibrarySettings> {
        return library(() => this.parts.library.updateSettings(changes));
    }

    private downloadId(id: string): string {
        if (this.parts.library.downloads.get(id) == null) throw new ServiceError("notFound", `there is no download ${JSON.stringify(id)}`);
        return id;
    }

    // ---------- internals ----------

    /**
     * Starts an answer with `chosen` (the pair the picker shows) when given, else the pair chosen last, the loaded
     * one, the conversation's, or the demo pair. A pair other than the loaded one is loaded first, and a notice says so.
     */
    private startAnswer(conversation: Conversation, chosen?: PairRef): string {
        if (chosen != null) this.chosenPair = chosen;
        const settings = resolveSettings(
            stored(() => this.parts.store.getSettings()),
            conversation.overrides
        );
        const assistant = stored(() =>
            this.parts.store.addMessage({
                conversationId: conversation.id,
                role: "assistant",
                content: "",
                status: "streaming",
                seed: settings.seed ?? drawSeed()
            })
        );
        const engine = this.pairs.engine;
        const loading = engine.state === "loading" ? engine.pair : null;
        const pair = this.chosenPair ?? this.pairs.loaded?.pair ?? loading ?? conversation.pair ?? demoPair(this.parts.demoModelsDir);
        const loaded = this.pairs.loaded?.pair ?? loading;
        if (loaded == null || loaded.expertPath !== pair.expertPath || loaded.amateurPath !== pair.amateurPath) {
            this.emit({type: "notice", conversationId: conversation.id, text: `Loading ${describePair(pair)} before answering…`});
        }
        const run = new AnswerRun(
            {store: this.parts.store, supervisor: this.parts.supervisor, pairs: this.pairs, emit: (event) => this.emit(event)},
            {assistant, pair, loadOptions: this.loadOptions(settings), settings}
        );
        this.answer = run;
        this.emit({type: "generation", event: {kind: "started", conversationId: conversation.id, message: assistant}});
        this.emit({type: "conversations"});
        this.emitStatus();
        // Its turn in the queue; stopped while waiting, it leaves the line and ends as stopped without running.
        const answer = () =>
            run.run().finally(() => {
                this.answer = null;
                this.emitStatus();
                this.emit({type: "conversations"});
            });
        this.answerDone = this.queue.run("app", answer, run.stopSignal).catch(answer);
        return assistant.id;
    }

    private titleFromFirstMessage(conversation: Conversation, text: string): void {
        if (conversation.title !== DEFAULT_TITLE) return;
        const firstLine = text.trim().split(/\r?\n/)[0]!.trim();
        if (firstLine.length === 0) return;
        const title = firstLine.length > TITLE_LENGTH ? `${firstLine.slice(0, TITLE_LENGTH - 1)}…` : firstLine;
        stored(() => this.parts.store.renameConversation(conversation.id, title));
    }

    /** Loading, unloading and calibrating need the engine to themselves: refused while anything generates or waits to. */
    private refuseWhileGenerating(what: string): void {
        this.refuseWhileAnswering(what);
        if (this.serverActive()) throw new ServiceError("busy", `the local server is answering a request; try again in a moment to ${what}`);
    }

    /** A local-server request runs or waits (the app's own answer is `this.answer`). */
    private serverActive(): boolean {
        const {running, waiting} = this.queue.state;
        return running === "server" || waiting.server > 0;
    }

    private refuseWhileAnswering(what: string): void {
        if (this.answer != null)
            throw new ServiceError(
                "busy",
                `an answer is still being written; wait for it to finish (or stop it in the window that asked for it) before you ${what}`
            );
    }

    private globalSettings(): Settings {
        return resolveSettings(stored(() => this.parts.store.getSettings()));
    }

    private loadOptions(settings: Settings) {
        return loadOptionsOf(settings, this.parts.loadDefaults);
    }

    private status(): AppStatus {
        const crash = this.pairs.lastEngineCrash;
        return {
            engine: this.pairs.engine,
            busy: this.answer != null,
            calibration: this.pairs.calibration,
            ...(crash != null ? {lastEngineCrash: crash} : {}),
            version: this.version,
            ...(this.localServer != null ? {server: this.localServer.status} : {})
        };
    }

    private emitStatus(): void {
        this.emit({type: "status", status: this.status()});
    }

    /** The library's events (scan progress, changes, downloads) go to every listener like the service's own. */
    publish(event: ServiceEvent): void {
        this.emit(event);
    }

    private emit(event: ServiceEvent): void {
        for (const listener of this.listeners) {
            try {
                listener(event);
            } catch (error) {
                // One broken listener (a closed window) must not stop the others or the answer.
                console.error("a service event listener failed:", error);
            }
        }
    }
}
