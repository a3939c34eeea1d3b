/** Sidebar helpers: conversation order, search snippets, titles for new chats. Pure. */
import type {Conversation} from "../../src-shared/index.ts";

/** Most recently updated first; ties by creation time, then id, so the order is stable. */
export function sortConversations(conversations: readonly Conversation[]): Conversation[] {
    return conversations
        .slice()
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** A search snippet cut into plain-text pieces, `match` true inside «…» (rendered as text, never as HTML). */
export function snippetParts(snippet: string): {text: string; match: boolean}[] {
    const parts: {text: string; match: boolean}[] = [];
    const pattern = /«([^»]*)»/g;
    let at = 0;
    for (let found = pattern.exec(snippet); found != null; found = pattern.exec(snippet)) {
        if (found.index > at) parts.push({text: snippet.slice(at, found.index), match: false});
        if (found[1] !== "") parts.push({text: found[1]!, match: true});
        at = found.index + found[0].length;
    }
    if (at < snippet.length) parts.push({text: snippet.slice(at), match: false});
    return parts;
}

/** A new chat's title from its first message: the first line, whitespace collapsed, at most 60 characters. */
export function titleFromMessage(text: string): string {
    const line = text.trim().split("\n")[0]!.replace(/\s+/g, " ").trim();
    if (line === "") return "New chat";
    return line.length <= 60 ? line : `${line.slice(0, 59).trimEnd()}…`;
}
