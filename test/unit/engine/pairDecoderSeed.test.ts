/**
 * A seed fixes the sampled text (docs/engine.md, "Randomness, keyed by position"): every random number is keyed
 * by the position of the token it decides, and scd's drafts, its bonus tokens and cd's steps all go through one
 * draft-then-verify coupling. On scripted sequences (heads an exact function of the prefix) sampled cd, scd with
 * any γ and schedule, and scd with γ auto (a planner switching every round, or the real controller whose rounds
 * follow measured time) therefore give the same tokens for a seed. sd's speculative rounds give one text for any
 * γ; its expert-only fallback draws as the expert mode does.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {PairDecoder, type DecodeMode, type GenerateOptions} from "../../../src-main/engine/index.ts";
import {everySwitch, scriptedPlanners, type ScriptedStep} from "../../helpers/scriptedPlanner.ts";
import {hashedModel, ScriptedSequence, scriptedTokenText, type ScriptedModel, type ScriptedOptions} from "../../helpers/scriptedSequence.ts";

const VOCABULARY = 12;
const expertModel = hashedModel(VOCABULARY, 1);
const amateurModel = hashedModel(VOCABULARY, 2, 2);
const prompt = [1, 5, 3, 7];
const SEEDS = [1, 2, 3, 17, 4242, 2 ** 32 - 1];
/** Id 9 ends the generation in some runs, so a stop inside a draft, a correction or a bonus is compared too. */
const END_TOKEN = 9;

type PairSetup = {
    readonly amateur?: ScriptedModel;
    readonly sideBySide?: boolean;
    readonly expertOptions?: ScriptedOptions;
    readonly endToken?: number;
    /** γ auto's rounds from this script instead of the controller. */
    readonly script?: readonly ScriptedStep[];
};

function decoderOf({amateur = amateurModel, sideBySide = true, expertOptions = {}, endToken, script}: PairSetup = {}): PairDecoder {
    return new PairDecoder(new ScriptedSequence(expertModel, expertOptions), new ScriptedSequence(amateur), scriptedTokenText(endToken), {
        sideBySide,
        ...(script != null ? {planner: scriptedPlanners(script).planner} : {})
    });
}

async function tokensOf(setup: PairSetup, options: GenerateOptions): Promise<number[]> {
    return (await decoderOf(setup).generate(prompt, options)).tokens;
}

// A twin amateur (the expert itself) has every draft accepted: rounds end at the bonus, and drafts drawn ahead
// during verification carry over to the next round.
const amateurs = [
    ["amateur", amateurModel],
    ["twin", expertModel]
] as const;

