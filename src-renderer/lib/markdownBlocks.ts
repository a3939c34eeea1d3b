/**
 * Streaming Markdown in pieces: a growing answer is cut into finished top-level blocks and the unfinished
 * tail, so each frame re-renders only the tail (the finished blocks keep their HTML). Cuts fall only on a
 * blank line outside code fences whose next line starts flush left (so indented continuations and fenced code
 * stay whole). Pure.
 */

export type StreamBlocks = {
    /** Finished blocks, each ending with its blank line; they never change once listed. */
    readonly blocks: readonly string[];
    /** The rest, still growing. */
    readonly tail: string;
};

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function splitStreamBlocks(text: string): StreamBlocks {
    const blocks: string[] = [];
    let blockStart = 0;
    let fence: string | null = null;
    let lineStart = 0;
    let previousBlank = false;
    while (lineStart < text.length) {
        const newline = text.indexOf("\n", lineStart);
        if (newline < 0) break; // the last line is unfinished: it belongs to the tail
        const line = text.slice(lineStart, newline);
        const fenceMatch = FENCE.exec(line);
        const blank = line.trim() === "";
        if (fence == null && previousBlank && !blank && !/^\s/.test(line) && lineStart > blockStart) {
            blocks.push(text.slice(blockStart, lineStart));
            blockStart = lineStart;
        }
        if (fenceMatch != null) {
            const marker = fenceMatch[1]!;
            if (fence == null) fence = marker;
            else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
        }
        previousBlank = blank && fence == null;
        lineStart = newline + 1;
    }
    return {blocks, tail: text.slice(blockStart)};
}
