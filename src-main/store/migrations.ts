/**
 * The database schema as numbered steps. `PRAGMA user_version` holds the number of the last step applied;
 * opening applies the missing steps in one transaction, so a file is always at one whole version. A file whose
 * version is above the last step known here was written by a newer Tandem and is refused (never downgraded).
 * A step, once released, never changes: a schema change is a new step at the end.
 */
import type Database from "better-sqlite3";
import {StoreError} from "./storeError.ts";

export type Migration = {readonly version: number; readonly description: string; readonly sql: string};

/** PRAGMA application_id of a Tandem database ("TAND"), so another program's SQLite file is never migrated. */
export const TANDEM_APPLICATION_ID = 0x54414e44;

export const migrations: readonly Migration[] = [
    {
        version: 1,
        description: "conversations, messages with full-text search, settings, speed baselines",
        sql: `
            CREATE TABLE conversations (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                -- The model pair the conversation uses: both paths, or neither (the app's current pair).
                expert_path TEXT,
                amateur_path TEXT CHECK ((expert_path IS NULL) = (amateur_path IS NULL)),
                -- SettingsOverrides as a JSON object.
                overrides TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(overrides))
            );
            CREATE INDEX conversations_by_update ON conversations (updated_at);

            CREATE TABLE messages (
                -- Insertion order within the whole database: messages of a conversation sort by it, and the
                -- full-text index refers to it.
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
                content TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('streaming', 'done', 'stopped', 'interrupted', 'error')),
                error TEXT,
                -- MessageStats and TokenRun[] as JSON.
                stats TEXT CHECK (stats IS NULL OR json_valid(stats)),
                runs TEXT CHECK (runs IS NULL OR json_valid(runs)),
                seed INTEGER,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
            CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';

            -- External-content index over messages.content, kept in step by the triggers below (they also run
            -- for the rows a conversation's ON DELETE CASCADE removes).
            CREATE VIRTUAL TABLE messages_fts USING fts5 (
                content, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
            );
            CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
                INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
            END;
            CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
            END;
            CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
                INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
            END;

            -- Global settings the user changed: option key → JSON value.
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL CHECK (json_valid(value))
            ) WITHOUT ROWID;

            CREATE TABLE speed_baselines (
                pair_key TEXT NOT NULL,
                device TEXT NOT NULL,
                expert_tokens_per_second REAL NOT NULL,
                measured_at TEXT NOT NULL,
                PRIMARY KEY (pair_key, device)
            ) WITHOUT ROWID;
        `
    },
    {
        version: 2,
        description: "the model library: model folders and files, switched-off sources, library settings, downloads",
        sql: `
            -- Folders and single .gguf files the user added (rowid keeps the order they were added in).
            CREATE TABLE model_folders (
                path TEXT NOT NULL UNIQUE,
                added_at TEXT NOT NULL
            );
            CREATE TABLE model_files (
                path TEXT NOT NULL UNIQUE,
                added_at TEXT NOT NULL
            );
            -- Sources the user switched off (a cache, a folder, TANDEM_MODELS_DIR, downloads), by source id.
            CREATE TABLE disabled_sources (
                id TEXT PRIMARY KEY
            ) WITHOUT ROWID;
            -- hfEndpoint, downloadDir.
            CREATE TABLE library_settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            -- Each download's last known state (the contract's Download as JSON), so one interrupted by a restart resumes.
            CREATE TABLE downloads (
                id TEXT NOT NULL UNIQUE,
                state TEXT NOT NULL CHECK (state IN ('resolving', 'downloading', 'paused', 'done', 'failed', 'cancelled')),
                created_at TEXT NOT NULL,
                data TEXT NOT NULL CHECK (json_valid(data))
            );
        `
    },
    {
        version: 3,
        description: "the token stream each answer left in the models' caches; speed baselines with cost curves; comparisons of modes",
        sql: `
            -- The tokens the models held after an answer (its prompt, then the tokens it generated) as a JSON array,
            -- and the pair that made them: the next turn's prompt starts with them, so the caches are reused whole.
            CREATE TABLE answer_tokens (
                message_id TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
                pair_key TEXT NOT NULL,
                tokens TEXT NOT NULL CHECK (json_valid(tokens))
            ) WITHOUT ROWID;

            -- CostCurves as JSON: the expert alone and cd, time per token by context position.
            ALTER TABLE speed_baselines ADD COLUMN curves TEXT CHECK (curves IS NULL OR json_valid(curves));

            -- A user message run through every mode with one seed (Comparison; its columns as JSON).
            CREATE TABLE comparisons (
                id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                seed INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'done', 'stopped', 'error')),
                columns TEXT NOT NULL CHECK (json_valid(columns)),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX comparisons_by_conversation ON comparisons (conversation_id, created_at);
        `
    }
];

function checkSteps(steps: readonly Migration[]): number {
    steps.forEach((step, index) => {
        if (step.version !== index + 1) throw new Error(`migration ${index + 1} is numbered ${step.version}`);
    });
    return steps.length;
}

/**
 * Reads (never writes) the file's identity and version, and refuses a file of another program (a schema with
 * no Tandem application id; an empty file is fine) or of a newer Tandem. Returns the file's version.
 */
export function checkOpenable(db: Database.Database, file: string, steps: readonly Migration[] = migrations): number {
    const latest = checkSteps(steps);
    const version = db.pragma("user_version", {simple: true}) as number;
    const applicationId = db.pragma("application_id", {simple: true}) as number;
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as {n: number}).n;
    if (applicationId !== TANDEM_APPLICATION_ID && (applicationId !== 0 || version !== 0 || tables !== 0)) {
        throw new StoreError("corrupt", `${file} is not a Tandem chat database (it belongs to another program)`);
    }
    if (version > latest) {
        throw new StoreError(
            "tooNew",
            `the chat database ${file} was written by a newer version of Tandem (schema ${version}; ` +
                `this version knows up to ${latest}): update Tandem to open it`
        );
    }
    return version;
}

/**
 * Brings the database to the last step of `steps` and returns the version it had before (checking it again
 * inside the transaction, in case another process migrated it meanwhile). Runs in an IMMEDIATE transaction (the write lock first, so two
 * processes opening one file at once cannot both migrate) and always writes the version, which also proves at
 * start-up that the file can be written.
 */
export function migrate(db: Database.Database, file: string, steps: readonly Migration[] = migrations): number {
    const latest = checkSteps(steps);
    return db
        .transaction(() => {
            const version = checkOpenable(db, file, steps);
            for (const step of steps.slice(version)) db.exec(step.sql);
            db.pragma(`application_id = ${TANDEM_APPLICATION_ID}`);
            db.pragma(`user_version = ${latest}`);
            return version;
        })
        .immediate();
}
