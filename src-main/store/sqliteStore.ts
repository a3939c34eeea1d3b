/**
 * ChatStore on one SQLite file (better-sqlite3: synchronous calls, one connection). Schema and migrations are
 * in migrations.ts, opening and durability in database.ts, row mapping in rows.ts, search syntax in
 * searchQuery.ts, export formats in exportFormat.ts. Every failure leaves as a StoreError (storeErrors.ts);
 * every write is one transaction, so a failed write (a full disk, say) changes nothing.
 */
import {randomUUID} from "node:crypto";
import path from "node:path";
import type Database from "better-sqlite3";
import {
    type Comparison,
    type ComparisonColumn,
    optionProblems,
    type Conversation,
    type ExportFormat,
    type ExportedConversation,
    type Message,
    type PairRef,
    type SearchHit,
    type SettingsOverrides,
    type SpeedBaseline
} from "../../src-shared/index.ts";
import {type AnswerTokens, type ChatStore, type MessagePatch, type NewMessage, StoreError} from "./chatStore.ts";
import {openDatabase} from "./database.ts";
import {type LibraryStore, SqliteLibraryStore} from "./libraryStore.ts";
import {exportConversationAs} from "./exportFormat.ts";
import {type BaselineRow, type ConversationRow, knownSettings, type MessageRow, toBaseline, toConversation, toMessage} from "./rows.ts";
import {ftsQuery} from "./searchQuery.ts";
import {toStoreError} from "./storeErrors.ts";

type ComparisonRow = {
    readonly id: string;
    readonly conversation_id: string;
    readonly message_id: string;
    readonly seed: number;
    readonly status: Comparison["status"];
    readonly columns: string;
    readonly created_at: string;
    readonly updated_at: string;
};

const DEFAULT_SEARCH_LIMIT = 50;
const MAX_SEARCH_LIMIT = 500;
/** Tokens of context around the matches in a search hit's snippet. */
const SNIPPET_TOKENS = 16;

/** Opens (creating when missing) the chat database at `file`; see database.ts for what opening does. */
export function openStore(file: string): ChatStore {
    const absolute = path.resolve(file);
    return new SqliteChatStore(openDatabase(absolute), absolute);
}

function now(): string {
    return new Date().toISOString();
}

function checkedSettings(settings: SettingsOverrides, what: string): void {
    const problems = optionProblems(settings);
    if (problems.length > 0) throw new StoreError("invalid", `${what}: ${problems.join("; ")}`);
}

function checkedTitle(title: string): string {
    const trimmed = title.trim();
    if (trimmed === "") throw new StoreError("invalid", "a conversation title must not be empty");
    return trimmed;
}

/** Patch fields and their columns; a patch's SQL sets only the fields it has (see updateMessage). */
const patchColumns = {content: "content", status: "status", error: "error", stats: "stats", runs: "runs", seed: "seed"} as const;
type PatchField = keyof typeof patchColumns;

function patchValue(field: PatchField, patch: MessagePatch): unknown {
    const value = patch[field];
    if (field === "stats" || field === "runs") return value == null ? null : JSON.stringify(value);
    return value ?? null;
}

export class SqliteChatStore implements ChatStore {
    private readonly statements;
    readonly library: LibraryStore;
    /** One prepared UPDATE per set of patched fields (a handful in practice). */
    private readonly patchStatements = new Map<string, Database.Statement>();

