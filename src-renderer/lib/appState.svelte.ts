/**
 * The app's state in one place: what the service last told us (status, settings, models, conversations, the
 * open conversation's messages) and the actions the components call. All service traffic goes through the
 * Connection from `connect()`; streamed text is batched per animation frame (DeltaBatcher). Failed actions
 * become sentences in `errors` (shown as dismissable alerts), never silent.
 */
import type {
    AppStatus,
    Conversation,
    ExportFormat,
    GenerationEvent,
    Message,
    ModelEntry,
    PairRef,
    SearchHit,
    ServiceApi,
    ServiceEvent,
    Settings,
    SettingsOverrides,
    TokenRun,
    CompatibilityCheck
} from "../../src-shared/index.ts";
import type {Connection} from "../transport/index.ts";
import {DeltaBatcher, type PendingDelta} from "./deltaBatcher.ts";
import {appendRunsInPlace} from "./tokenRuns.ts";
import {sortConversations, titleFromMessage} from "./conversations.ts";
import {errorText} from "./errors.ts";
import {effectiveSettings} from "./settingsForm.ts";

/** A message as the view holds it: content and runs grow while it streams. */
export type UiMessage = Omit<Message, "content" | "runs"> & {content: string; runs: TokenRun[] | null};

export type Alert = {readonly id: number; readonly text: string};
export type Notice = {readonly id: number; readonly conversationId: string | null; readonly text: string};

const HIGHLIGHT_KEY = "tandem.highlightTokens";

function uiMessage(message: Message): UiMessage {
    return {...message, runs: message.runs == null ? null : message.runs.slice()};
}

function storedHighlight(): boolean {
    try {
        return globalThis.localStorage?.getItem(HIGHLIGHT_KEY) === "1";
    } catch {
        return false;
    }
}

export class AppState {
    connection: Connection | null = $state(null);
    /** Set when the service cannot be reached at all. */
    connectionError: string | null = $state(null);
    status: AppStatus | null = $state(null);
    settings: Settings | null = $state(null);
    models: ModelEntry[] = $state([]);
    conversations: Conversation[] = $state([]);
    current: Conversation | null = $state(null);
    messages: UiMessage[] = $state([]);
    /** A conversation is being fetched (the chat shows a placeholder). */
    loadingConversation = $state(false);
    /** A message to bring into view once the chat shows it (a search hit); cleared by the view. */
    revealMessageId: string | null = $state(null);
    alerts: Alert[] = $state([]);
    notices: Notice[] = $state([]);
    searchQuery = $state("");
    searchHits: SearchHit[] = $state([]);
    highlightTokens = $state(storedHighlight());

    /** An answer is being written (the service says so, or one of the open chat's messages is streaming). */
    readonly busy = $derived(this.status?.busy === true || this.messages.some((m) => m.status === "streaming"));
    readonly effective: Settings | null = $derived(this.settings == null ? null : effectiveSettings(this.settings, this.current?.overrides));
    readonly contextSize: number | null = $derived(this.status?.engine.state === "ready" ? this.status.engine.contextSize : null);
    readonly pairReady = $derived(this.status?.engine.state === "ready");

    private nextId = 1;
    private searchSeq = 0;
    private unsubscribe: (() => void) | null = null;
    private readonly batcher = new DeltaBatcher(
        (callback) => (typeof requestAnimationFrame === "function" ? requestAnimationFrame(() => callback()) : setTimeout(callback, 16)),
        (batch) => this.applyDeltas(batch)
    );

    private get api(): ServiceApi {
        if (this.connection == null) throw new Error("the service is not connected");
        return this.connection.api;
    }

    /** Connects and loads everything the first screen shows. */
    async start(connectTo: () => Promise<Connection>): Promise<void> {
        try {
            this.connection = await connectTo();
        } catch (error) {
            this.connectionError = errorText(error, "reach the Tandem service");
            return;
        }
        this.unsubscribe = this.connection.subscribe((event) => this.onEvent(event));
        await Promise.all([
            this.run("read the status", async () => void (this.status = await this.api.getStatus())),
            this.run("read the settings", async () => void (this.settings = await this.api.getSettings())),
            this.refreshModels(),
            this.refreshConversations()
        ]);
        const first = this.conversations[0];
        if (first != null && this.current == null) await this.openConversation(first.id);
    }

    stop(): void {
        this.unsubscribe?.();
        this.unsubscribe = null;
    }

    /** Runs `action`; a failure becomes an alert "Could not <what>: …". Returns false when it failed. */
    private async run(what: string, action: () => Promise<void>): Promise<boolean> {
        try {
            await action();
            return true;
        } catch (error) {
            this.alert(errorText(error, what));
            return false;
        }
    }

