/**
 * Sampled SCD reproduces contrastive decoding's distribution on the real story models: the first token
 * against p_n computed from the models' heads (χ² goodness of fit), the first two or three tokens against an
 * independent reference that samples p_n token by token from heads read one position at a time, with a plain
 * seeded generator (χ² homogeneity), and the logged acceptance rate against Σ min(p_n, q).
 *
 * The reference is not the decoder's cd mode: cd draws with the same position-keyed generators and the same
 * draft-then-verify coupling as scd, so cd with seed s gives scd's text with seed s, and scd on some seeds
 * against cd on others would compare cd with itself. Seeds are fixed, so each run sees the same samples.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {contrastiveTarget, type ContrastParams} from "../../../src-main/engine/math/contrast.ts";
import {headDistribution, sample, type SparseDistribution} from "../../../src-main/engine/math/distribution.ts";
import {createRng, type Rng} from "../../../src-main/engine/math/rng.ts";
import {expectedAcceptance} from "../../../src-main/engine/math/speculative.ts";
import type {ModelPair} from "../../../src-main/models/runtime/modelPair.ts";
import {rawPrompt} from "../../../src-main/models/runtime/promptFormat.ts";
import {chiSquareGoodnessOfFit, chiSquareHomogeneity} from "../../helpers/chiSquare.ts";
import {headsAfter} from "../../helpers/heads.ts";
import {loadTestPair, storyAmateurL3, storyAmateurL4, storyExpert} from "../../helpers/models.ts";

const SAMPLES = 1200;
const P_FLOOR = 0.001;

function count<K>(map: Map<K, number>, key: K): void {
    map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * CD sampled directly, the reference: each token drawn from p_n after the prompt and the tokens before it
 * (both heads read alone, as a cd step reads them; targets kept per prefix), with `rng`, one plain stream for
 * every sample and token. Nothing here is the decoder's: no position-keyed generator, no coupling.
 */
class DirectContrastiveSampler {
    private readonly targets = new Map<string, SparseDistribution>();
    private readonly rng: Rng;

    constructor(
        private readonly pair: ModelPair,
        private readonly prompt: readonly number[],
        private readonly params: ContrastParams,
        seed: number
    ) {
        this.rng = createRng(seed);
    }

    async draw(length: number): Promise<number[]> {
        const tokens: number[] = [];
        while (tokens.length < length) tokens.push(sample(await this.target(tokens), this.rng));
        return tokens;
    }

    private async target(tokens: readonly number[]): Promise<SparseDistribution> {
        const key = tokens.join(",");
        let target = this.targets.get(key);
        if (target == null) {
            const [expertHead, amateurHead] = await headsAfter(this.pair, [...this.prompt, ...tokens]);
            target = contrastiveTarget(expertHead, amateurHead, this.params).distribution;
            this.targets.set(key, target);
        }
        return target;
    }
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

        test("the first two tokens under scd (γ 3) are distributed as CD sampled directly", async () => {
            const scd = new Map<string, number>();
            const direct = new Map<string, number>();
            for (let seed = 1; seed <= SAMPLES; seed++) {
                const {tokens} = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 3, maxTokens: 2, seed});
                assert.equal(tokens.length, 2);
                count(scd, tokens.join(","));
            }
            const reference = new DirectContrastiveSampler(pair, prompt, params, 9001);
            for (let k = 0; k < SAMPLES; k++) count(direct, (await reference.draw(2)).join(","));
            const test = chiSquareHomogeneity(scd, direct);
            console.log(
                `# two-token sequences: ${scd.size} kinds seen; χ² ${test.statistic.toFixed(2)} (${test.degreesOfFreedom} df), p ${test.pValue.toFixed(3)}`
            );
            assert.ok(test.pValue > P_FLOOR, `scd and direct CD two-token distributions differ: χ² ${test.statistic} on ${test.degreesOfFreedom} df`);
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

    test("drafts the amateur drew ahead during verification keep CD's distribution (γ 1, three tokens, against CD sampled directly)", async () => {
        const scdSequences = new Map<string, number>();
        const directSequences = new Map<string, number>();
        const scdThird = new Map<string, number>();
        const directThird = new Map<string, number>();
        let lookaheadRounds = 0;
        for (let seed = 1; seed <= SAMPLES; seed++) {
            const {tokens, stats} = await pair.decoder.generate(prompt, {mode: "scd", ...params, gamma: 1, maxTokens: 3, seed});
            assert.equal(tokens.length, 3);
            count(scdSequences, tokens.join(","));
            count(scdThird, String(tokens[2]));
            lookaheadRounds += stats.lookaheadRounds;
        }
        const reference = new DirectContrastiveSampler(pair, prompt, params, 9002);
        for (let k = 0; k < SAMPLES; k++) {
            const tokens = await reference.draw(3);
            count(directSequences, tokens.join(","));
            count(directThird, String(tokens[2]));
        }
        assert.ok(lookaheadRounds > SAMPLES / 4, `only ${lookaheadRounds} rounds reused drafts drawn ahead`);
        for (const [label, x, y] of [
            ["three-token sequences", scdSequences, directSequences],
            ["third token", scdThird, directThird]
        ] as const) {
            const test = chiSquareHomogeneity(x, y);
            console.log(
                `# ${label}: ${lookaheadRounds} lookahead rounds; χ² ${test.statistic.toFixed(2)} (${test.degreesOfFreedom} df), p ${test.pValue.toFixed(3)}`
            );
            assert.ok(test.pValue > P_FLOOR, `${label}: scd and direct CD differ, χ² ${test.statistic} on ${test.degreesOfFreedom} df`);
        }
    });
});
