/**
 * Sampled SCD reproduces contrastive decoding's distribution on the real story models: the first token
 * against p_n computed from the models' heads (χ² goodness of fit), the first two tokens against direct
 * CD sampling (χ² homogeneity), and the logged acceptance rate against Σ min(p_n, q).
 * Seeds are fixed, so each run sees the same samples.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {contrastiveTarget} from "../../src-main/engine/math/contrast.ts";
import {headDistribution} from "../../src-main/engine/math/distribution.ts";
import {expectedAcceptance} from "../../src-main/engine/math/speculative.ts";
import type {ModelPair} from "../../src-main/models/modelPair.ts";
import {rawPrompt} from "../../src-main/models/promptFormat.ts";
import {chiSquareGoodnessOfFit, chiSquareHomogeneity} from "../helpers/chiSquare.ts";
import {headsAfter} from "../helpers/heads.ts";
import {loadTestPair, storyAmateurL3, storyAmateurL4, storyExpert} from "../helpers/models.ts";

const SAMPLES = 1200;
const P_FLOOR = 0.001;

function count<K>(map: Map<K, number>, key: K): void {
    map.set(key, (map.get(key) ?? 0) + 1);
}

for (const [amateur, text, params] of [
    [storyAmateurL4, "Tom liked to", {alpha: 0.1, beta: 0.5, temperature: 1}],
    [storyAmateurL3, "She saw a", {alpha: 0.05, beta: 1, temperature: 1.5}]
] as const) {
    describe(`sampled scd with ${amateur} after "${text}" (α ${params.alpha}, β ${params.beta}, T ${params.temperature})`, () => {
        let pair: ModelPair;
        let prompt: number[];
        before(async () => {
            pair = await loadTestPair(storyExpert, amateur);
            prompt = rawPrompt(pair.tokenizerModel, text).tokens;
        });
        after(async () => {
            await pair.dispose();
        });

        test("first token ~ p_n, and the logged acceptance rate matches Σ min(p_n, q)", async () => {
            const [expertHead, amateurHead] = await headsAfter(pair, prompt);
            const target = contrastiveTarget(expertHead, amateurHead, params).distribution;
            const proposal = headDistribution(amateurHead, params.temperature);
            const expected = new Map<number, number>();
            target.ids.forEach((id, i) => expected.set(id, target.probs[i]!));

            const firstTokens = new Map<number, number>();
            let accepted = 0;
            let drafted = 0;
            for (let seed = 1; seed <= SAMPLES; seed++) {
                // maxTokens 1: one round with a single draft, so the stats log exactly one accept/reject.
                const {tokens, stats} = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 4, maxTokens: 1, seed});
                count(firstTokens, tokens[0]!);
                accepted += stats.acceptedTokens;
                drafted += stats.draftedTokens;
            }
            const fit = chiSquareGoodnessOfFit(firstTokens, expected);
            console.log(`# first token: χ² ${fit.statistic.toFixed(2)} (${fit.degreesOfFreedom} df), p ${fit.pValue.toFixed(3)}`);
            assert.ok(fit.pValue > P_FLOOR, `first-token distribution differs from p_n: χ² ${fit.statistic} on ${fit.degreesOfFreedom} df`);

            assert.equal(drafted, SAMPLES);
            const rate = expectedAcceptance(target, proposal);
            const observed = accepted / drafted;
            const sigma = Math.sqrt((rate * (1 - rate)) / drafted);
            console.log(`# acceptance: logged ${observed.toFixed(4)}, Σ min(p_n, q) ${rate.toFixed(4)}`);
            assert.ok(Math.abs(observed - rate) < 4 * sigma, `logged acceptance ${observed} vs Σ min(p_n, q) = ${rate}`);
        });

        test("the first two tokens are distributed alike under scd (γ 3) and cd", async () => {
            const scd = new Map<string, number>();
            const cd = new Map<string, number>();
            for (let seed = 1; seed <= SAMPLES; seed++) {
                const a = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 3, maxTokens: 2, seed});
                count(scd, a.tokens.join(","));
                const b = await pair.decoder.generate(prompt, {mode: "cd", ...params, maxTokens: 2, seed: seed + SAMPLES});
                count(cd, b.tokens.join(","));
            }
            const test = chiSquareHomogeneity(scd, cd);
            console.log(`# two-token sequences: ${scd.size} kinds seen; χ² ${test.statistic.toFixed(2)} (${test.degreesOfFreedom} df), p ${test.pValue.toFixed(3)}`);
            assert.ok(test.pValue > P_FLOOR, `scd and cd two-token distributions differ: χ² ${test.statistic} on ${test.degreesOfFreedom} df`);
        });

        test("a seed fixes the output, however far the amateur happened to draft ahead", async () => {
            const first = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 3, maxTokens: 60, seed: 77});
            const second = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 3, maxTokens: 60, seed: 77});
            assert.deepEqual(second.tokens, first.tokens);
        });
    });
}

// The expert drafting for itself accepts most drafts, so rounds often start from drafts the amateur drew
// while the previous round was verified: the path that carries a draft stream across rounds.
describe("sampled scd with the expert as its own amateur (drafts carried across rounds)", () => {
    const params = {alpha: 0.1, beta: 0.5, temperature: 1};
    let pair: ModelPair;
    let prompt: number[];
    before(async () => {
        pair = await loadTestPair(storyExpert, storyExpert);
        prompt = rawPrompt(pair.tokenizerModel, "Tom liked to").tokens;
    });
    after(async () => {
        await pair.dispose();
    });

    test("drafts the amateur drew ahead during verification keep the cd distribution (γ 1, three tokens)", async () => {
        const scdSequences = new Map<string, number>();
        const cdSequences = new Map<string, number>();
        const scdThird = new Map<string, number>();
        const cdThird = new Map<string, number>();
        let lookaheadRounds = 0;
        for (let seed = 1; seed <= SAMPLES; seed++) {
            const a = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 1, maxTokens: 3, seed});
            count(scdSequences, a.tokens.join(","));
            count(scdThird, String(a.tokens[2]));
            lookaheadRounds += a.stats.lookaheadRounds;
            const b = await pair.decoder.generate(prompt, {mode: "cd", ...params, maxTokens: 3, seed: seed + SAMPLES});
            count(cdSequences, b.tokens.join(","));
            count(cdThird, String(b.tokens[2]));
        }
        assert.ok(lookaheadRounds > SAMPLES / 4, `only ${lookaheadRounds} rounds reused drafts drawn ahead`);
        for (const [label, x, y] of [["three-token sequences", scdSequences, cdSequences], ["third token", scdThird, cdThird]] as const) {
            const test = chiSquareHomogeneity(x, y);
            console.log(`# ${label}: ${lookaheadRounds} lookahead rounds; χ² ${test.statistic.toFixed(2)} (${test.degreesOfFreedom} df), p ${test.pValue.toFixed(3)}`);
            assert.ok(test.pValue > P_FLOOR, `${label}: scd and cd differ, χ² ${test.statistic} on ${test.degreesOfFreedom} df`);
        }
    });
});
