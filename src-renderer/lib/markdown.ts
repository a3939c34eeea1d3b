/**
 * Markdown → HTML for answers: `marked` (GFM, single newlines kept as breaks), code blocks highlighted by
 * highlight.js (core plus a handful of languages, to keep the bundle small) with a copy button, raw HTML in the
 * text shown as text, images shown as their alt text (no remote content). The output is NOT safe by itself:
 * the page always passes it through DOMPurify with `sanitizeConfig` (safeHtml.ts). Pure: no DOM.
 */
import {Marked, type Tokens} from "marked";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdownLanguage from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const languages = {bash, c, cpp, css, diff, go, java, javascript, json, markdown: markdownLanguage, python, rust, shell, sql, typescript, xml, yaml};
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);

export function escapeHtml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The language name of a fence's info string ("ts title=x" → "ts"), lower-case; "" when none. */
function fenceLanguage(info: string | undefined): string {
    return (info ?? "").trim().split(/\s+/)[0]!.toLowerCase();
}

function codeBlock(text: string, info: string | undefined, highlight: boolean): string {
    const language = fenceLanguage(info);
    const known = language !== "" && hljs.getLanguage(language) != null;
    const body = known && highlight ? hljs.highlight(text, {language, ignoreIllegals: true}).value : escapeHtml(text);
    const label = language === "" ? "" : `<span class="code-lang">${escapeHtml(language)}</span>`;
    return (
        `<div class="code-block"><div class="code-head">${label}<button type="button" class="copy-code" aria-label="Copy code">Copy</button></div>` +
        `<pre><code class="hljs${known ? ` language-${escapeHtml(language)}` : ""}">${body}</code></pre></div>\n`
    );
}

function createParser(highlight: boolean): Marked {
    return new Marked({
        gfm: true,
        breaks: true,
        async: false,
        renderer: {
            code: (token: Tokens.Code) => codeBlock(token.text, token.lang, highlight),
            html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
            image: (token: Tokens.Image) => `<span class="md-image">[image${token.text === "" ? "" : `: ${escapeHtml(token.text)}`}]</span>`
        }
    });
}

const highlighting = createParser(true);
const plain = createParser(false);

/**
 * Unsanitised HTML for `text` (a whole message, or the part streamed so far: open fences render as code).
 * `highlight: false` leaves code uncoloured: the growing tail of a stream, re-rendered every frame, would
 * otherwise highlight its open code block again and again.
 */
export function renderMarkdown(text: string, options: {highlight?: boolean} = {}): string {
    return (options.highlight === false ? plain : highlighting).parse(text, {async: false});
}

/**
 * Unsanitised inline HTML for a piece of one paragraph (no `<p>` around it): a streamed paragraph cut at
 * sentence and line ends is shown as its pieces side by side inside one paragraph. A piece that ends the
 * paragraph (its blank line) loses its trailing whitespace, as the paragraph would; one cut at a line end
 * keeps that line's break.
 */
export function renderMarkdownInline(piece: string): string {
    if (/\n[ \t]*\n\s*$/.test(piece)) return plain.parseInline(piece.trimEnd(), {async: false});
    if (piece.endsWith("\n")) return `${plain.parseInline(piece.slice(0, -1), {async: false})}<br>`;
    return plain.parseInline(piece, {async: false});
}

/** DOMPurify settings for rendered answers: only the tags and attributes the renderer produces. */
export const sanitizeConfig = {
    ALLOWED_TAGS: [
        "a",
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "div",
        "button",
        "input",
        "sup",
        "sub"
    ],
    ALLOWED_ATTR: ["href", "title", "class", "type", "aria-label", "disabled", "checked", "align", "start"],
    ALLOW_DATA_ATTR: false,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i
};