    /** Takes an open, migrated database (openDatabase) and owns it from then on. */
    constructor(
        private readonly db: Database.Database,
        private readonly file: string
    ) {
        this.statements = this.guard(() => ({
            listConversations: db.prepare("SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC"),
            getConversation: db.prepare("SELECT * FROM conversations WHERE id = ?"),
            insertConversation: db.prepare(`INSERT INTO conversations (id, title, created_at, updated_at, expert_path, amateur_path, overrides)
                VALUES (@id, @title, @now, @now, @expertPath, @amateurPath, @overrides)`),
            renameConversation: db.prepare("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?"),
            setPair: db.prepare("UPDATE conversations SET expert_path = ?, amateur_path = ?, updated_at = ? WHERE id = ?"),
            setOverrides: db.prepare("UPDATE conversations SET overrides = ?, updated_at = ? WHERE id = ?"),
            touchConversation: db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?"),
            deleteConversation: db.prepare("DELETE FROM conversations WHERE id = ?"),
            listMessages: db.prepare("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq"),
            getMessage: db.prepare("SELECT * FROM messages WHERE id = ?"),
            insertMessage: db.prepare(`INSERT INTO messages (id, conversation_id, role, content, status, seed, created_at, updated_at)
                VALUES (@id, @conversationId, @role, @content, @status, @seed, @now, @now) RETURNING *`),
            deleteMessagesFrom: db.prepare("DELETE FROM messages WHERE conversation_id = ? AND seq >= ?"),
            markInterrupted: db.prepare("UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'"),
            stopRunningComparisons: db.prepare("UPDATE comparisons SET status = 'stopped', updated_at = ? WHERE status = 'running'"),
            listComparisons: db.prepare("SELECT * FROM comparisons WHERE conversation_id = ? ORDER BY created_at, rowid"),
            saveComparison: db.prepare(`INSERT INTO comparisons (id, conversation_id, message_id, seed, status, columns, created_at, updated_at)
                VALUES (@id, @conversationId, @messageId, @seed, @status, @columns, @createdAt, @updatedAt)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, columns = excluded.columns, updated_at = excluded.updated_at`),
            search: db.prepare(`SELECT m.conversation_id AS conversationId, c.title AS conversationTitle, m.id AS messageId,
                    snippet(messages_fts, 0, '«', '»', '…', ${SNIPPET_TOKENS}) AS snippet
                FROM messages_fts
                JOIN messages AS m ON m.seq = messages_fts.rowid
                JOIN conversations AS c ON c.id = m.conversation_id
                WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?`),
            getSettings: db.prepare("SELECT key, value FROM settings"),
            clearSettings: db.prepare("DELETE FROM settings"),
            insertSetting: db.prepare("INSERT INTO settings (key, value) VALUES (?, ?)"),
            getBaseline: db.prepare("SELECT * FROM speed_baselines WHERE pair_key = ? AND device = ?"),
            saveBaseline: db.prepare(`INSERT INTO speed_baselines (pair_key, device, expert_tokens_per_second, measured_at, curves)
                VALUES (@pairKey, @device, @expertTokensPerSecond, @measuredAt, @curves)
                ON CONFLICT (pair_key, device) DO UPDATE SET expert_tokens_per_second = excluded.expert_tokens_per_second,
                    measured_at = excluded.measured_at, curves = excluded.curves`),
            getAnswerTokens: db.prepare("SELECT pair_key AS pairKey, tokens FROM answer_tokens WHERE message_id = ?"),
            saveAnswerTokens: db.prepare(`INSERT INTO answer_tokens (message_id, pair_key, tokens) VALUES (?, ?, ?)
                ON CONFLICT (message_id) DO UPDATE SET pair_key = excluded.pair_key, tokens = excluded.tokens`)
        }));
        this.library = new SqliteLibraryStore(db, (work) => this.guard(work));
    }

    /** Runs `work`, turning any failure into a StoreError naming this database. */
    private guard<T>(work: () => T): T {
        try {
            return work();
        } catch (error) {
            throw toStoreError(error, this.file);
        }
    }

    /** Runs `work` in one IMMEDIATE transaction (all of it is written, or none). */
    private write<T>(work: () => T): T {
        return this.guard(() => this.db.transaction(work).immediate());
    }

    private conversationRow(id: string): ConversationRow {
        const row = this.statements.getConversation.get(id) as ConversationRow | undefined;
        if (row == null) throw new StoreError("notFound", `there is no conversation ${JSON.stringify(id)}`);
        return row;
    }

    private messageRow(id: string): MessageRow {
        const row = this.statements.getMessage.get(id) as MessageRow | undefined;
        if (row == null) throw new StoreError("notFound", `there is no message ${JSON.stringify(id)}`);
        return row;
    }

