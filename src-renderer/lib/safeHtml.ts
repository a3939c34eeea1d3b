/**
 * The page's one way to turn answer text into HTML: markdown.ts's renderer, then DOMPurify (browser only).
 * Links open outside the app window (target _blank; the Electron shell hands them to the OS browser).
 */
import DOMPurify from "dompurify";
import {renderMarkdown, sanitizeConfig} from "./markdown.ts";

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

const blockCache = new Map<string, string>();
const BLOCK_CACHE_LIMIT = 2000;

/** `safeMarkdown` memoised, for the finished blocks of a streaming answer (bounded: oldest entries go first). */
export function safeMarkdownBlock(block: string): string {
    const cached = blockCache.get(block);
    if (cached != null) return cached;
    const html = safeMarkdown(block);
    if (blockCache.size >= BLOCK_CACHE_LIMIT) blockCache.delete(blockCache.keys().next().value!);
    blockCache.set(block, html);
    return html;
}
