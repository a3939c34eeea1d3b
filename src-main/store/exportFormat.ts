/**
 * A conversation as a file the user can keep: Markdown (title, then each message under its role, with a stats
 * line under each answer) or JSON (the conversation and its messages as stored). Exports are made to be shared,
 * so they name the models by file name, never by absolute path (which would give away the user's folders):
 * JSON's `conversation.pair` is `{expert, amateur}` file names, and the pair's paths in error notes become file
 * names too. Pure: no I/O.
 */
import type {Conversation, ExportFormat, ExportedConversation, Message, MessageStats} from "../../src-shared/index.ts";

/** Identifies Tandem's JSON export and its layout version. */
export const JSON_EXPORT_FORMAT = "tandem-conversation";
/** 2: `conversation.pair` holds the models' file names (`{expert, amateur}`), not their paths. */
export const JSON_EXPORT_VERSION = 2;

const MAX_NAME_LENGTH = 80;
/** Names Windows refuses for a file whatever its extension. */
const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file name from the title: letters and digits of any script, with every run of other characters (spaces,
 * punctuation, path separators, control characters) turned into one "-"; at most 80 characters; "conversation"
 * when nothing is left.
 */
export function exportFileName(title: string, format: ExportFormat): string {
    let base = title
        .normalize("NFC")
        .replace(/[^\p{L}\p{N}]+/gu, "-")
        .replace(/^-+|-+$/g, "");
    base = Array.from(base).slice(0, MAX_NAME_LENGTH).join("").replace(/-+$/, "");
    if (base === "" || RESERVED_NAMES.test(base)) base = base === "" ? "conversation" : `${base}-conversation`;
    return `${base}.${format === "markdown" ? "md" : "json"}`;
}

const roleHeadings = {system: "System", user: "User", assistant: "Assistant"} as const;

function percent(value: number): string {
    return `${Math.round(value * 100)}%`;
}

/** One line summing up how an answer was decoded, e.g. "scd · 64 tokens · 512.3 tok/s · acceptance 62% · …". */
export function statsLine(stats: MessageStats): string {
    const parts = [stats.mode, `${stats.generatedTokens} tokens`, `${stats.tokensPerSecond.toFixed(1)} tok/s`];
    if (stats.timeToFirstTokenMs != null) parts.push(`first token ${Math.round(stats.timeToFirstTokenMs)} ms`);
    if (stats.acceptanceRate != null) parts.push(`acceptance ${percent(stats.acceptanceRate)}`);
    if (stats.meanAcceptedLength != null) parts.push(`mean accepted length ${stats.meanAcceptedLength.toFixed(2)}`);
    if (stats.speedup != null) parts.push(`${stats.speedup.ratio.toFixed(2)}× the expert alone`);
    if (stats.droppedTurns > 0) parts.push(`${stats.droppedTurns} earlier turns left out of the context`);
    parts.push(`stop: ${stats.stopReason}`);
    return parts.join(" · ");
}

function statusNote(message: Message): string | null {
    switch (message.status) {
        case "done":
            return null;
        case "streaming":
            return "(still being written when exported)";
        case "stopped":
            return "(stopped before the end)";
        case "interrupted":
            return "(interrupted: Tandem closed before the answer was finished)";
        case "error":
            return `(failed: ${message.error ?? "unknown error"})`;
    }
}

function fileNameOf(modelPath: string): string {
    return modelPath.split(/[\\/]/).pop() ?? modelPath;
}

/** An error note with the conversation's model paths written as file names. */
function withoutModelPaths(text: string, conversation: Conversation): string {
    if (conversation.pair == null) return text;
    let result = text;
    for (const modelPath of [conversation.pair.expertPath, conversation.pair.amateurPath])
        result = result.split(modelPath).join(fileNameOf(modelPath));
    return result;
}

/** The conversation and its messages as a shared file shows them: models by file name. */
function shareable(conversation: Conversation, messages: readonly Message[]): {conversation: unknown; messages: readonly Message[]} {
    const pair =
        conversation.pair == null ? null : {expert: fileNameOf(conversation.pair.expertPath), amateur: fileNameOf(conversation.pair.amateurPath)};
    return {
        conversation: {...conversation, pair},
        messages: messages.map((message) => (message.error == null ? message : {...message, error: withoutModelPaths(message.error, conversation)}))
    };
}

export function conversationToMarkdown(conversation: Conversation, storedMessages: readonly Message[]): string {
    const {messages} = shareable(conversation, storedMessages);
    const lines = [`# ${conversation.title}`, ""];
    const about = [`created ${conversation.createdAt}`];
    if (conversation.pair != null) {
        about.push(`expert ${fileNameOf(conversation.pair.expertPath)}`, `amateur ${fileNameOf(conversation.pair.amateurPath)}`);
    }
    lines.push(`*Exported from Tandem · ${about.join(" · ")}*`, "");
    for (const message of messages) {
        lines.push(`## ${roleHeadings[message.role]}`, "", message.content, "");
        const notes: string[] = [];
        if (message.role === "assistant" && message.stats != null) notes.push(statsLine(message.stats));
        const note = statusNote(message);
        if (note != null) notes.push(note);
        if (message.seed != null && message.role === "assistant") notes.push(`seed ${message.seed}`);
        if (notes.length > 0) lines.push(`*${notes.join(" · ")}*`, "");
    }
    return lines.join("\n");
}

export function conversationToJson(conversation: Conversation, messages: readonly Message[], exportedAt: Date): string {
    const shared = shareable(conversation, messages);
    return `${JSON.stringify({format: JSON_EXPORT_FORMAT, version: JSON_EXPORT_VERSION, exportedAt: exportedAt.toISOString(), ...shared}, null, 2)}\n`;
}

export function exportConversationAs(
    conversation: Conversation,
    messages: readonly Message[],
    format: ExportFormat,
    exportedAt: Date
): ExportedConversation {
    return format === "markdown"
        ? {
              fileName: exportFileName(conversation.title, format),
              mimeType: "text/markdown; charset=utf-8",
              content: conversationToMarkdown(conversation, messages)
          }
        : {
              fileName: exportFileName(conversation.title, format),
              mimeType: "application/json",
              content: conversationToJson(conversation, messages, exportedAt)
          };
}
