/** The store's one error type, in a module of its own so every store file can throw it without an import loop. */
/**
 * What went wrong, for the caller to act on: notFound (no such id), diskFull (SQLITE_FULL), readOnly (the file
 * or its file system cannot be written), corrupt (damaged or not a database), tooNew (written by a newer Tandem,
 * whose schema this version does not know), locked (another program holds the database), invalid (a value the
 * schema refuses), io (any other failure reading or writing the file).
 */
export type StoreErrorKind = "notFound" | "diskFull" | "readOnly" | "corrupt" | "tooNew" | "locked" | "invalid" | "io";

export class StoreError extends Error {
    constructor(
        readonly kind: StoreErrorKind,
        message: string,
        options?: {cause?: unknown}
    ) {
        super(message, options);
        this.name = "StoreError";
    }
}
