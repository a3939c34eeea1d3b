/**
 * Dense, obviously-correct reference implementations of the decoding math over a small vocabulary,
 * written straight from the formulas, to check the sparse production code against.
 */

/** p_n over ids 0..n-1 from dense expert/amateur log-probabilities (temperature > 0). */
export function referenceContrast(expertLogProbs: number[], amateurLogProbs: number[], alpha: number, beta: number, temperature: number): number[] {
    const expertProbs = softmaxDense(expertLogProbs, 1);
    const maxProb = Math.max(...expertProbs);
    const weights = expertLogProbs.map((s, x) =>
        expertProbs[x]! >= alpha * maxProb ? Math.exp(((1 + beta) * s - beta * amateurLogProbs[x]!) / temperature) : 0
    );
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
}

/** Greedy contrast: the argmax id of the contrast score over the plausible set (ties: smallest id). */
export function referenceGreedyContrast(expertLogProbs: number[], amateurLogProbs: number[], alpha: number, beta: number): number {
    const expertProbs = softmaxDense(expertLogProbs, 1);
    const maxProb = Math.max(...expertProbs);
    let best = -1;
    let bestScore = -Infinity;
    expertLogProbs.forEach((s, x) => {
        if (expertProbs[x]! < alpha * maxProb) return;
        const score = (1 + beta) * s - beta * amateurLogProbs[x]!;
        if (score > bestScore) {
            best = x;
            bestScore = score;
        }
    });
    return best;
}

export function softmaxDense(logits: number[], temperature: number): number[] {
    const max = Math.max(...logits);
    const weights = logits.map((l) => Math.exp((l - max) / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
}

/** Log-probabilities of a random distribution over n tokens, some of them very small. */
export function randomLogProbs(n: number, random: () => number): number[] {
    const logits = Array.from({length: n}, () => (random() - 0.5) * 8);
    return softmaxDense(logits, 1).map(Math.log);
}
