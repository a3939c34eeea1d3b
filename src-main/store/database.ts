/**
 * Opens (creating it and its folders when missing) the SQLite file of the chat store, configured and migrated.
 *
 * Durability: WAL journal with synchronous=NORMAL. A commit appends its pages to the -wal file with write(2)
 * before it returns, so once a statement returns its data is in the operating system's hands: killing the
 * process (SIGKILL, a crash) cannot lose it, and the next open replays the WAL. What NORMAL leaves out is an
 * fsync per commit, so a power cut or OS crash may lose the last commits (never corrupt the file: the WAL is
 * checksummed and fsynced at each checkpoint). For a chat history that is the right trade: a streamed answer
 * writes every half second (answerWriter.ts), and an fsync each time would cost more than the write.
 */
import {mkdirSync} from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import {checkOpenable, migrate, type Migration, migrations} from "./migrations.ts";
import {StoreError} from "./storeError.ts";
import {notWritableReason, toStoreError} from "./storeErrors.ts";

/** How long a statement waits for another connection's write lock before failing with "locked". */
const BUSY_TIMEOUT_MS = 3000;

/** Creates the database's folder and its parents; Node reports a read-only file system here as ENOENT. */
function makeFolder(folder: string, file: string): void {
    try {
        mkdirSync(folder, {recursive: true});
    } catch (error) {
        const reason = notWritableReason(folder);
        if (reason == null) throw error;
        throw new StoreError("readOnly", `Tandem cannot create the folder ${folder} for its chat database ${path.basename(file)} (${reason})`, {
            cause: error
        });
    }
}

export function openDatabase(file: string, steps: readonly Migration[] = migrations): Database.Database {
    const absolute = path.resolve(file);
    let db: Database.Database | null = null;
    try {
        makeFolder(path.dirname(absolute), absolute);
        db = new Database(absolute, {timeout: BUSY_TIMEOUT_MS});
        // Read-only checks first: a file that is not a database, or not ours, or newer, fails here unchanged
        // (switching to WAL already rewrites the header).
        checkOpenable(db, absolute, steps);
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = NORMAL");
        db.pragma("foreign_keys = ON");
        migrate(db, absolute, steps);
        return db;
    } catch (error) {
        db?.close();
        throw toStoreError(error, absolute);
    }
}