    alert(text: string): void {
        this.alerts.push({id: this.nextId++, text});
        if (this.alerts.length > 5) this.alerts.splice(0, this.alerts.length - 5);
    }

    dismissAlert(id: number): void {
        this.alerts = this.alerts.filter((a) => a.id !== id);
    }

    dismissNotice(id: number): void {
        this.notices = this.notices.filter((n) => n.id !== id);
    }

    setHighlightTokens(on: boolean): void {
        this.highlightTokens = on;
        try {
            globalThis.localStorage?.setItem(HIGHLIGHT_KEY, on ? "1" : "0");
        } catch {
            // storage unavailable (private window): the toggle still works for this session
        }
    }

    // ---------- events ----------

    private onEvent(event: ServiceEvent): void {
        switch (event.type) {
            case "status":
                this.status = event.status;
                break;
            case "conversations":
                void this.refreshConversations();
                break;
            case "notice":
                this.notices.push({id: this.nextId++, conversationId: event.conversationId, text: event.text});
                if (this.notices.length > 5) this.notices.splice(0, this.notices.length - 5);
                break;
            case "generation":
                this.onGeneration(event.event);
                break;
        }
    }

    private onGeneration(event: GenerationEvent): void {
        if (event.kind === "delta") {
            this.batcher.push(event.conversationId, event.messageId, event.text, event.runs);
            return;
        }
        // Text still waiting for the frame lands before the message is added or replaced.
        this.batcher.flush();
        if (event.conversationId !== this.current?.id) return;
        const index = this.messages.findIndex((m) => m.id === event.message.id);
        if (index >= 0) this.messages[index] = uiMessage(event.message);
        else this.messages.push(uiMessage(event.message));
    }

    private applyDeltas(batch: ReadonlyMap<string, PendingDelta>): void {
        for (const [messageId, delta] of batch) {
            if (delta.conversationId !== this.current?.id) continue;
            const message = this.messages.find((m) => m.id === messageId);
            if (message == null) continue;
            message.content += delta.text;
            // In place: the view cuts only the new runs (a copy per frame would grow with the answer).
            if (message.runs == null) message.runs = [];
            appendRunsInPlace(message.runs, delta.runs);
        }
    }

    // ---------- models and pair ----------

    async refreshModels(): Promise<void> {
        await this.run("list the models", async () => void (this.models = await this.api.listModels()));
    }

    /** The engine's verdict on a pair, or null when the check itself failed (then an alert says why). */
    async checkPair(pair: PairRef): Promise<CompatibilityCheck | null> {
        let result: CompatibilityCheck | null = null;
        await this.run("check the pair", async () => void (result = await this.api.checkPair(pair)));
        return result;
    }

    async loadPair(pair: PairRef): Promise<boolean> {
        return this.run("load the pair", async () => void (this.status = await this.api.loadPair(pair)));
    }

    async unloadPair(): Promise<boolean> {
        return this.run("unload the pair", async () => void (this.status = await this.api.unloadPair()));
    }

    async calibrate(): Promise<boolean> {
        return this.run("measure the expert alone", async () => {
            await this.api.calibrate();
            this.status = await this.api.getStatus();
        });
    }

    // ---------- settings ----------

    async updateSettings(changes: SettingsOverrides): Promise<boolean> {
        return this.run("save the settings", async () => void (this.settings = await this.api.updateSettings(changes)));
    }

    async setOverrides(overrides: SettingsOverrides): Promise<boolean> {
        const id = this.current?.id;
        if (id == null) return false;
        return this.run("save this chat's settings", async () => {
            const updated = await this.api.setConversationOverrides({id, overrides});
            if (this.current?.id === updated.id) this.current = updated;
            this.conversations = this.conversations.map((c) => (c.id === updated.id ? updated : c));
        });
    }

    /** The mode picker in the chat header: changes this chat's override if it has one, else the default. */
    async setMode(mode: Settings["mode"]): Promise<boolean> {
        if (this.current != null && this.current.overrides.mode !== undefined) return this.setOverrides({...this.current.overrides, mode});
        return this.updateSettings({mode});
    }

    // ---------- conversations ----------

    async refreshConversations(): Promise<void> {
        await this.run("list the conversations", async () => {
            const list = sortConversations(await this.api.listConversations());
            this.conversations = list;
            const current = this.current;
            if (current != null) {
                const fresh = list.find((c) => c.id === current.id);
                if (fresh != null) this.current = fresh;
            }
        });
    }

