/** Reads both models' heads after a token prefix, each from a single-position evaluation (the reference CD sees). */
import type {Head} from "../../src-main/engine/math/head.ts";
import type {ModelPair} from "../../src-main/models/runtime/modelPair.ts";
import {reusePrefix} from "../../src-main/engine/sequence.ts";

export function headsAfter(pair: ModelPair, tokens: readonly number[]): Promise<[expert: Head, amateur: Head]> {
    return pair.decoder.exclusive(async (expert, amateur) => {
        const heads: Head[] = [];
        for (const sequence of [expert, amateur]) {
            const {pending} = await reusePrefix(sequence, tokens);
            heads.push((await sequence.evaluate(pending, 1))[0]!);
        }
        return [heads[0]!, heads[1]!];
    });
}