describe("sampled scd and cd: one seed, one text, whatever the schedule", () => {
    for (const [label, amateur] of amateurs) {
        for (const endToken of [undefined, END_TOKEN]) {
            test(`${label}${endToken == null ? "" : ", with an end token"}: cd, scd γ 1, 2, 4 (side by side on and off) and scd auto (switching every round) agree`, async () => {
                for (const temperature of [1, 0.6]) {
                    for (const seed of SEEDS) {
                        const base = {temperature, seed, maxTokens: 60};
                        const cd = await tokensOf({amateur, endToken}, {...base, mode: "cd"});
                        const at = `T ${temperature} seed ${seed}`;
                        for (const gamma of [1, 2, 4]) {
                            for (const sideBySide of [true, false]) {
                                const scd = await tokensOf({amateur, endToken, sideBySide}, {...base, mode: "scd", gamma});
                                assert.deepEqual(scd, cd, `${at}: scd γ ${gamma} side by side ${sideBySide ? "on" : "off"} differs from cd`);
                            }
                        }
                        // A slow expert: the amateur draws ahead as far as the verification's time allows (timing-dependent).
                        const ahead = await tokensOf({amateur, endToken, expertOptions: {delayMs: 1}}, {...base, mode: "scd", gamma: 3});
                        assert.deepEqual(ahead, cd, `${at}: scd drawing ahead differs from cd`);
                        // γ auto: the scripted planner switches fallback steps, γ 1–5 and schedules every round, from
                        // a different step of its script in each generation.
                        const decoder = decoderOf({amateur, endToken, script: everySwitch});
                        for (let start = 0; start < 3; start++) {
                            const auto = await decoder.generate(prompt, {...base, mode: "scd", gamma: "auto"});
                            assert.deepEqual(auto.tokens, cd, `${at}: scd auto (script from step ${start}) differs from cd`);
                        }
                    }
                }
            });
        }
    }

    test("the real controller: scd auto with one seed gives one text, fresh or after learning, fast or slow expert, and it is cd's", async () => {
        const ran = {fallbackTokens: 0, rounds: 0};
        for (const [label, amateur] of amateurs) {
            for (const seed of SEEDS.slice(0, 3)) {
                const options: GenerateOptions = {mode: "scd", gamma: "auto", temperature: 1, seed, maxTokens: 80};
                const cd = await tokensOf({amateur}, {...options, mode: "cd"});
                const first = await decoderOf({amateur}).generate(prompt, options);
                const second = await decoderOf({amateur}).generate(prompt, options);
                const at = `${label} seed ${seed}`;
                assert.deepEqual(first.tokens, cd, `${at}: first run`);
                assert.deepEqual(second.tokens, cd, `${at}: second run`);
                const slow = decoderOf({amateur, expertOptions: {delayMs: 1}});
                for (let k = 0; k < 3; k++) {
                    const result = await slow.generate(prompt, options);
                    assert.deepEqual(result.tokens, cd, `${at}: generation ${k + 1} on a slow expert`);
                    ran.fallbackTokens += result.stats.fallbackTokens;
                    ran.rounds += result.stats.rounds;
                }
                for (const result of [first, second]) {
                    ran.fallbackTokens += result.stats.fallbackTokens;
                    ran.rounds += result.stats.rounds;
                }
                for (const gamma of [2, 5]) {
                    assert.deepEqual(await tokensOf({amateur}, {...options, gamma}), cd, `${at}: fixed γ ${gamma}`);
                }
            }
        }
        // The controller ran both kinds of round (a fresh one bootstraps with a cd step and a γ 2 round).
        assert.ok(ran.fallbackTokens > 0 && ran.rounds > 0, JSON.stringify(ran));
    });
});

describe("sampled sd and the single-model modes", () => {
    for (const [label, amateur] of amateurs) {
        test(`${label}: sd gives one text for γ 1, 2, 4, side by side or not; a fallback-only sd auto is the expert mode`, async () => {
            for (const seed of SEEDS) {
                const base = {temperature: 1, seed, maxTokens: 60};
                const sd = await tokensOf({amateur}, {...base, mode: "sd", gamma: 1});
                for (const gamma of [2, 4]) {
                    for (const sideBySide of [true, false]) {
                        assert.deepEqual(await tokensOf({amateur, sideBySide}, {...base, mode: "sd", gamma}), sd, `seed ${seed} γ ${gamma}`);
                    }
                }
                // sd's expert-only step has no proposal to couple with: it draws from the expert directly, as the
                // expert mode does, with the position's own generator.
                const expert = await tokensOf({amateur}, {...base, mode: "expert"});
                const fallbackOnly = decoderOf({amateur, script: [{kind: "fallback"}] satisfies ScriptedStep[]});
                assert.deepEqual((await fallbackOnly.generate(prompt, {...base, mode: "sd", gamma: "auto"})).tokens, expert, `seed ${seed}`);
                // Switching kinds, sd's text may depend on the schedule; a scripted schedule still reproduces it.
                const replays: number[][] = [];
                for (let k = 0; k < 2; k++) {
                    const decoder = decoderOf({amateur, script: everySwitch});
                    replays.push((await decoder.generate(prompt, {...base, mode: "sd", gamma: "auto"})).tokens);
                }
                assert.deepEqual(replays[1], replays[0], `seed ${seed}: sd auto, same script`);
            }
        });
    }

    test("expert and amateur: a seed fixes the text, and different seeds give different texts", async () => {
        for (const mode of ["expert", "amateur"] as const satisfies readonly DecodeMode[]) {
            const texts = new Set<string>();
            for (const seed of SEEDS) {
                const options = {mode, temperature: 1, seed, maxTokens: 40};
                const first = await tokensOf({}, options);
                assert.deepEqual(await tokensOf({}, options), first, `${mode} seed ${seed}`);
                texts.add(first.join(","));
            }
            assert.equal(texts.size, SEEDS.length, `${mode}: two seeds gave one text`);
        }
    });
});
