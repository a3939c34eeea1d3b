/**
 * The store's contract: what the service (and later the model library and the local server) may ask of
 * the chat history, settings and speed baselines. The SQLite implementation is sqliteStore.ts. Calls are
 * synchronous (better-sqlite3); every failure is a StoreError whose message a user can read.
 */
import type {
    Conversation, ExportFormat, ExportedConversation, Message, MessageRole, MessageStats, MessageStatus, PairRef, SearchHit,
    SettingsOverrides, SpeedBaseline, TokenRun
} from "../contract/api.ts";

export type StoreErrorKind = "notFound" | "diskFull" | "readOnly" | "corrupt" | "locked" | "io";

export class StoreError extends Error {
    constructor(readonly kind: StoreErrorKind, message: string, options?: {cause?: unknown}) {
        super(message, options);
        this.name = "StoreError";
    }
}

export type NewMessage = {
    readonly conversationId: string;
    readonly role: MessageRole;
    readonly content: string;
    readonly status: MessageStatus;
    readonly seed?: number | null;
};

export type MessagePatch = {
    readonly content?: string;
    readonly status?: MessageStatus;
    readonly error?: string | null;
    readonly stats?: MessageStats | null;
    readonly runs?: readonly TokenRun[] | null;
    readonly seed?: number | null;
};

export interface ChatStore {
    /** Most recently updated first. */
    listConversations(): Conversation[];
    getConversation(id: string): Conversation;
    createConversation(input: {title: string; pair?: PairRef | null; overrides?: SettingsOverrides}): Conversation;
    renameConversation(id: string, title: string): Conversation;
    setConversationPair(id: string, pair: PairRef | null): Conversation;
    setConversationOverrides(id: string, overrides: SettingsOverrides): Conversation;
    /** Deletes the conversation and its messages. */
    deleteConversation(id: string): void;

    /** Oldest first. */
    listMessages(conversationId: string): Message[];
    getMessage(id: string): Message;
    /** Adds a message at the end of its conversation (and bumps the conversation's updatedAt). */
    addMessage(input: NewMessage): Message;
    /** Durable when it returns (a streaming answer is written through this as it grows). */
    updateMessage(id: string, patch: MessagePatch): Message;
    /** Deletes `messageId` (when `inclusive`) and every later message of its conversation. */
    deleteMessagesFrom(conversationId: string, messageId: string, inclusive: boolean): void;
    /** Marks every message still "streaming" as "interrupted" (run at start-up, after a crash); returns how many. */
    markInterrupted(): number;

    /** Full-text search over message text, best matches first. */
    search(query: string, limit?: number): SearchHit[];
    exportConversation(id: string, format: ExportFormat): ExportedConversation;

    /** The global settings the user changed (the rest are the option table's defaults). */
    getSettings(): SettingsOverrides;
    saveSettings(settings: SettingsOverrides): void;

    getBaseline(pairKey: string, device: string): SpeedBaseline | null;
    saveBaseline(baseline: SpeedBaseline): void;

    close(): void;
}
