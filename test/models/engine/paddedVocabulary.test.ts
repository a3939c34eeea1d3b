/**
 * Pairs whose vocabularies differ in size (as in real families: Qwen2.5 0.5B has 151,936 ids, 7B 152,064).
 * stories260K (or its L4 amateur) padded by 128 ids whose rows copy existing ones, so the new ids get real
 * probability, built with our own GGUF writer. Restricted to the 512 shared ids and renormalised, a padded
 * model is the base model, so a padded pair must decode exactly as the unpadded pair: every mode, greedy and
 * sampled, top-K heads and whole heads, with either model padded. (Before the decoder restricted its heads
 * to the shared ids, the first padded id it drew was fed to the model lacking it: llama.cpp's
 * "invalid token", "Eval has failed".)
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import type {DecodeMode} from "../../../src-main/engine/index.ts";
import {rawPrompt, type ModelPair} from "../../../src-main/models/runtime/index.ts";
import {ensureFixture} from "../../../tools/fixtures/fixtureCache.ts";
import {loadTestPair, modelPath, storyAmateurL4, storyExpert} from "../../helpers/models.ts";

const EXTRA = 128;
const modes = ["scd", "sd", "cd", "expert", "amateur"] as const satisfies readonly DecodeMode[];
const promptTexts = ["Lily and Ben went to the park. They"];

describe("pairs with vocabularies of different sizes (stories260K ± 128 padded ids)", () => {
    const pairs = new Map<string, ModelPair>();
    before(async () => {
        const paddedExpert = await ensureFixture("paddedVocabulary", {base: modelPath(storyExpert), extraTokens: EXTRA});
        const paddedAmateur = await ensureFixture("paddedVocabulary", {base: modelPath(storyAmateurL4), extraTokens: EXTRA});
        for (const [label, topK] of [
            ["top-16", 16],
            ["whole", 100_000]
        ] as const) {
            pairs.set(`plain ${label}`, await loadTestPair(storyExpert, storyAmateurL4, {topK}));
            pairs.set(`padded expert ${label}`, await loadTestPair(paddedExpert, storyAmateurL4, {topK}));
            pairs.set(`padded amateur ${label}`, await loadTestPair(storyExpert, paddedAmateur, {topK}));
        }
    });
    after(async () => {
        for (const pair of pairs.values()) await pair.dispose();
    });

    for (const padded of ["expert", "amateur"] as const) {
        for (const heads of ["top-16", "whole"] as const) {
            test(`padded ${padded}, ${heads} heads: every mode, greedy and sampled, decodes as the unpadded pair`, async () => {
                const plain = pairs.get(`plain ${heads}`)!;
                const pair = pairs.get(`padded ${padded} ${heads}`)!;
                const larger = padded === "expert" ? pair.expert : pair.amateur;
                assert.equal(larger.sequence.modelVocabularySize, 512 + EXTRA);
                assert.equal(pair.sharedVocabularySize, 512);
                for (const text of promptTexts) {
                    const prompt = rawPrompt(plain.tokenizerModel, text).tokens;
                    for (const mode of modes) {
                        for (const temperature of [0, 1]) {
                            const options = {mode, temperature, gamma: 3, maxTokens: 48, seed: 17};
                            const label = `"${text}" ${mode} T ${temperature}`;
                            const result = await pair.decoder.generate(prompt, options);
                            const reference = await plain.decoder.generate(prompt, options);
                            assert.ok(
                                result.tokens.every((t) => t < 512),
                                `${label}: an id only one model has was emitted`
                            );
                            assert.deepEqual(result.tokens, reference.tokens, label);
                            assert.equal(result.stats.sharedVocabularySize, 512);
                        }
                    }
                }
            });
        }
    }

    test("the padded ids do get probability: the padded model alone ranks some of them in its top 16", async () => {
        // Without this the tests above would pass on a fixture whose new ids can never be drawn.
        const pair = pairs.get("padded expert whole")!;
        const prompt = rawPrompt(pair.tokenizerModel, "Once upon a time").tokens;
        const {getRuntime} = await import("../../../src-main/models/runtime/index.ts");
        const llama = await getRuntime(false, 1);
        const model = await llama.loadModel({modelPath: pair.expert.file.path});
        const context = await model.createContext({contextSize: 64, threads: 1});
        const sequence = context.getSequence();
        try {
            const input = [...prompt.slice(0, -1), [prompt.at(-1)!, {generateNext: {probabilities: true}}]] as Parameters<
                typeof sequence.controlledEvaluate
            >[0];
            const results = await sequence.controlledEvaluate(input);
            const top = [...results.at(-1)!.next.probabilities!.keys()].slice(0, 16);
            assert.ok(
                top.some((id) => id >= 512),
                `top ids ${top.join(", ")}`
            );
        } finally {
            await context.dispose();
            await model.dispose();
        }
    });
});
