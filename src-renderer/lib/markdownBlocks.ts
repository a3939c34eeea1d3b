/**
 * Streaming Markdown in pieces: a growing answer is cut into finished top-level blocks and the unfinished
 * tail, so each frame re-renders only the tail (the finished blocks keep their HTML). Hard cuts fall only on a
 * blank line outside code fences whose next line starts flush left (so indented continuations and fenced code
 * stay whole): rendering block by block then gives the whole answer's HTML. Pure.
 *
 * An answer without blank lines (the story model writes none) would stay one growing tail, rendered again
 * every frame. `softCutAfter` bounds that: once the current block is that long, it is also cut after a
 * sentence end (". " then the next sentence's first character) or at a line end, where the block is a plain
 * paragraph and its inline marks are closed (runs of backticks and of asterisks paired, brackets and
 * parentheses balanced). The pieces of a paragraph so cut are marked (`continues`): the page renders them inline, one after
 * the other, inside one paragraph; it renders the finished answer whole once at the end.
 */

export type StreamBlocks = {
    /** Finished blocks (hard ones end with their blank line); they never change once listed. */
    readonly blocks: readonly string[];
    /**
     * Per block: it began at a soft cut and holds paragraph text only, so it continues the paragraph of the
     * block before it (which is then paragraph text only too). Never changes once listed.
     */
    readonly continues: readonly boolean[];
    /** The rest, still growing. */
    readonly tail: string;
    /** The tail began at a soft cut and is paragraph text only so far. */
    readonly tailContinues: boolean;
};

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** A line that starts something other than a plain paragraph's text (list, quote, heading, table, fence, HTML, underline). */
const NOT_PLAIN = /^\s*(?:[-*+>#|=<]|\d+[.)]|`{3}|~{3})/;
const SENTENCE_END = /[.!?]["')\]]*$/;
/** A character that starts plain text whatever follows it (letters, quotes, an opening parenthesis). */
const PLAIN_START = /^[\p{L}"'“‘(]$/u;

export function splitStreamBlocks(text: string, options: {softCutAfter?: number} = {}): StreamBlocks {
    const softCutAfter = options.softCutAfter ?? Infinity;
    const blocks: string[] = [];
    const continues: boolean[] = [];
    let blockStart = 0;
    let startedSoft = false;
    let fence: string | null = null;
    let lineStart = 0;
    let previousBlank = false;
    // The current block: a plain paragraph so far, and its open inline marks.
    let plain = true;
    let backticks = 0;
    let stars = 0;
    let brackets = 0;
    let parens = 0;
    const cut = (at: number, rest: string, soft: boolean): void => {
        blocks.push(text.slice(blockStart, at));
        continues.push(startedSoft && plain);
        startedSoft = soft;
        blockStart = at;
        plain = !NOT_PLAIN.test(rest);
        backticks = stars = brackets = parens = 0;
    };
    const softCut = (at: number): boolean =>
        fence == null && plain && at - blockStart >= softCutAfter && backticks % 2 === 0 && stars % 2 === 0 && brackets === 0 && parens === 0;

    while (lineStart < text.length) {
        const newline = text.indexOf("\n", lineStart);
        const lineEnd = newline < 0 ? text.length : newline;
        const line = text.slice(lineStart, lineEnd);
        const blank = line.trim() === "";
        // What decides a cut is known early, so a cut once made stays made as the text grows: a hard cut waits
        // for the whole line (as before), the line's kind for its first word (all NOT_PLAIN looks at).
        const firstWordKnown = newline >= 0 || /^\s*\S+\s/.test(line);
        // After a blank line a hard cut may still come at this line's start: no soft cut in it until then.
        const softCutsHere = newline >= 0 || !previousBlank;
        if (newline >= 0 && fence == null && previousBlank && !blank && !/^\s/.test(line) && lineStart > blockStart) {
            cut(lineStart, line, false);
        } else if (firstWordKnown && !previousBlank && lineStart > blockStart && /^\S/.test(line) && !NOT_PLAIN.test(line) && softCut(lineStart)) {
            cut(lineStart, line, true);
        } else if (firstWordKnown && NOT_PLAIN.test(line)) {
            plain = false;
        }
        // Inline marks, and sentence ends inside the line (only where the next sentence has begun).
        for (let at = lineStart; at < lineEnd; at++) {
            const char = text[at]!;
            // Delimiter runs, not characters: "**" opens bold as "`" opens code, so pairs of runs close them.
            if (char === "`") backticks += text[at - 1] === "`" && at > lineStart ? 0 : 1;
            else if (char === "*") stars += text[at - 1] === "*" && at > lineStart ? 0 : 1;
            else if (char === "[") brackets++;
            else if (char === "]") brackets--;
            else if (char === "(") parens++;
            else if (char === ")") parens--;
            // (The next sentence must start with a letter or the like: a piece starting "1. " or "- " would
            // render as a list, and one character decides it, so the cut stays made.)
            else if (
                (char === " " || char === "\t") &&
                at + 1 < lineEnd &&
                PLAIN_START.test(text[at + 1]!) &&
                softCutsHere &&
                SENTENCE_END.test(text.slice(Math.max(lineStart, at - 4), at)) &&
                softCut(at + 1)
            ) {
                cut(at + 1, text.slice(at + 1, lineEnd), true);
            }
        }
        if (newline < 0) break; // the last line is unfinished: it belongs to the tail
        const fenceMatch = FENCE.exec(line);
        if (fenceMatch != null) {
            const marker = fenceMatch[1]!;
            if (fence == null) fence = marker;
            else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
        }
        previousBlank = blank && fence == null;
        lineStart = newline + 1;
    }
    return {blocks, continues, tail: text.slice(blockStart), tailContinues: startedSoft && plain};
}