    /** Runs an UPDATE of one conversation by id (its last parameter) and returns the conversation as stored. */
    private updateConversation(id: string, statement: Database.Statement, ...values: unknown[]): Conversation {
        return this.write(() => {
            if (statement.run(...values, now(), id).changes === 0) this.conversationRow(id);
            return toConversation(this.conversationRow(id));
        });
    }

    listConversations(): Conversation[] {
        return this.guard(() => (this.statements.listConversations.all() as ConversationRow[]).map(toConversation));
    }

    getConversation(id: string): Conversation {
        return this.guard(() => toConversation(this.conversationRow(id)));
    }

    createConversation(input: {title: string; pair?: PairRef | null; overrides?: SettingsOverrides}): Conversation {
        const title = checkedTitle(input.title);
        const overrides = input.overrides ?? {};
        checkedSettings(overrides, "conversation settings");
        const id = randomUUID();
        return this.write(() => {
            this.statements.insertConversation.run({
                id,
                title,
                now: now(),
                expertPath: input.pair?.expertPath ?? null,
                amateurPath: input.pair?.amateurPath ?? null,
                overrides: JSON.stringify(overrides)
            });
            return toConversation(this.conversationRow(id));
        });
    }

    renameConversation(id: string, title: string): Conversation {
        return this.updateConversation(id, this.statements.renameConversation, checkedTitle(title));
    }

    setConversationPair(id: string, pair: PairRef | null): Conversation {
        return this.updateConversation(id, this.statements.setPair, pair?.expertPath ?? null, pair?.amateurPath ?? null);
    }

    setConversationOverrides(id: string, overrides: SettingsOverrides): Conversation {
        checkedSettings(overrides, "conversation settings");
        return this.updateConversation(id, this.statements.setOverrides, JSON.stringify(overrides));
    }

    deleteConversation(id: string): void {
        this.write(() => {
            if (this.statements.deleteConversation.run(id).changes === 0) this.conversationRow(id);
        });
    }

    listMessages(conversationId: string): Message[] {
        return this.guard(() => {
            this.conversationRow(conversationId);
            return (this.statements.listMessages.all(conversationId) as MessageRow[]).map(toMessage);
        });
    }

    getMessage(id: string): Message {
        return this.guard(() => toMessage(this.messageRow(id)));
    }

    addMessage(input: NewMessage): Message {
        return this.write(() => {
            this.conversationRow(input.conversationId);
            const stamp = now();
            const row = this.statements.insertMessage.get({
                id: randomUUID(),
                conversationId: input.conversationId,
                role: input.role,
                content: input.content,
                status: input.status,
                seed: input.seed ?? null,
                now: stamp
            }) as MessageRow;
            this.statements.touchConversation.run(stamp, input.conversationId);
            return toMessage(row);
        });
    }

    updateMessage(id: string, patch: MessagePatch): Message {
        const fields = (Object.keys(patchColumns) as PatchField[]).filter((field) => patch[field] !== undefined);
        const key = fields.join(",");
        let statement = this.patchStatements.get(key);
        if (statement == null) {
            // Only the patched columns are set, so a patch without content does not re-index the message's text.
            const sets = [...fields.map((field) => `${patchColumns[field]} = @${field}`), "updated_at = @now"];
            statement = this.guard(() => this.db.prepare(`UPDATE messages SET ${sets.join(", ")} WHERE id = @id RETURNING *`));
            this.patchStatements.set(key, statement);
        }
        const values: Record<string, unknown> = {id, now: now()};
        for (const field of fields) values[field] = patchValue(field, patch);
        const update = statement;
        return this.write(() => {
            const row = update.get(values) as MessageRow | undefined;
            if (row == null) return toMessage(this.messageRow(id));
            this.statements.touchConversation.run(values.now, row.conversation_id);
            return toMessage(row);
        });
    }

