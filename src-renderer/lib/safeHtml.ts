/**
 * The page's one way to turn answer text into HTML: markdown.ts's renderer, then DOMPurify (browser only).
 * Links open outside the app window (target _blank; the Electron shell hands them to the OS browser).
 */
import DOMPurify from "dompurify";
import {renderMarkdown, renderMarkdownInline, sanitizeConfig} from "./markdown.ts";

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
    }
    if (node.tagName === "INPUT") node.setAttribute("disabled", "");
});

export function safeMarkdown(text: string, options: {highlight?: boolean} = {}): string {
    return DOMPurify.sanitize(renderMarkdown(text, options), sanitizeConfig);
}

/** A piece of one paragraph as safe inline HTML (see renderMarkdownInline). */
export function safeMarkdownInline(piece: string): string {
    return DOMPurify.sanitize(renderMarkdownInline(piece), sanitizeConfig);
}

/** Memoised renderings of the finished blocks of streaming answers (bounded: oldest entries go first). */
function memoised(render: (text: string) => string): (text: string) => string {
    const cache = new Map<string, string>();
    return (text) => {
        const cached = cache.get(text);
        if (cached != null) return cached;
        const html = render(text);
        if (cache.size >= 2000) cache.delete(cache.keys().next().value!);
        cache.set(text, html);
        return html;
    };
}

/** `safeMarkdown` memoised, for the finished blocks of a streaming answer. */
export const safeMarkdownBlock = memoised((block) => safeMarkdown(block));
/** `safeMarkdownInline` memoised, for the finished pieces of a streamed paragraph. */
export const safeMarkdownPiece = memoised(safeMarkdownInline);
