/**
 * Token provenance over text: runs of consecutive UTF-16 code units (the units of a JS string's `length`, so a
 * message's runs always sum to `content.length`) that came from one token source. The one implementation of
 * appending and merging runs, used by the engine host (batching), the store (streaming writes) and the UI.
 * Pure; safe to import from the renderer.
 */
import type {TokenRun, TokenSourceName} from "./api.ts";

/** Appends `length` units of `source` to `runs` itself, growing the last run when its source matches. */
export function pushRun(runs: TokenRun[], source: TokenSourceName, length: number): void {
    if (length <= 0) return;
    const last = runs[runs.length - 1];
    if (last != null && last.source === source) runs[runs.length - 1] = {source, length: last.length + length};
    else runs.push({source, length});
}

/**
 * Appends `added` to `target` itself (adjacent runs of one source merged, empty runs dropped) and returns it:
 * a streamed frame costs its own runs, not a copy of the whole answer's.
 */
export function appendRunsInPlace(target: TokenRun[], added: readonly TokenRun[]): TokenRun[] {
    for (const run of added) pushRun(target, run.source, run.length);
    return target;
}

/** `existing` followed by `added`, adjacent runs of one source merged, empty runs dropped (inputs unchanged). */
export function appendRuns(existing: readonly TokenRun[], added: readonly TokenRun[]): TokenRun[] {
    return appendRunsInPlace(existing.slice(), added);
}

/** Code units the runs cover. */
export function runsLength(runs: readonly TokenRun[]): number {
    return runs.reduce((sum, run) => sum + run.length, 0);
}
