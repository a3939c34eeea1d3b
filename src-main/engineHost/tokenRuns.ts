/**
 * Token provenance over text: runs of consecutive UTF-16 code units (the units of a JS string's `length`, so
 * the runs of a message always sum to `content.length`) that came from one token source. Pure functions
 * (the store's answerWriter.ts merges whole run lists the same way).
 */
import type {TokenRun, TokenSourceName} from "../contract/api.ts";

/** Appends `length` units of `source`, merging with the last run when it has the same source. Mutates `runs`. */
export function pushRun(runs: TokenRun[], source: TokenSourceName, length: number): void {
    if (length <= 0) return;
    const last = runs.at(-1);
    if (last != null && last.source === source) runs[runs.length - 1] = {source, length: last.length + length};
    else runs.push({source, length});
}

export function runsLength(runs: readonly TokenRun[]): number {
    return runs.reduce((sum, run) => sum + run.length, 0);
}