    async openConversation(id: string, revealMessageId?: string): Promise<void> {
        this.loadingConversation = true;
        try {
            await this.run("open the conversation", async () => {
                const {conversation, messages} = await this.api.getConversation({id});
                this.current = conversation;
                this.messages = messages.map(uiMessage);
                this.revealMessageId = revealMessageId ?? null;
            });
        } finally {
            this.loadingConversation = false;
        }
    }

    async newConversation(title?: string): Promise<Conversation | null> {
        let created: Conversation | null = null;
        await this.run("start a new chat", async () => {
            const conversation = await this.api.createConversation(title == null ? {} : {title});
            created = conversation;
            this.current = conversation;
            this.messages = [];
            this.conversations = sortConversations([conversation, ...this.conversations.filter((c) => c.id !== conversation.id)]);
        });
        return created;
    }

    async renameConversation(id: string, title: string): Promise<boolean> {
        return this.run("rename the conversation", async () => {
            const updated = await this.api.renameConversation({id, title});
            this.conversations = this.conversations.map((c) => (c.id === id ? updated : c));
            if (this.current?.id === id) this.current = updated;
        });
    }

    async deleteConversation(id: string): Promise<boolean> {
        return this.run("delete the conversation", async () => {
            await this.api.deleteConversation({id});
            this.conversations = this.conversations.filter((c) => c.id !== id);
            this.searchHits = this.searchHits.filter((h) => h.conversationId !== id);
            if (this.current?.id === id) {
                this.current = null;
                this.messages = [];
                const next = this.conversations[0];
                if (next != null) await this.openConversation(next.id);
            }
        });
    }

    async search(query: string): Promise<void> {
        this.searchQuery = query;
        const seq = ++this.searchSeq;
        if (query.trim() === "") {
            this.searchHits = [];
            return;
        }
        await this.run("search the messages", async () => {
            const hits = await this.api.searchMessages({query: query.trim()});
            if (seq === this.searchSeq) this.searchHits = hits;
        });
    }

    async exportConversation(format: ExportFormat): Promise<void> {
        const id = this.current?.id;
        if (id == null) return;
        await this.run(`export the conversation as ${format === "json" ? "JSON" : "Markdown"}`, async () => {
            const file = await this.api.exportConversation({id, format});
            const url = URL.createObjectURL(new Blob([file.content], {type: file.mimeType}));
            const link = document.createElement("a");
            link.href = url;
            link.download = file.fileName;
            link.rel = "noopener";
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10_000);
        });
    }

    // ---------- answers ----------

    /** Sends `text` in the open chat (starting one when none is open); false when it was not sent. */
    async send(text: string): Promise<boolean> {
        const conversation = this.current ?? (await this.newConversation(titleFromMessage(text)));
        if (conversation == null) return false;
        return this.run("send the message", async () => {
            const {userMessage, assistantMessageId} = await this.api.sendMessage({conversationId: conversation.id, text});
            if (this.current?.id !== conversation.id || this.messages.some((m) => m.id === userMessage.id)) return;
            // The answer's "started" event may have arrived first: the question goes before it.
            const answerAt = this.messages.findIndex((m) => m.id === assistantMessageId);
            this.messages.splice(answerAt >= 0 ? answerAt : this.messages.length, 0, uiMessage(userMessage));
        });
    }

    async stopGeneration(): Promise<void> {
        await this.run("stop the answer", () => this.api.stopGeneration());
    }

    /** Replaces the chat's last answer with a new one. */
    async regenerate(): Promise<boolean> {
        const conversation = this.current;
        if (conversation == null) return false;
        const index = this.messages.findLastIndex((m) => m.role === "assistant");
        const replaced = index >= 0 ? this.messages[index]! : null;
        return this.run("regenerate the answer", async () => {
            const {assistantMessageId} = await this.api.regenerate({conversationId: conversation.id});
            if (replaced != null && replaced.id !== assistantMessageId) this.messages = this.messages.filter((m) => m.id !== replaced.id);
        });
    }

    /** Replaces a user message's text, drops what came after it and answers again. */
    async editAndResend(messageId: string, text: string): Promise<boolean> {
        const conversation = this.current;
        if (conversation == null) return false;
        const index = this.messages.findIndex((m) => m.id === messageId);
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
        const later = new Set(this.messages.slice(index + 1).map((m) => m.id));
        return this.run("resend the edited message", async () => {
            const {userMessage, assistantMessageId} = await this.api.editAndResend({conversationId: conversation.id, messageId, text});
            if (this.current?.id !== conversation.id) return;
            // Keep the new answer if its "started" event already arrived; drop the old tail.
            this.messages = this.messages
                .filter((m) => !later.has(m.id) || m.id === assistantMessageId)
                .map((m) => (m.id === messageId ? uiMessage(userMessage) : m));
        });
    }
}

export const app = new AppState();