    deleteMessagesFrom(conversationId: string, messageId: string, inclusive: boolean): void {
        this.write(() => {
            const row = this.messageRow(messageId);
            if (row.conversation_id !== conversationId) {
                throw new StoreError(
                    "notFound",
                    `there is no message ${JSON.stringify(messageId)} in conversation ${JSON.stringify(conversationId)}`
                );
            }
            this.statements.deleteMessagesFrom.run(conversationId, inclusive ? row.seq : row.seq + 1);
        });
    }

    markInterrupted(): number {
        return this.write(() => {
            const time = now();
            // A comparison a previous run left running stopped there too (its columns keep what they had).
            this.statements.stopRunningComparisons.run(time);
            return this.statements.markInterrupted.run(time).changes;
        });
    }

    listComparisons(conversationId: string): Comparison[] {
        return this.guard(() =>
            (this.statements.listComparisons.all(conversationId) as ComparisonRow[]).map((row) => ({
                id: row.id,
                conversationId: row.conversation_id,
                messageId: row.message_id,
                seed: row.seed,
                status: row.status,
                columns: JSON.parse(row.columns) as ComparisonColumn[],
                createdAt: row.created_at,
                updatedAt: row.updated_at
            }))
        );
    }

    saveComparison(comparison: Comparison): void {
        this.write(() => {
            this.statements.saveComparison.run({...comparison, columns: JSON.stringify(comparison.columns)});
        });
    }

    search(query: string, limit = DEFAULT_SEARCH_LIMIT): SearchHit[] {
        const match = ftsQuery(query);
        if (match == null) return [];
        const rows = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(limit)));
        return this.guard(() => this.statements.search.all(match, rows) as SearchHit[]);
    }

    exportConversation(id: string, format: ExportFormat): ExportedConversation {
        return this.guard(() => {
            const read = this.db.transaction(() => ({conversation: this.getConversation(id), messages: this.listMessages(id)}));
            const {conversation, messages} = read();
            return exportConversationAs(conversation, messages, format, new Date());
        });
    }

    getSettings(): SettingsOverrides {
        return this.guard(() => {
            const rows = this.statements.getSettings.all() as {key: string; value: string}[];
            return knownSettings(Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown])));
        });
    }

    saveSettings(settings: SettingsOverrides): void {
        checkedSettings(settings, "settings");
        this.write(() => {
            this.statements.clearSettings.run();
            for (const [key, value] of Object.entries(settings)) {
                if (value !== undefined) this.statements.insertSetting.run(key, JSON.stringify(value));
            }
        });
    }

    getBaseline(pairKey: string, device: string): SpeedBaseline | null {
        return this.guard(() => {
            const row = this.statements.getBaseline.get(pairKey, device) as BaselineRow | undefined;
            return row == null ? null : toBaseline(row);
        });
    }

    saveBaseline(baseline: SpeedBaseline): void {
        if (!Number.isFinite(baseline.expertTokensPerSecond) || baseline.expertTokensPerSecond <= 0) {
            throw new StoreError("invalid", `a speed baseline must be a positive number of tokens per second, not ${baseline.expertTokensPerSecond}`);
        }
        this.write(() => {
            this.statements.saveBaseline.run({
                pairKey: baseline.pairKey,
                device: baseline.device,
                expertTokensPerSecond: baseline.expertTokensPerSecond,
                measuredAt: baseline.measuredAt,
                curves: baseline.curves == null ? null : JSON.stringify(baseline.curves)
            });
        });
    }

    getAnswerTokens(messageId: string): AnswerTokens | null {
        return this.guard(() => {
            const row = this.statements.getAnswerTokens.get(messageId) as {pairKey: string; tokens: string} | undefined;
            return row == null ? null : {pairKey: row.pairKey, tokens: JSON.parse(row.tokens) as number[]};
        });
    }

    saveAnswerTokens(messageId: string, answer: AnswerTokens): void {
        if (!answer.tokens.every((token) => Number.isInteger(token) && token >= 0)) {
            throw new StoreError("invalid", "an answer's tokens must be non-negative integers");
        }
        this.write(() => {
            this.statements.saveAnswerTokens.run(messageId, answer.pairKey, JSON.stringify(answer.tokens));
        });
    }

    close(): void {
        if (this.db.open) this.guard(() => this.db.close());
    }
}
