/**
 * Turns SQLite's and the file system's failures into StoreErrors with one sentence a user can read, naming the
 * database file. better-sqlite3 throws SqliteError with an extended result code name in `code`
 * ("SQLITE_FULL", "SQLITE_READONLY_DBMOVED", …); the primary code is the part before a second underscore.
 */
import {accessSync, constants} from "node:fs";
import {dirname} from "node:path";
import {StoreError} from "./storeError.ts";

type CodedError = Error & {readonly code?: unknown};

function codeOf(error: unknown): string | null {
    const code = (error as CodedError | null)?.code;
    return typeof code === "string" ? code : null;
}

/** "SQLITE_READONLY_DBMOVED" → "SQLITE_READONLY". */
function primaryCode(code: string): string {
    return code.startsWith("SQLITE_") ? code.split("_").slice(0, 2).join("_") : code;
}

/**
 * Why `file` cannot be written (or created: then the nearest folder above it that exists is asked), or null
 * when it can. access(2) answers EROFS on a read-only file system even for root, and EACCES for a file the
 * user may not write.
 */
export function notWritableReason(file: string): string | null {
    for (let target = file; ; target = dirname(target)) {
        try {
            accessSync(target, constants.W_OK);
            return null;
        } catch (error) {
            const code = codeOf(error);
            if (code === "ENOENT" && dirname(target) !== target) continue;
            if (code === "EROFS") return "the file system is read-only";
            if (code === "EACCES" || code === "EPERM") return "permission denied";
            return null;
        }
    }
}

function detail(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** Maps any failure while working on the database `file` to a StoreError (a StoreError passes through as is). */
export function toStoreError(error: unknown, file: string): StoreError {
    if (error instanceof StoreError) return error;
    const code = codeOf(error);
    const primary = code == null ? null : primaryCode(code);
    const cause = {cause: error};
    switch (primary) {
        case "SQLITE_FULL":
        case "ENOSPC":
            return new StoreError(
                "diskFull",
                `the disk is full: Tandem could not save to its chat database ${file} (free some space and try again)`,
                cause
            );
        case "SQLITE_READONLY":
        case "EROFS":
            return new StoreError(
                "readOnly",
                `Tandem cannot write its chat database ${file} (${notWritableReason(file) ?? "it is read-only"})`,
                cause
            );
        case "SQLITE_CANTOPEN":
        case "SQLITE_PERM":
        case "EACCES":
        case "EPERM": {
            // SQLite reports a WAL database on a read-only file system as "unable to open" (it cannot create
            // the -shm file), so ask the file system what is really wrong.
            const reason = notWritableReason(file);
            if (reason != null) return new StoreError("readOnly", `Tandem cannot write its chat database ${file} (${reason})`, cause);
            return new StoreError("io", `Tandem cannot open its chat database ${file} (${detail(error)})`, cause);
        }
        case "SQLITE_CORRUPT":
        case "SQLITE_NOTADB":
            return new StoreError("corrupt", `the chat database ${file} is damaged or is not a Tandem database (${detail(error)})`, cause);
        case "SQLITE_BUSY":
        case "SQLITE_LOCKED":
            return new StoreError("locked", `the chat database ${file} is in use by another program (is Tandem already running?)`, cause);
        case "SQLITE_CONSTRAINT":
            return new StoreError("invalid", `the chat database ${file} refused a value (${detail(error)})`, cause);
        default:
            return new StoreError("io", `Tandem could not read or write its chat database ${file} (${detail(error)})`, cause);
    }
}
