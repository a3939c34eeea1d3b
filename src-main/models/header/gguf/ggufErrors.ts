/**
 * GgufError: the one error type the GGUF reader throws for a file it cannot use, with a `kind` a caller
 * can branch on and a message that is one plain sentence naming the file and what is wrong with it.
 */

/** Why a file is not a usable GGUF model. */
export type GgufErrorKind =
    | "missing"
    | "notFile"
    | "notGguf"
    | "unsupportedVersion"
    | "truncated"
    | "corrupt"
    /** A whole, well-formed GGUF file that llama.cpp cannot load (see models/preflight.ts and loadModelPair). */
    | "unloadable";

export class GgufError extends Error {
    readonly kind: GgufErrorKind;
    readonly path: string;

    constructor(kind: GgufErrorKind, path: string, message: string, options?: {cause?: unknown}) {
        super(message, options);
        this.name = "GgufError";
        this.kind = kind;
        this.path = path;
    }
}

/** Renders bytes the way a C string literal would: printable ASCII as is, anything else as \xNN. */
export function quoteBytes(bytes: Uint8Array): string {
    let text = "";
    for (const byte of bytes) {
        if (byte === 0x22 || byte === 0x5c) text += "\\" + String.fromCharCode(byte);
        else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
        else text += "\\x" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
    return `"${text}"`;
}
