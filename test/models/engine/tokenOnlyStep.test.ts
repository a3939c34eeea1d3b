/**
 * Token-only greedy steps on the real story model: llama.cpp's own argmax (no head read) picks, at every
 * position of a long greedy run, the token the head's argmax picks, so greedy expert/amateur output (and sd's
 * expert-only fallback under γ auto) is unchanged; and it is offered only where the model's ids are the
 * pair's shared ones. Prints what a token-only step saves against a head read.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {argmaxIndex} from "../../../src-main/engine/math/distribution.ts";
import type {Head} from "../../../src-main/engine/math/head.ts";
import type {ModelPair} from "../../../src-main/models/runtime/modelPair.ts";
import {rawPrompt} from "../../../src-main/models/runtime/promptFormat.ts";
import {ModelSequence} from "../../../src-main/engine/modelSequence.ts";
import {loadTestPair, storyAmateurL4, storyExpert} from "../../helpers/models.ts";

const STEPS = 120;

function argmaxOf(head: Head): number {
    return head.ids[argmaxIndex(head.ids, head.logProbs)]!;
}

describe("token-only greedy steps", () => {
    let pair: ModelPair;
    before(async () => {
        pair = await loadTestPair(storyExpert, storyAmateurL4);
    });
    after(async () => {
        await pair.dispose();
    });

    test(`for ${STEPS} greedy steps llama.cpp's argmax equals the head's, and the expert alone decodes the same tokens`, async () => {
        const prompt = rawPrompt(pair.tokenizerModel, "Once upon a time").tokens;
        const {viaHeads, viaArgmax, headMs, argmaxMs} = await pair.decoder.exclusive(async (expert) => {
            assert.ok(expert.evaluateArgmax != null, "the story model offers token-only steps");
            const run = async (step: (tokens: number[]) => Promise<number>) => {
                await expert.truncate(0);
                const tokens: number[] = [];
                let pending = prompt;
                const started = performance.now();
                for (let i = 0; i < STEPS; i++) {
                    const token = await step(pending);
                    tokens.push(token);
                    pending = [token];
                }
                return {tokens, ms: performance.now() - started};
            };
            const heads = await run(async (tokens) => argmaxOf((await expert.evaluate(tokens, 1))[0]!));
            const argmax = await run((tokens) => expert.evaluateArgmax!(tokens));
            return {viaHeads: heads.tokens, viaArgmax: argmax.tokens, headMs: heads.ms, argmaxMs: argmax.ms};
        });
        assert.deepEqual(viaArgmax, viaHeads);
        console.log(
            `# ${STEPS} expert steps: with heads ${(headMs / STEPS).toFixed(3)} ms each, token-only ${(argmaxMs / STEPS).toFixed(3)} ms each`
        );

        await pair.clearCaches();
        const decoded = await pair.decoder.generate(prompt, {mode: "expert", temperature: 0, maxTokens: STEPS});
        assert.deepEqual(decoded.tokens, viaHeads.slice(0, decoded.tokens.length));
    });

    test("a model whose ids go past the pair's shared ones offers no token-only step (its argmax could be one of them)", () => {
        const {sequence} = pair.expert;
        assert.ok(sequence.evaluateArgmax != null);
        // What a step offers is fixed at construction, which reads only the sizes (the context's one sequence is taken).
        const wider = new ModelSequence(null as never, sequence.modelVocabularySize, 64, sequence.modelVocabularySize - 12);
        assert.equal(wider.evaluateArgmax, undefined);
    });
});
