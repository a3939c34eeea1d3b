/**
 * The chats: the list (most recent first), the open conversation and its messages, search over all messages,
 * and the answers as they stream in. Streamed text is batched per animation frame (DeltaBatcher); a message's
 * "started" and "finished" events replace it whole. Per-chat settings overrides live here too, since they
 * belong to the conversation.
 */
import type {
    Conversation,
    ExportFormat,
    ExportedConversation,
    GenerationEvent,
    Message,
    PairRef,
    SearchHit,
    Settings,
    SettingsOverrides,
    TokenRun
} from "../../../src-shared/index.ts";
import {DeltaBatcher, type FrameScheduler, type PendingDelta} from "../deltaBatcher.ts";
import {appendRunsInPlace} from "../tokenRuns.ts";
import {sortConversations, titleFromMessage} from "../conversations.ts";
import {effectiveSettings} from "../settingsForm.ts";
import type {SettingsStore} from "./settingsStore.svelte.ts";
import type {StatusStore} from "./statusStore.svelte.ts";

/** A message as the view holds it: content and runs grow while it streams. */
export type UiMessage = Omit<Message, "content" | "runs"> & {content: string; runs: TokenRun[] | null};

export function uiMessage(message: Message): UiMessage {
    return {...message, runs: message.runs == null ? null : message.runs.slice()};
}

/** Before the next frame in the page; a 16 ms timer where no frames exist (tests, background). */
export const frameScheduler: FrameScheduler = (callback) =>
    void (typeof requestAnimationFrame === "function" ? requestAnimationFrame(() => callback()) : setTimeout(callback, 16));

/** Hands an exported conversation to the user (a download in the page). */
export type FileSaver = (file: ExportedConversation) => void;

