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
