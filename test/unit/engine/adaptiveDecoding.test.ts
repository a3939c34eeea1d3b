/**
 * γ auto on scripted sequences: the decoder runs whatever round the planner picks — fallback steps (cd for
 * scd, the expert alone for sd), γ 1–5, side by side or serial, switching every round — and every token is
 * still the fixed mode's: greedy scd auto ≡ cd and sd auto ≡ expert, token for token; sampled, the first
 * three tokens follow the exact law of cd / the expert, enumerated from the scripted models' heads (χ² goodness
 * of fit). The reports the planner gets are checked by the real controller, the caches stay prefixes of the
 * committed stream, nothing overflows, and the stats add up.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {PairDecoder, type GenerationResult} from "../../../src-main/engine/index.ts";
import {contrastiveTarget, type ContrastParams} from "../../../src-main/engine/math/contrast.ts";
import {AUTO_GAMMA_MAX} from "../../../src-main/engine/pairDecoder.ts";
import {chiSquareGoodnessOfFit} from "../../helpers/chiSquare.ts";
import {everySwitch, scriptedPlanners, type ScriptedStep} from "../../helpers/scriptedPlanner.ts";
import {hashedModel, ScriptedSequence, scriptedTokenText, type ScriptedModel, type ScriptedOptions} from "../../helpers/scriptedSequence.ts";

const VOCABULARY = 12;
const expertModel = hashedModel(VOCABULARY, 1);
const amateurModel = hashedModel(VOCABULARY, 2, 2);
const prompt = [1, 5, 3, 7];

/** A scripted pair; with a script, γ auto plans its rounds from it (`planners`: one per generation). */
function pairOf(sideBySide: boolean, amateur: ScriptedModel = amateurModel, options: ScriptedOptions = {}, script?: readonly ScriptedStep[]) {
    const expertSequence = new ScriptedSequence(expertModel, options);
    const amateurSequence = new ScriptedSequence(amateur, options);
    const scripted = script != null ? scriptedPlanners(script) : null;
    const decoder = new PairDecoder(expertSequence, amateurSequence, scriptedTokenText(), {
        sideBySide,
        ...(scripted != null ? {planner: scripted.planner} : {})
    });
    return {expertSequence, amateurSequence, decoder, planners: scripted?.made ?? []};
}

/** Each cache holds a prefix of prompt + tokens, and no call ever overlapped another on the same cache. */
function assertCachesConsistent(result: GenerationResult, ...sequences: ScriptedSequence[]): void {
    const committed = [...prompt, ...result.tokens];
    for (const sequence of sequences) {
        assert.deepEqual(sequence.tokens, committed.slice(0, sequence.tokens.length), "a cache holds something other than a committed prefix");
        assert.equal(sequence.overlaps, 0);
    }
}

