/** Reads both models' heads after a token prefix, each from a single-position evaluation (the reference CD sees). */
import type {Head} from "../../src-main/engine/math/head.ts";
import type {ModelPair} from "../../src-main/models/modelPair.ts";

export async function headsAfter(pair: ModelPair, tokens: readonly number[]): Promise<[expert: Head, amateur: Head]> {
    const heads: Head[] = [];
    for (const sequence of [pair.expert.sequence, pair.amateur.sequence]) {
        const {pending} = await sequence.reusePrefix(tokens);
        heads.push((await sequence.evaluate(pending, 1))[0]!);
    }
    return [heads[0]!, heads[1]!];
}
