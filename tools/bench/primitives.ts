/**
 * The primitives a speculative round is made of, measured on the pair itself: one amateur step t_a, one
 * expert step t_e (each: one token in, one head out) and one batched verification t_v(γ+1) (γ+1 tokens,
 * γ+1 heads). Each is the median of repeated runs on a cache holding the prompt; the bench measures them
 * again before every repeat of the mode runs and reports the medians.
 */
import {reusePrefix, type DecoderSequence} from "../../src-main/engine/index.ts";
import {spread} from "./summary.ts";

export type Primitives = {
    readonly amateurStepMs: number;
    readonly expertStepMs: number;
    readonly verifyMs: number;
    readonly gamma: number;
};

async function timeEvaluation(sequence: DecoderSequence, prompt: readonly number[], tokens: readonly number[], runs: number): Promise<number> {
    const {pending} = await reusePrefix(sequence, prompt);
    await sequence.evaluate(pending.slice(0, -1), 0);
    const base = sequence.length;
    const times: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
        const started = performance.now();
        await sequence.evaluate(tokens, tokens.length);
        const elapsed = performance.now() - started;
        await sequence.truncate(base);
        if (i >= 2) times.push(elapsed); // the first runs warm caches up
    }
    return spread(times).median;
}

/** Per-primitive medians of several measurements (taken between repeats of the mode runs). */
export function medianPrimitives(samples: readonly Primitives[]): Primitives {
    return {
        amateurStepMs: spread(samples.map((p) => p.amateurStepMs)).median,
        expertStepMs: spread(samples.map((p) => p.expertStepMs)).median,
        verifyMs: spread(samples.map((p) => p.verifyMs)).median,
        gamma: samples[0]!.gamma
    };
}

/** Run inside PairDecoder.exclusive: it edits both caches. */
export async function measurePrimitives(
    expert: DecoderSequence,
    amateur: DecoderSequence,
    prompt: readonly number[],
    gamma: number,
    runs = 15
): Promise<Primitives> {
    const last = prompt[prompt.length - 1]!;
    const verifyTokens = [last, ...prompt.slice(1, gamma + 1)];
    while (verifyTokens.length < gamma + 1) verifyTokens.push(last);
    return {
        amateurStepMs: await timeEvaluation(amateur, prompt, [last], runs),
        expertStepMs: await timeEvaluation(expert, prompt, [last], runs),
        verifyMs: await timeEvaluation(expert, prompt, verifyTokens, runs),
        gamma
    };
}
