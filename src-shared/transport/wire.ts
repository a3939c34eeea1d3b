/**
 * What crosses a transport besides the contract's data: birpc's message envelopes (checked before birpc sees
 * them, so a malformed frame never reaches it) and errors as plain `{code, message}` objects (an Error does not
 * survive JSON or structured cloning with its code). No Node or DOM imports: the renderer and the preload use
 * this too.
 */
import type {ServiceErrorCode} from "../contract/api.ts";
import {ServiceError} from "../contract/serviceError.ts";

/** An error as it travels: a code the UI acts on and a sentence a user can read. Never a stack. */
export type WireError = {readonly code: ServiceErrorCode; readonly message: string};

const errorCodes: ReadonlySet<string> = new Set<ServiceErrorCode>([
    "invalidRequest",
    "busy",
    "notFound",
    "incompatiblePair",
    "noPair",
    "promptTooLong",
    "engineCrashed",
    "storage",
    "internal",
    "disconnected"
]);

const MAX_MESSAGE = 2000;

function firstLine(text: string): string {
    return (text.split("\n")[0] ?? "").slice(0, MAX_MESSAGE);
}

/**
 * Any thrown value as a WireError: a ServiceError (or anything carrying a known code and a message) keeps its
 * code and message; anything else is "internal" with its first line only, so no stack or path list leaks.
 */
export function toWireError(error: unknown): WireError {
    if (error instanceof ServiceError) return {code: error.code, message: firstLine(error.message)};
    if (typeof error === "object" && error != null) {
        const {code, message} = error as {code?: unknown; message?: unknown};
        if (typeof code === "string" && errorCodes.has(code) && typeof message === "string") {
            return {code: code as ServiceErrorCode, message: firstLine(message)};
        }
        if (typeof message === "string" && message.length > 0) {
            return {code: "internal", message: `the service failed unexpectedly: ${firstLine(message)}`};
        }
    }
    return {code: "internal", message: "the service failed unexpectedly"};
}

/** The client-side error for a WireError (or for whatever else a failed call rejected with). */
export function fromWireError(error: unknown): ServiceError {
    if (error instanceof ServiceError) return error;
    const wire = toWireError(error);
    // birpc's own failures (closed channel, timeouts) are plain Errors: on the client they mean the link is gone.
    if (wire.code === "internal" && error instanceof Error && error.message.startsWith("[birpc]")) {
        return new ServiceError("disconnected", "the connection to Tandem closed before the answer arrived");
    }
    return new ServiceError(wire.code, wire.message);
}

/** birpc's request frame: `t: "q"`, method `m`, arguments `a`, id `i` (absent for events). */
export type RpcRequestFrame = {t: "q"; m: string; a: unknown[]; i?: string};
/** birpc's response frame: `t: "s"`, id `i`, result `r` or error `e`. */
export type RpcResponseFrame = {t: "s"; i: string; r?: unknown; e?: unknown};

export type FrameCheck =
    | {readonly ok: true; readonly frame: RpcRequestFrame | RpcResponseFrame}
    /** `id` is set when the frame had a usable request id, so the sender can be answered with `message`. */
    | {readonly ok: false; readonly id: string | null; readonly message: string};

const MAX_ID = 64;

function usableId(value: unknown): value is string {
    return typeof value === "string" && value.length > 0 && value.length <= MAX_ID;
}

/** Checks one decoded frame's envelope (not its arguments: validateRequest does that per function). */
export function checkFrame(data: unknown): FrameCheck {
    if (typeof data !== "object" || data == null || Array.isArray(data)) {
        return {ok: false, id: null, message: "a message must be a JSON object"};
    }
    const frame = data as Record<string, unknown>;
    const id = usableId(frame.i) ? frame.i : null;
    if (frame.i !== undefined && id == null) return {ok: false, id: null, message: `a message id must be text of 1 to ${MAX_ID} characters`};
    if (frame.t === "q") {
        if (typeof frame.m !== "string") return {ok: false, id, message: 'a request must name its function in "m"'};
        if (!Array.isArray(frame.a)) return {ok: false, id, message: `${frame.m.slice(0, 60)}: the arguments must be a list`};
        return {ok: true, frame: {t: "q", m: frame.m, a: frame.a, ...(id != null ? {i: id} : {})}};
    }
    if (frame.t === "s") {
        if (id == null) return {ok: false, id: null, message: "a response must carry the id of its request"};
        return {ok: true, frame: {t: "s", i: id, ...("r" in frame ? {r: frame.r} : {}), ...("e" in frame ? {e: frame.e} : {})}};
    }
    return {ok: false, id, message: 'a message must be a request (t: "q") or a response (t: "s")'};
}

/** The response that answers a request whose envelope was refused. */
export function refusalFrame(id: string, message: string): RpcResponseFrame {
    return {t: "s", i: id, e: {code: "invalidRequest", message} satisfies WireError};
}
