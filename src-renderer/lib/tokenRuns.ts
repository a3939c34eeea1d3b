/**
 * Token provenance over a message's text: the service sends runs of characters (JS string length units), each
 * from one token source; the UI merges streamed runs and cuts the content into coloured segments, append-only
 * while it streams. Pure.
 */
import type {TokenRun, TokenSourceName} from "../../src-shared/index.ts";

export const tokenSources: readonly TokenSourceName[] = ["draft", "correction", "bonus", "direct"];

/** Legend text for each source, in the words the stats use. */
export const tokenSourceLabels: Readonly<Record<TokenSourceName, string>> = {
    draft: "accepted draft (amateur)",
    correction: "correction (expert replaced a draft)",
    bonus: "bonus (expert, after all drafts accepted)",
    direct: "direct (one model per token)"
};

/** A piece of the content and where it came from; `source` null where no run covers it (yet). */
export type Segment = {readonly source: TokenSourceName | null; readonly text: string};

export {appendRuns, appendRunsInPlace} from "../../src-shared/index.ts";

/** Characters per source, for the legend's counts. */
export function charactersBySource(runs: readonly TokenRun[] | null): Record<TokenSourceName, number> {
    const counts: Record<TokenSourceName, number> = {draft: 0, correction: 0, bonus: 0, direct: 0};
    for (const run of runs ?? []) counts[run.source] += Math.max(0, run.length);
    return counts;
}

/** Longest text one segment gets while streaming: a longer stretch of one source continues in a new segment, so
 * a frame never rewrites a long text node (the spans look the same side by side). */
export const MAX_SEGMENT_LENGTH = 200;

/**
 * The highlight view of a growing answer, built append-only: `update` looks only at the content and runs past
 * what it has already cut, so a streamed frame costs the new text, not the whole answer. Segments are grouped in
 * lines (each but the last ends with its "\n"), which the page shows as block elements: the browser then lays
 * out only the growing line each frame, not the whole answer (one long run of inline spans costs a layout that
 * grows with the answer). The answer's leading whitespace (the story model continues the user's text: " named
 * Max.") goes to `lead` instead of a segment, so the page can hide it while the text it holds stays the
 * content, character for character: lead + the lines' segments + `content.slice(covered)` (text no run covers
 * yet) = content.
 */
export class SegmentStream {
    /** Whitespace before the answer's first visible character. */
    lead = "";
    /** Characters of the content cut so far (into `lead` and the segments). */
    covered = 0;
    private runIndex = 0;
    /** Characters of runs[runIndex] already cut. */
    private runUsed = 0;

    /**
     * `lines` is the list the page shows: `update` only pushes lines, pushes to the last line and replaces its
     * last segment (merging text of the same source), so a reactive array re-renders just those.
     */
    constructor(readonly lines: Segment[][] = []) {}

    /** Every segment, line after line. */
    get segments(): Segment[] {
        return this.lines.flat();
    }

    /**
     * Cuts what `content` and `runs` hold past the last call. Both must extend what earlier calls saw (runs may
     * grow by their last run's length); otherwise start a new SegmentStream.
     */
    update(content: string, runs: readonly TokenRun[] | null): void {
        if (runs == null) return;
        while (this.covered < content.length && this.runIndex < runs.length) {
            const run = runs[this.runIndex]!;
            const available = run.length - this.runUsed;
            if (available <= 0) {
                if (this.runIndex === runs.length - 1) break; // the last run may still grow
                this.runIndex++;
                this.runUsed = 0;
                continue;
            }
            const take = Math.min(available, content.length - this.covered);
            this.add(run.source, content.slice(this.covered, this.covered + take));
            this.covered += take;
            this.runUsed += take;
        }
    }

    private add(source: TokenSourceName, piece: string): void {
        let text = piece;
        if (this.lines.length === 0) {
            const visible = text.search(/\S/);
            this.lead += visible < 0 ? text : text.slice(0, visible);
            if (visible < 0) return;
            text = text.slice(visible);
            this.lines.push([]);
        }
        while (text !== "") {
            // Read back through `lines` each time: in the page it is a reactive proxy, and so are its lines.
            const line = this.lines[this.lines.length - 1]!;
            const last = line[line.length - 1];
            if (last != null && last.text.endsWith("\n")) {
                this.lines.push([]);
                continue;
            }
            const newline = text.indexOf("\n");
            const lineRest = newline < 0 ? text.length : newline + 1;
            const room = last != null && last.source === source ? MAX_SEGMENT_LENGTH - last.text.length : 0;
            const take = Math.min(room > 0 ? room : MAX_SEGMENT_LENGTH, lineRest);
            if (room > 0) line[line.length - 1] = {source, text: last!.text + text.slice(0, take)};
            else line.push({source, text: text.slice(0, take)});
            text = text.slice(take);
        }
    }
}

/** The leading whitespace the page hides in an answer (display only: the content itself keeps it). */
export function leadingWhitespace(content: string): number {
    const visible = content.search(/\S/);
    return visible < 0 ? content.length : visible;
}
