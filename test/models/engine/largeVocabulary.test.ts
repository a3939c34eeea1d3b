/**
 * The 32k-vocabulary model (random weights: mechanics and costs, not text) exercises the top-K head path:
 * heads of K entries, the approximations counted, sd still equal to the expert, and the per-position cost of
 * reading a top-K head against the whole vocabulary (printed; the bench holds the speed targets).
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import type {ModelPair} from "../../../src-main/models/runtime/modelPair.ts";
import {rawPrompt} from "../../../src-main/models/runtime/promptFormat.ts";
import {loadTestPair, randomLargeVocab} from "../../helpers/models.ts";

const TOP_K = 64;

describe("top-K heads on the 32k-vocabulary model (as its own amateur)", () => {
    let pair: ModelPair;
    let prompt: number[];
    before(async () => {
        pair = await loadTestPair(randomLargeVocab, randomLargeVocab, {topK: TOP_K});
        prompt = rawPrompt(pair.tokenizerModel, "Hello there, how are you").tokens;
    });
    after(async () => {
        await pair.dispose();
    });

    test("heads hold exactly K tokens, sorted, renormalised over K", async () => {
        const heads = await pair.decoder.exclusive(async () => {
            const {pending} = await pair.expert.sequence.reusePrefix(prompt);
            return pair.expert.sequence.evaluate(pending, 2);
        });
        for (const head of heads) {
            assert.equal(head.complete, false);
            assert.equal(head.ids.length, TOP_K);
            let mass = 0;
            for (let i = 0; i < TOP_K; i++) {
                mass += Math.exp(head.logProbs[i]!);
                if (i > 0) assert.ok(head.logProbs[i]! <= head.logProbs[i - 1]!);
            }
            assert.ok(Math.abs(mass - 1) < 1e-4, `top-K mass ${mass}`);
        }
    });

    test("greedy sd equals the greedy expert, and a model drafting for itself is always accepted", async () => {
        const expert = await pair.decoder.generate(prompt, {mode: "expert", temperature: 0, maxTokens: 40});
        const sd = await pair.decoder.generate(prompt, {mode: "sd", temperature: 0, maxTokens: 40, gamma: 4});
        assert.deepEqual(sd.tokens, expert.tokens);
        assert.equal(sd.stats.acceptanceRate, 1);
        const sampled = await pair.decoder.generate(prompt, {mode: "sd", temperature: 1, maxTokens: 40, gamma: 4, seed: 9});
        assert.ok(sampled.stats.acceptanceRate! > 0.99, `sampled self-drafting acceptance ${sampled.stats.acceptanceRate}`);
    });

    test("scd counts the top-K approximations it hits", async () => {
        // A random model's next-token distribution is nearly flat: every listed token is plausible at α = 0.1,
        // so V may run past the K listed tokens at every position, and the count says so.
        const result = await pair.decoder.generate(prompt, {mode: "scd", temperature: 1, maxTokens: 30, seed: 4});
        assert.equal(result.tokens.length, 30);
        assert.ok(result.stats.headTruncations > 0);
        assert.equal(result.stats.amateurFloorHits, 0, "the same model lists the same K tokens");
    });

    test("cost per position: top-K head vs the whole vocabulary", () =>
        pair.decoder.exclusive(async () => {
            const {pending} = await pair.expert.sequence.reusePrefix(prompt);
            await pair.expert.sequence.evaluate(pending, 1);
            const base = pair.expert.sequence.length;
            const perPosition = async (topK: number, runs: number, headCount = 1): Promise<number> => {
                const sequence = pair.expert.sequence.withTopK(topK);
                const started = performance.now();
                for (let i = 0; i < runs; i++) {
                    await sequence.evaluate([prompt[1]!], headCount);
                    await sequence.truncate(base);
                }
                return (performance.now() - started) / runs;
            };
            const noHead = await perPosition(TOP_K, 30, 0);
            const topK = await perPosition(TOP_K, 30);
            const full = await perPosition(1_000_000, 10);
            console.log(
                `# one position, 32k vocabulary: evaluation alone ${noHead.toFixed(2)} ms; with a top-${TOP_K} head ` +
                    `${topK.toFixed(2)} ms (head +${(topK - noHead).toFixed(2)} ms); with the whole vocabulary ${full.toFixed(2)} ms ` +
                    `(head +${(full - noHead).toFixed(2)} ms)`
            );
            assert.ok(noHead > 0 && topK > 0 && full > 0);
        }));
});
