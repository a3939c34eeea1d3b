/**
 * What the model library remembers (schema version 2): the model folders and single files the user added,
 * the sources switched off, the library's settings (Hugging Face endpoint, download folder), and downloads
 * with their last known state, so a download interrupted by a restart can be resumed. Same database, same
 * error handling as the chat store (every failure a StoreError whose message a user can read).
 */
import type Database from "better-sqlite3";
import type {Download} from "../../src-shared/index.ts";
import {StoreError} from "./storeError.ts";

export interface LibraryStore {
    /** In the order they were added. */
    listModelFolders(): string[];
    addModelFolder(folder: string): void;
    removeModelFolder(folder: string): void;
    listModelFiles(): string[];
    addModelFile(file: string): void;
    removeModelFile(file: string): void;
    listDisabledSources(): string[];
    setSourceEnabled(id: string, enabled: boolean): void;
    getLibrarySetting(key: string): string | null;
    /** null removes the setting (back to its default). */
    setLibrarySetting(key: string, value: string | null): void;
    listDownloads(): Download[];
    /** Inserts or replaces the download with this id. */
    saveDownload(download: Download): void;
    deleteDownload(id: string): void;
}

const DOWNLOAD_STATES = new Set(["resolving", "downloading", "paused", "done", "failed", "cancelled"]);

function now(): string {
    return new Date().toISOString();
}

export class SqliteLibraryStore implements LibraryStore {
    private readonly statements;

    constructor(
        db: Database.Database,
        private readonly guard: <T>(work: () => T) => T
    ) {
        this.statements = guard(() => ({
            listFolders: db.prepare("SELECT path FROM model_folders ORDER BY rowid"),
            addFolder: db.prepare("INSERT INTO model_folders (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING"),
            removeFolder: db.prepare("DELETE FROM model_folders WHERE path = ?"),
            listFiles: db.prepare("SELECT path FROM model_files ORDER BY rowid"),
            addFile: db.prepare("INSERT INTO model_files (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING"),
            removeFile: db.prepare("DELETE FROM model_files WHERE path = ?"),
            listDisabled: db.prepare("SELECT id FROM disabled_sources ORDER BY id"),
            disable: db.prepare("INSERT INTO disabled_sources (id) VALUES (?) ON CONFLICT (id) DO NOTHING"),
            enable: db.prepare("DELETE FROM disabled_sources WHERE id = ?"),
            getSetting: db.prepare("SELECT value FROM library_settings WHERE key = ?"),
            setSetting: db.prepare("INSERT INTO library_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
            clearSetting: db.prepare("DELETE FROM library_settings WHERE key = ?"),
            listDownloads: db.prepare("SELECT data FROM downloads ORDER BY created_at DESC, rowid DESC"),
            saveDownload: db.prepare(`INSERT INTO downloads (id, state, created_at, data) VALUES (@id, @state, @createdAt, @data)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data`),
            deleteDownload: db.prepare("DELETE FROM downloads WHERE id = ?")
        }));
    }

    private column(statement: Database.Statement, ...values: unknown[]): string[] {
        return this.guard(() => statement.pluck().all(...values) as string[]);
    }

    private run(statement: Database.Statement, ...values: unknown[]): void {
        this.guard(() => statement.run(...values));
    }

    listModelFolders(): string[] {
        return this.column(this.statements.listFolders);
    }

    addModelFolder(folder: string): void {
        this.run(this.statements.addFolder, folder, now());
    }

    removeModelFolder(folder: string): void {
        this.run(this.statements.removeFolder, folder);
    }

    listModelFiles(): string[] {
        return this.column(this.statements.listFiles);
    }

    addModelFile(file: string): void {
        this.run(this.statements.addFile, file, now());
    }

    removeModelFile(file: string): void {
        this.run(this.statements.removeFile, file);
    }

    listDisabledSources(): string[] {
        return this.column(this.statements.listDisabled);
    }

    setSourceEnabled(id: string, enabled: boolean): void {
        this.run(enabled ? this.statements.enable : this.statements.disable, id);
    }

    getLibrarySetting(key: string): string | null {
        return this.guard(() => (this.statements.getSetting.pluck().get(key) as string | undefined) ?? null);
    }

    setLibrarySetting(key: string, value: string | null): void {
        if (value == null) this.run(this.statements.clearSetting, key);
        else this.run(this.statements.setSetting, key, value);
    }

    listDownloads(): Download[] {
        return this.column(this.statements.listDownloads).map((data) => JSON.parse(data) as Download);
    }

    saveDownload(download: Download): void {
        if (!DOWNLOAD_STATES.has(download.state)) throw new StoreError("invalid", `a download cannot be in state ${JSON.stringify(download.state)}`);
        this.run(this.statements.saveDownload, {
            id: download.id,
            state: download.state,
            createdAt: download.createdAt,
            data: JSON.stringify(download)
        });
    }

    deleteDownload(id: string): void {
        this.run(this.statements.deleteDownload, id);
    }
}
