/** Text-quality statistics of generated token sequences: repeated n-grams, distinct-n, trailing loops, and a summary over many samples. */

export type QualitySummary = {
    samples: number;
    repeated4gramShare: number;
    distinct2: number;
    distinct3: number;
    loopShare: number;
    meanLogLikelihood: number | null;
};

function checkN(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${n}`);
}

/** Adds the n-gram keys of one sequence to `seen`; returns how many n-grams it has. Keys join the ids with "," (collision-free). */
function collectNgrams(tokens: readonly number[], n: number, seen: Set<string>): number {
    const count = tokens.length - n + 1;
    if (count <= 0) return 0;
    for (let i = 0; i < count; i++) {
        let key = String(tokens[i]);
        for (let j = 1; j < n; j++) key += "," + tokens[i + j];
        seen.add(key);
    }
    return count;
}

/** Share of n-grams (default 4-grams, of token ids) that repeat an earlier n-gram in the same sequence: (#n-grams − #distinct n-grams) / #n-grams; 0 when there are none. */
export function repeatedNgramShare(tokens: readonly number[], n = 4): number {
    checkN(n);
    const seen = new Set<string>();
    const total = collectNgrams(tokens, n, seen);
    return total === 0 ? 0 : (total - seen.size) / total;
}

/** distinct-n: #distinct n-grams / #n-grams (over one sequence); 0 when there are none. */
export function distinctN(tokens: readonly number[], n: number): number {
    checkN(n);
    const seen = new Set<string>();
    const total = collectNgrams(tokens, n, seen);
    return total === 0 ? 0 : seen.size / total;
}

/** Pooled distinct-n across many sequences: distinct n-grams over all sequences / total n-grams (n-grams never span two sequences); 0 when there are none. */
export function pooledDistinctN(sequences: readonly (readonly number[])[], n: number): number {
    checkN(n);
    const seen = new Set<string>();
    let total = 0;
    for (const tokens of sequences) total += collectNgrams(tokens, n, seen);
    return total === 0 ? 0 : seen.size / total;
}

/**
 * Does the sequence end in a loop: a block of L tokens (1 ≤ L ≤ maxPeriod, default 32) repeated back to back
 * at least `minRepeats` times (default 3) at its end, the full copies covering ≥ minCoverage (default 16) tokens?
 * Returns the smallest such period, or null.
 */
export function detectTrailingLoop(
    tokens: readonly number[],
    options: {maxPeriod?: number; minRepeats?: number; minCoverage?: number} = {}
): number | null {
    const maxPeriod = options.maxPeriod ?? 32;
    const minRepeats = options.minRepeats ?? 3;
    const minCoverage = options.minCoverage ?? 16;
    if (!Number.isInteger(maxPeriod) || maxPeriod < 1) throw new RangeError(`maxPeriod must be an integer ≥ 1, got ${maxPeriod}`);
    if (!Number.isInteger(minRepeats) || minRepeats < 1) throw new RangeError(`minRepeats must be an integer ≥ 1, got ${minRepeats}`);
    if (!Number.isFinite(minCoverage)) throw new RangeError(`minCoverage must be a finite number, got ${minCoverage}`);
    const length = tokens.length;
    for (let period = 1; period <= maxPeriod && period * minRepeats <= length; period++) {
        // Length of the longest suffix with period `period`: walk back while t[i] === t[i + period].
        let i = length - period - 1;
        while (i >= 0 && tokens[i] === tokens[i + period]) i--;
        const periodicSuffix = length - 1 - i;
        const copies = Math.floor(periodicSuffix / period);
        if (copies >= minRepeats && copies * period >= minCoverage) return period;
    }
    return null;
}

/**
 * Mean of per-sequence metrics (repeated 4-gram share, share of sequences with a trailing loop), distinct-2/3
 * pooled over all sequences, plus the mean of given per-sequence log-likelihoods when provided (one number per
 * sequence: mean log p per token; null when not given or empty). Means over zero samples are 0.
 */
export function summarizeQuality(sequences: readonly (readonly number[])[], meanLogLikelihoods?: readonly number[]): QualitySummary {
    if (meanLogLikelihoods !== undefined && meanLogLikelihoods.length !== sequences.length)
        throw new RangeError(`got ${meanLogLikelihoods.length} log-likelihoods for ${sequences.length} sequences`);
    const samples = sequences.length;
    let repeated = 0;
    let loops = 0;
    for (const tokens of sequences) {
        repeated += repeatedNgramShare(tokens, 4);
        if (detectTrailingLoop(tokens) !== null) loops++;
    }
    let meanLogLikelihood: number | null = null;
    if (meanLogLikelihoods !== undefined && meanLogLikelihoods.length > 0)
        meanLogLikelihood = meanLogLikelihoods.reduce((sum, value) => sum + value, 0) / meanLogLikelihoods.length;
    return {
        samples,
        repeated4gramShare: samples === 0 ? 0 : repeated / samples,
        distinct2: pooledDistinctN(sequences, 2),
        distinct3: pooledDistinctN(sequences, 3),
        loopShare: samples === 0 ? 0 : loops / samples,
        meanLogLikelihood
    };
}