describe("greedy γ auto with a planner that switches every round", () => {
    for (const sideBySide of [true, false]) {
        for (const [label, amateur] of [
            ["amateur", amateurModel],
            ["twin (drafts drawn ahead, then dropped)", expertModel]
        ] as const) {
            test(`${label}, side by side ${sideBySide ? "allowed" : "off"}: scd auto ≡ cd and sd auto ≡ expert, reports valid, stats add up`, async () => {
                for (const [mode, reference] of [
                    ["scd", "cd"],
                    ["sd", "expert"]
                ] as const) {
                    const expected = await pairOf(sideBySide, amateur).decoder.generate(prompt, {
                        mode: reference,
                        temperature: 0,
                        maxTokens: 80,
                        seed: 1
                    });
                    const {decoder, expertSequence, amateurSequence, planners} = pairOf(sideBySide, amateur, {}, everySwitch);
                    const result = await decoder.generate(prompt, {mode, gamma: "auto", temperature: 0, maxTokens: 80, seed: 1});
                    assert.deepEqual(result.tokens, expected.tokens, `${mode} auto differs from ${reference}`);
                    assertCachesConsistent(result, expertSequence, amateurSequence);

                    const [planner] = planners;
                    assert.equal(planners.length, 1);
                    assert.equal(planner!.reports.length, planner!.decisions, "one report per decision");
                    const fallbackTokens = planner!.reports.filter((r) => r.kind === "fallback").reduce((sum, r) => sum + r.tokens, 0);
                    assert.ok(fallbackTokens > 0 && fallbackTokens < result.tokens.length);
                    assert.equal(result.stats.fallbackTokens, fallbackTokens);
                    assert.equal(
                        planner!.reports.reduce((sum, r) => sum + r.tokens, 0),
                        result.tokens.length
                    );
                    const speculative = planner!.reports.filter((r) => r.kind === "speculate");
                    assert.equal(result.stats.rounds, speculative.length);
                    assert.deepEqual(Object.keys(result.stats.gammaHistogram).sort(), ["1", "2", "3", "4", "5"]);
                    assert.equal(
                        Object.values(result.stats.gammaHistogram).reduce((a, b) => a + b, 0),
                        result.stats.rounds
                    );
                    // The first call carries the prompt: untimed. Later ones are timed, both schedules were run where allowed.
                    assert.equal(planner!.reports[0]!.wallMs, null);
                    assert.ok(planner!.reports.slice(1).some((r) => r.wallMs != null));
                    assert.equal(
                        planner!.reports.some((r) => r.sideBySide),
                        sideBySide
                    );
                    for (const r of speculative) assert.ok(r.kind === "speculate" && r.accepted + r.rejected <= r.drafted);
                    if (mode === "scd") {
                        assert.ok(
                            planner!.reports.some((r) => r.kind === "fallback" && r.acceptance != null),
                            "cd steps report acceptance"
                        );
                    }
                    // Fallback runs: each reports its steps; where it had to drop the amateur's drafts (after
                    // speculation) its first step goes untimed.
                    const decided = planner!.reports.map((report, i) => ({report, before: planner!.reports[i - 1]}));
                    for (const {report, before} of decided) {
                        if (report.kind !== "fallback" || report.wallMs == null) continue;
                        const steps = report.steps ?? 1;
                        assert.ok(report.tokens <= steps);
                        if (before?.kind === "speculate") assert.ok(report.timedSteps === steps - 1 || report.timedSteps === steps);
                        else assert.equal(report.timedSteps, steps);
                    }
                    assert.ok(
                        planner!.reports.some((r) => r.kind === "fallback" && (r.steps ?? 1) > 1),
                        "a run of several fallback steps"
                    );
                }
            });
        }
    }

    test("a fixed γ reports its histogram and no fallback; the non-speculative modes report neither", async () => {
        const fixed = await pairOf(true).decoder.generate(prompt, {mode: "scd", gamma: 4, temperature: 0, maxTokens: 40, seed: 1});
        assert.deepEqual(
            Object.keys(fixed.stats.gammaHistogram).filter((g) => g !== "4"),
            Object.keys(fixed.stats.gammaHistogram).filter((g) => Number(g) < 4)
        );
        assert.ok((fixed.stats.gammaHistogram["4"] ?? 0) > 0);
        assert.equal(fixed.stats.fallbackTokens, 0);
        assert.equal(fixed.stats.adaptivePick, null);
        const cd = await pairOf(true).decoder.generate(prompt, {mode: "cd", temperature: 0, maxTokens: 40, seed: 1});
        assert.deepEqual(cd.stats.gammaHistogram, {});
        assert.equal(cd.stats.fallbackTokens, 0);
    });

    test("every cache capacity: γ auto stops with contextFull at the cache's end, never overflowing, and gives a prefix of the fixed mode's answer", async () => {
        for (const capacity of [5, 6, 7, 9, 12, 17]) {
            for (const [mode, reference] of [
                ["scd", "cd"],
                ["sd", "expert"]
            ] as const) {
                const expected = await pairOf(true, amateurModel, {capacity}).decoder.generate(prompt, {
                    mode: reference,
                    temperature: 0,
                    maxTokens: 100
                });
                for (let start = 0; start < everySwitch.length; start++) {
                    const {decoder, expertSequence, amateurSequence, planners} = pairOf(true, amateurModel, {capacity}, everySwitch);
                    for (let k = 0; k < start; k++) planners.push(null as never); // the next generation starts at step `start`
                    const result = await decoder.generate(prompt, {mode, gamma: "auto", temperature: 0, maxTokens: 100});
                    const label = `capacity ${capacity} ${mode} start ${start}`;
                    assert.equal(result.stats.stopReason, "contextFull", label);
                    // A round needs room for its drafts, so speculation may stop a little earlier: a prefix of the answer.
                    assert.deepEqual(result.tokens, expected.tokens.slice(0, result.tokens.length), label);
                    assertCachesConsistent(result, expertSequence, amateurSequence);
                }
            }
        }
    });
});

