/**
 * Token provenance over a message's text: the service sends runs of characters (JS string length units), each
 * from one token source; the UI merges streamed runs and cuts the content into coloured segments. Pure.
 */
import type {TokenRun, TokenSourceName} from "../../src-main/contract/api.ts";

export const tokenSources: readonly TokenSourceName[] = ["draft", "correction", "bonus", "direct"];

/** Legend text for each source, in the words the stats use. */
export const tokenSourceLabels: Readonly<Record<TokenSourceName, string>> = {
    draft: "accepted draft (amateur)",
    correction: "correction (expert replaced a draft)",
    bonus: "bonus (expert, after all drafts accepted)",
    direct: "direct (one model per token)"
};

/** A piece of the content and where it came from; `source` null where no run covers it. */
export type Segment = {readonly source: TokenSourceName | null; readonly text: string};

/** `existing` followed by `added`, adjacent runs of one source merged, empty runs dropped (inputs unchanged). */
export function appendRuns(existing: readonly TokenRun[], added: readonly TokenRun[]): TokenRun[] {
    const out: TokenRun[] = existing.slice();
    for (const run of added) {
        if (run.length <= 0) continue;
        const last = out[out.length - 1];
        if (last != null && last.source === run.source) out[out.length - 1] = {source: run.source, length: last.length + run.length};
        else out.push({source: run.source, length: run.length});
    }
    return out;
}

/**
 * Cuts `content` into segments along `runs`. Runs reaching past the end are clipped; content beyond the last
 * run (or all of it when runs are null) is one segment with source null, so no character is ever lost.
 */
export function segmentsFromRuns(content: string, runs: readonly TokenRun[] | null): Segment[] {
    const segments: Segment[] = [];
    let at = 0;
    for (const run of runs ?? []) {
        if (at >= content.length) break;
        if (run.length <= 0) continue;
        const end = Math.min(content.length, at + run.length);
        const last = segments[segments.length - 1];
        const text = content.slice(at, end);
        if (last != null && last.source === run.source) segments[segments.length - 1] = {source: run.source, text: last.text + text};
        else segments.push({source: run.source, text});
        at = end;
    }
    if (at < content.length) segments.push({source: null, text: content.slice(at)});
    return segments;
}

/** Characters per source, for the legend's counts. */
export function charactersBySource(runs: readonly TokenRun[] | null): Record<TokenSourceName, number> {
    const counts: Record<TokenSourceName, number> = {draft: 0, correction: 0, bonus: 0, direct: 0};
    for (const run of runs ?? []) counts[run.source] += Math.max(0, run.length);
    return counts;
}