export function downloadInPage(file: ExportedConversation): void {
    const url = URL.createObjectURL(new Blob([file.content], {type: file.mimeType}));
    const link = document.createElement("a");
    link.href = url;
    link.download = file.fileName;
    link.rel = "noopener";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type ConversationsOptions = {
    /** Frames for the streamed text (requestAnimationFrame in the page). */
    readonly schedule?: FrameScheduler;
    readonly saveFile?: FileSaver;
    /** The pair the picker shows: answers use it, and the service loads it first when another one is loaded. */
    readonly pairForAnswer?: () => PairRef | null;
};

export class ConversationsStore {
    private readonly session: StatusStore;
    private readonly settingsStore: SettingsStore;
    conversations: Conversation[] = $state([]);
    current: Conversation | null = $state(null);
    messages: UiMessage[] = $state([]);
    /** A conversation is being fetched (the chat shows a placeholder). */
    loadingConversation = $state(false);
    /** A message to bring into view once the chat shows it (a search hit); cleared by the view. */
    revealMessageId: string | null = $state(null);
    searchQuery = $state("");
    searchHits: SearchHit[] = $state([]);

    /** One of the open chat's messages is streaming. */
    readonly streaming = $derived(this.messages.some((m) => m.status === "streaming"));
    /** The open chat's settings: its overrides over the global defaults. */
    readonly effective: Settings | null = $derived.by(() => {
        const defaults = this.settingsStore.settings;
        return defaults == null ? null : effectiveSettings(defaults, this.current?.overrides);
    });

    private searchSeq = 0;
    private readonly batcher: DeltaBatcher;
    private readonly saveFile: FileSaver;
    /** The pair an answer should use (the one the picker shows), or null for the service's choice. */
    private readonly pairForAnswer: () => PairRef | null;

    constructor(session: StatusStore, settingsStore: SettingsStore, options: ConversationsOptions = {}) {
        this.session = session;
        this.settingsStore = settingsStore;
        this.batcher = new DeltaBatcher(options.schedule ?? frameScheduler, (batch) => this.applyDeltas(batch));
        this.saveFile = options.saveFile ?? downloadInPage;
        this.pairForAnswer = options.pairForAnswer ?? (() => null);
    }

    private withPair<R extends object>(request: R): R & {pair?: PairRef} {
        const pair = this.pairForAnswer();
        return pair == null ? request : {...request, pair};
    }

    // ---------- streamed answers ----------

    onGeneration(event: GenerationEvent): void {
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

    // ---------- the list ----------

    async refresh(): Promise<boolean> {
        return this.session.run("list the conversations", async () => {
            const list = sortConversations(await this.session.api.listConversations());
            this.conversations = list;
            const current = this.current;
            if (current != null) {
                const fresh = list.find((c) => c.id === current.id);
                if (fresh != null) this.current = fresh;
            }
        });
    }

    async open(id: string, revealMessageId?: string): Promise<boolean> {
        this.loadingConversation = true;
        try {
            return await this.session.run("open the conversation", async () => {
                const {conversation, messages} = await this.session.api.getConversation({id});
                this.current = conversation;
                this.messages = messages.map(uiMessage);
                this.revealMessageId = revealMessageId ?? null;
            });
        } finally {
            this.loadingConversation = false;
        }
    }

    async create(title?: string): Promise<Conversation | null> {
        let created: Conversation | null = null;
        await this.session.run("start a new chat", async () => {
            const conversation = await this.session.api.createConversation(title == null ? {} : {title});
            created = conversation;
            this.current = conversation;
            this.messages = [];
            this.conversations = sortConversations([conversation, ...this.conversations.filter((c) => c.id !== conversation.id)]);
        });
        return created;
    }

    async rename(id: string, title: string): Promise<boolean> {
        return this.session.run("rename the conversation", async () => {
            const updated = await this.session.api.renameConversation({id, title});
            this.replace(updated);
        });
    }

    async remove(id: string): Promise<boolean> {
        return this.session.run("delete the conversation", async () => {
            await this.session.api.deleteConversation({id});
            this.conversations = this.conversations.filter((c) => c.id !== id);
            this.searchHits = this.searchHits.filter((h) => h.conversationId !== id);
            if (this.current?.id === id) {
                this.current = null;
                this.messages = [];
                const next = this.conversations[0];
                if (next != null) await this.open(next.id);
            }
        });
    }

    /** Searches all messages; an answer that arrives after a newer query started is dropped. */
    async search(query: string): Promise<void> {
        this.searchQuery = query;
        const seq = ++this.searchSeq;
        if (query.trim() === "") {
            this.searchHits = [];
            return;
        }
        await this.session.run("search the messages", async () => {
            const hits = await this.session.api.searchMessages({query: query.trim()});
            if (seq === this.searchSeq) this.searchHits = hits;
        });
    }

    async exportCurrent(format: ExportFormat): Promise<boolean> {
        const id = this.current?.id;
        if (id == null) return false;
        return this.session.run(`export the conversation as ${format === "json" ? "JSON" : "Markdown"}`, async () => {
            this.saveFile(await this.session.api.exportConversation({id, format}));
        });
    }

    // ---------- per-chat settings ----------

    async setOverrides(overrides: SettingsOverrides): Promise<boolean> {
        const id = this.current?.id;
        if (id == null) return false;
        return this.session.run("save this chat's settings", async () => {
            this.replace(await this.session.api.setConversationOverrides({id, overrides}));
        });
    }

    /** The mode picker in the chat header: changes this chat's override if it has one, else the default. */
    async setMode(mode: Settings["mode"]): Promise<boolean> {
        if (this.current != null && this.current.overrides.mode !== undefined) return this.setOverrides({...this.current.overrides, mode});
        return this.settingsStore.update({mode});
    }

    private replace(updated: Conversation): void {
        this.conversations = this.conversations.map((c) => (c.id === updated.id ? updated : c));
        if (this.current?.id === updated.id) this.current = updated;
    }

    // ---------- answers ----------

    /** Sends `text` in the open chat (starting one when none is open); false when it was not sent. */
    async send(text: string): Promise<boolean> {
        const conversation = this.current ?? (await this.create(titleFromMessage(text)));
        if (conversation == null) return false;
        return this.session.run("send the message", async () => {
            const {userMessage, assistantMessageId} = await this.session.api.sendMessage(this.withPair({conversationId: conversation.id, text}));
            if (this.current?.id !== conversation.id || this.messages.some((m) => m.id === userMessage.id)) return;
            // The answer's "started" event may have arrived first: the question goes before it.
            const answerAt = this.messages.findIndex((m) => m.id === assistantMessageId);
            this.messages.splice(answerAt >= 0 ? answerAt : this.messages.length, 0, uiMessage(userMessage));
        });
    }

    async stop(): Promise<boolean> {
        return this.session.run("stop the answer", () => this.session.api.stopGeneration());
    }

    /** Replaces the chat's last answer with a new one. */
    async regenerate(): Promise<boolean> {
        const conversation = this.current;
        if (conversation == null) return false;
        const index = this.messages.findLastIndex((m) => m.role === "assistant");
        const replaced = index >= 0 ? this.messages[index]! : null;
        return this.session.run("regenerate the answer", async () => {
            const {assistantMessageId} = await this.session.api.regenerate(this.withPair({conversationId: conversation.id}));
            if (replaced != null && replaced.id !== assistantMessageId) this.messages = this.messages.filter((m) => m.id !== replaced.id);
        });
    }

    /** Replaces a user message's text, drops what came after it and answers again. */
    async editAndResend(messageId: string, text: string): Promise<boolean> {
        const conversation = this.current;
        if (conversation == null) return false;
        const index = this.messages.findIndex((m) => m.id === messageId);
        const later = this.messages.slice(index + 1).map((m) => m.id);
        return this.session.run("resend the edited message", async () => {
            const {userMessage, assistantMessageId} = await this.session.api.editAndResend(
                this.withPair({conversationId: conversation.id, messageId, text})
            );
            if (this.current?.id !== conversation.id) return;
            // Keep the new answer if its "started" event already arrived; drop the old tail.
            this.messages = this.messages
                .filter((m) => !later.includes(m.id) || m.id === assistantMessageId)
                .map((m) => (m.id === messageId ? uiMessage(userMessage) : m));
        });
    }
}