describe("the real controller on scripted sequences", () => {
    test("greedy scd auto ≡ cd and sd auto ≡ expert over several generations; the pair remembers the profile", async () => {
        const {decoder} = pairOf(true);
        const cd = await pairOf(true).decoder.generate(prompt, {mode: "cd", temperature: 0, maxTokens: 150});
        const expert = await pairOf(true).decoder.generate(prompt, {mode: "expert", temperature: 0, maxTokens: 150});
        for (let k = 0; k < 3; k++) {
            const scd = await decoder.generate(prompt, {mode: "scd", gamma: "auto", temperature: 0, maxTokens: 150});
            assert.deepEqual(scd.tokens, cd.tokens);
            assert.ok(scd.stats.adaptivePick != null);
            for (const gamma of Object.keys(scd.stats.gammaHistogram)) assert.ok(Number(gamma) >= 1 && Number(gamma) <= AUTO_GAMMA_MAX);
            const sd = await decoder.generate(prompt, {mode: "sd", gamma: "auto", temperature: 0, maxTokens: 150});
            assert.deepEqual(sd.tokens, expert.tokens);
        }
        assert.ok(decoder.adaptive.remembers("scd", "α=0.1 β=0.5 T=0"));
    });
});

/**
 * The exact law of the first `length` tokens of a decoder whose target after a prefix is contrastiveTarget of
 * the scripted heads (cd: α, β as given; the expert alone: α = β = 0), enumerated over every sequence of the
 * small vocabulary; sequence x_1..x_n is keyed by its digits in base VOCABULARY.
 */
function firstTokensLaw(params: ContrastParams, length: number): Map<number, number> {
    const expert = new ScriptedSequence(expertModel);
    const amateur = new ScriptedSequence(amateurModel);
    const law = new Map<number, number>();
    const extend = (tokens: number[], probability: number): void => {
        if (tokens.length === length) {
            law.set(sequenceKey(tokens), probability);
            return;
        }
        const prefix = [...prompt, ...tokens];
        const target = contrastiveTarget(expert.headAfter(prefix), amateur.headAfter(prefix), params).distribution;
        target.ids.forEach((id, i) => extend([...tokens, id], probability * target.probs[i]!));
    };
    extend([], 1);
    const total = [...law.values()].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `the enumerated law sums to ${total}`);
    return law;
}

function sequenceKey(tokens: readonly number[]): number {
    return tokens.reduce((key, token) => key * VOCABULARY + token, 0);
}

describe("sampled γ auto keeps the fixed mode's distribution", () => {
    const SAMPLES = 1500;
    const P_FLOOR = 0.001;
    // The reference is the fixed mode's law, enumerated: not cd's or the expert's samples, since cd draws with
    // scd's own position-keyed generators and coupling (cd with seed s is scd's text with seed s).
    for (const [mode, reference, params] of [
        ["scd", "cd", {alpha: 0.1, beta: 0.5, temperature: 1}],
        ["sd", "the expert", {alpha: 0, beta: 0, temperature: 1.3}]
    ] as const) {
        test(`${mode} auto ~ ${reference}: the first three tokens against their exact law (χ² goodness of fit), the planner switching every round`, async () => {
            const law = firstTokensLaw(params, 3);
            const auto = new Map<number, number>();
            const {decoder} = pairOf(true, amateurModel, {}, everySwitch);
            for (let seed = 1; seed <= SAMPLES; seed++) {
                const {tokens} = await decoder.generate(prompt, {mode, gamma: "auto", ...params, maxTokens: 3, seed});
                assert.equal(tokens.length, 3);
                auto.set(sequenceKey(tokens), (auto.get(sequenceKey(tokens)) ?? 0) + 1);
            }
            const fit = chiSquareGoodnessOfFit(auto, law);
            console.log(
                `# ${mode} auto vs ${reference}'s law: ${auto.size} sequences seen; χ² ${fit.statistic.toFixed(2)} (${fit.degreesOfFreedom} df), p ${fit.pValue.toFixed(3)}`
            );
            assert.ok(fit.pValue > P_FLOOR, `${mode} auto departs from ${reference}'s law: χ² ${fit.statistic} on ${fit.degreesOfFreedom} df`);
        });
    }
});
