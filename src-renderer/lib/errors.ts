/**
 * Errors in words: whatever a failed request throws (a ServiceError carried by a transport, a plain Error, a
 * string), the UI shows one sentence, with a hint for the codes a user can act on.
 */
import type {AppStatus, ServiceErrorCode} from "../../src-shared/index.ts";

// Every code of the contract (a new code fails to compile here until it is listed).
const knownCodes = {
    invalidRequest: true,
    busy: true,
    notFound: true,
    incompatiblePair: true,
    noPair: true,
    promptTooLong: true,
    engineCrashed: true,
    storage: true,
    internal: true,
    disconnected: true
} satisfies Record<ServiceErrorCode, true>;
const codes = Object.keys(knownCodes) as ServiceErrorCode[];

const hints: Partial<Record<ServiceErrorCode, string>> = {
    busy: "Wait for it to finish or press Stop.",
    noPair: "No model pair is loaded: choose an expert and an amateur under Models and press Load.",
    engineCrashed: "The engine stopped unexpectedly: load the pair again to continue.",
    disconnected: "The connection to Tandem was lost: reload the page once Tandem runs again."
};

/** The ServiceError code carried by `error`, if any. */
export function errorCode(error: unknown): ServiceErrorCode | null {
    if (typeof error !== "object" || error == null) return null;
    const code = (error as {code?: unknown}).code;
    return typeof code === "string" && (codes as readonly string[]).includes(code) ? (code as ServiceErrorCode) : null;
}

function capitalised(text: string): string {
    const trimmed = text.trim();
    if (trimmed === "") return trimmed;
    const sentence = trimmed[0]!.toUpperCase() + trimmed.slice(1);
    return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * One readable sentence (or two: the service's message and a hint) for `error`; with `action` (e.g. "send the
 * message") it starts "Could not send the message: …".
 */
export function errorText(error: unknown, action?: string): string {
    const code = errorCode(error);
    const raw =
        error instanceof Error || (typeof error === "object" && error != null && typeof (error as {message?: unknown}).message === "string")
            ? (error as {message: string}).message
            : typeof error === "string"
              ? error
              : "";
    const message = raw.trim() === "" ? "Something went wrong without an explanation." : capitalised(raw);
    const hint = code == null ? undefined : hints[code];
    const bare = (s: string): string => s.toLowerCase().replace(/[.!?]$/, "");
    // A hint that already says what the message says replaces it ("No model pair is loaded: choose …"); a message
    // that gives its own advice (after a semicolon: "an answer is still being written; wait for it or press Stop…")
    // keeps it without a second one.
    const text = hint == null || ownAdvice(message) ? message : bare(hint).startsWith(bare(message)) ? hint : `${message} ${hint}`;
    return action == null ? text : `Could not ${action}: ${text}`;
}

/** The service's message already says what to do: "…; wait for it or press Stop", "…; cancel it first". */
function ownAdvice(message: string): boolean {
    return /;\s*(wait|try|cancel|press|load|choose|open|reload|stop)\b/i.test(message);
}

/**
 * What the status line says about a failed engine, each sentence once: the failed state's message, and the last
 * crash's reason unless it is that same message (a crash puts its reason in both).
 */
export function engineProblems(status: AppStatus | null): string[] {
    if (status == null) return [];
    const failed = status.engine.state === "error" ? status.engine.message : null;
    const crash = status.lastEngineCrash;
    if (crash != null) return [`The engine stopped unexpectedly: ${crash}`, ...(failed != null && failed.trim() !== crash.trim() ? [failed] : [])];
    return failed != null ? [failed] : [];
}
