/**
 * A model's next-token "head": the most likely tokens at one position with their log-probabilities.
 *
 * Entries are sorted by probability, highest first. When `complete` is false the head holds only the top K
 * tokens, renormalised over those K: every log-probability is then shifted by one constant, which cancels in
 * every ratio and softmax the decoding math takes, so a top-K head is exact wherever it has the token.
 */

export type Head = {
    readonly ids: Int32Array;
    readonly logProbs: Float64Array;
    /** True when the head covers the whole vocabulary. */
    readonly complete: boolean;
};

/** Builds a head from a probability map sorted highest first (node-llama-cpp's `probabilities` output). */
export function headFromProbabilities(probabilities: ReadonlyMap<number, number>, complete: boolean): Head {
    const ids = new Int32Array(probabilities.size);
    const logProbs = new Float64Array(probabilities.size);
    let i = 0;
    for (const [token, probability] of probabilities) {
        ids[i] = token;
        logProbs[i] = Math.log(probability);
        i++;
    }
    return {ids, logProbs, complete};
}

/** Builds a head from parallel arrays of ids and probabilities, sorting them highest first (tests, fixtures). */
export function headFromArrays(ids: ArrayLike<number>, probabilities: ArrayLike<number>, complete = true): Head {
    const order = Array.from({length: ids.length}, (_, i) => i).sort((x, y) => probabilities[y]! - probabilities[x]! || ids[x]! - ids[y]!);
    return {
        ids: Int32Array.from(order, (i) => ids[i]!),
        logProbs: Float64Array.from(order, (i) => Math.log(probabilities[i]!)),
        complete
    };
}

/**
 * The head restricted to ids below `idLimit` (the ids both models of a pair share), at most `keep` entries,
 * renormalised over what is left when anything was dropped. A top-K head read with K + (ids past the limit)
 * entries keeps exactly the top K shared ids; a complete head stays complete over the shared ids.
 */
export function restrictHead(head: Head, idLimit: number, keep: number): Head {
    let kept = 0;
    for (let i = 0; i < head.ids.length && kept < keep; i++) if (head.ids[i]! < idLimit) kept++;
    if (kept === head.ids.length) return head;
    if (kept === 0) throw new Error(`the head holds no token id below ${idLimit}`);
    const ids = new Int32Array(kept);
    const logProbs = new Float64Array(kept);
    let j = 0;
    for (let i = 0; i < head.ids.length && j < kept; i++) {
        if (head.ids[i]! >= idLimit) continue;
        ids[j] = head.ids[i]!;
        logProbs[j] = head.logProbs[i]!;
        j++;
    }
    // Renormalise (log-sum-exp from the largest, which is first).
    let total = 0;
    for (let i = 0; i < kept; i++) total += Math.exp(logProbs[i]! - logProbs[0]!);
    const shift = logProbs[0]! + Math.log(total);
    for (let i = 0; i < kept; i++) logProbs[i] = logProbs[i]! - shift;
    return {ids, logProbs, complete: head.complete};
}
