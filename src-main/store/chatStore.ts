/**
 * The store's contract: what the service (and later the model library and the local server) may ask of
 * the chat history, settings and speed baselines. The SQLite implementation is sqliteStore.ts. Calls are
 * synchronous (better-sqlite3); every failure is a StoreError whose message a user can read.
 */
import type {
    Comparison,
    Conversation,
    ExportFormat,
    ExportedConversation,
    Message,
    MessageRole,
    MessageStats,
    MessageStatus,
    PairRef,
    SearchHit,
    SettingsOverrides,
    SpeedBaseline,
    TokenRun
} from "../../src-shared/index.ts";
import type {LibraryStore} from "./libraryStore.ts";

export {StoreError, type StoreErrorKind} from "./storeError.ts";

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

/** The tokens the models held after an answer (its prompt, then its generated tokens), and the pair that made them. */
export type AnswerTokens = {readonly pairKey: string; readonly tokens: readonly number[]};

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
    /**
     * Durable against the process being killed when it returns (a streaming answer is written through this as
     * it grows; answerWriter.ts batches the deltas). Also bumps the conversation's updatedAt.
     */
    updateMessage(id: string, patch: MessagePatch): Message;
    /** Deletes `messageId` (when `inclusive`) and every later message of its conversation. */
    deleteMessagesFrom(conversationId: string, messageId: string, inclusive: boolean): void;
    /** Marks every message still "streaming" as "interrupted" (run at start-up, after a crash); returns how many. */
    markInterrupted(): number;

    /** Full-text search over message text, best matches first. */
    search(query: string, limit?: number): SearchHit[];
    exportConversation(id: string, format: ExportFormat): ExportedConversation;

    /**
     * The global settings the user changed (the rest are the option table's defaults). Keys the option table no
     * longer knows, and values outside its ranges, are left out.
     */
    getSettings(): SettingsOverrides;
    /** Replaces the whole set of changed settings (a key left out goes back to its default). */
    saveSettings(settings: SettingsOverrides): void;

    getBaseline(pairKey: string, device: string): SpeedBaseline | null;
    saveBaseline(baseline: SpeedBaseline): void;

    /** The token stream an answer left in the models' caches (null when none was stored: an older or failed answer). */
    getAnswerTokens(messageId: string): AnswerTokens | null;
    /** Stores it with the answer (deleted with the message). */
    saveAnswerTokens(messageId: string, answer: AnswerTokens): void;

    /** The conversation's comparisons of modes, oldest first. */
    listComparisons(conversationId: string): Comparison[];
    /** Inserts or updates (status, columns) a comparison; deleted with its message or conversation. */
    saveComparison(comparison: Comparison): void;
    /** What the model library remembers (folders, files, switched-off sources, its settings, downloads). */
    readonly library: LibraryStore;

    close(): void;
}
