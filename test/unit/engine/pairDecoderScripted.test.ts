/**
 * The decoder on scripted sequences (test/helpers/scriptedSequence.ts): branches no real model reaches on
 * demand, in milliseconds. A cache that fills at every possible point of a round, a failed model call while
 * the other model is still evaluating, an abort in the middle of a long prompt, cache edits while a
 * generation runs, and vocabularies of different sizes.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {setTimeout as sleep} from "node:timers/promises";
import {CacheLockError, DecoderBusyError, PairDecoder, PREFILL_CHUNK, type DecodeMode} from "../../../src-main/engine/index.ts";
import {CacheLock} from "../../../src-main/engine/cacheLock.ts";
import {hashedModel, ScriptedSequence, scriptedTokenText, type ScriptedModel, type ScriptedOptions} from "../../helpers/scriptedSequence.ts";

const VOCABULARY = 12;
const expertModel = hashedModel(VOCABULARY, 1);
const amateurModel = hashedModel(VOCABULARY, 2, 2);
const allModes = ["scd", "sd", "cd", "expert", "amateur"] as const satisfies readonly DecodeMode[];

function makeDecoder(expert: ScriptedSequence, amateur: ScriptedSequence, sideBySide = true): PairDecoder {
    return new PairDecoder(expert, amateur, scriptedTokenText(), {sideBySide});
}

function pairOf(
    expertOptions: ScriptedOptions = {},
    amateurOptions: ScriptedOptions = {},
    models: [ScriptedModel, ScriptedModel] = [expertModel, amateurModel]
) {
    const expert = new ScriptedSequence(models[0], expertOptions);
    const amateur = new ScriptedSequence(models[1], amateurOptions);
    return {expert, amateur, decoder: makeDecoder(expert, amateur)};
}

const prompt = [1, 5, 3, 7];

test("without a seed one is drawn and reported, and that seed reproduces the answer (γ auto, a fixed γ, cd)", async () => {
    // Randomness is keyed by position, so the seed fixes scd's text although γ auto's rounds follow measured time
    // (and a fixed γ and cd give that text too: test/unit/engine/pairDecoderSeed.test.ts).
    const first = await pairOf().decoder.generate(prompt, {mode: "scd", gamma: "auto", temperature: 1, maxTokens: 30});
    const second = await pairOf().decoder.generate(prompt, {mode: "scd", gamma: "auto", temperature: 1, maxTokens: 30});
    assert.notEqual(first.stats.seed, second.stats.seed);
    for (const replayed of [{mode: "scd", gamma: "auto"}, {mode: "scd", gamma: 4}, {mode: "cd"}] as const) {
        const replay = await pairOf().decoder.generate(prompt, {...replayed, temperature: 1, maxTokens: 30, seed: first.stats.seed});
        assert.deepEqual(replay.tokens, first.tokens, JSON.stringify(replayed));
    }
});

describe("a full cache", () => {
    test("every mode stops with contextFull at the cache's end, never overflowing, for every capacity and γ", async () => {
        for (const twin of [false, true]) {
            // A twin amateur (the expert itself) has every draft accepted, so rounds end at the bonus position.
            const models: [ScriptedModel, ScriptedModel] = [expertModel, twin ? expertModel : amateurModel];
            for (const [expertCapacity, amateurCapacity] of [
                [20, 20],
                [20, 17],
                [17, 20],
                [9, 9]
            ]) {
                for (const gamma of [1, 2, 3, 5]) {
                    for (const temperature of [0, 1]) {
                        const outputs = new Map<DecodeMode, number[]>();
                        for (const mode of allModes) {
                            const {expert, amateur, decoder} = pairOf({capacity: expertCapacity}, {capacity: amateurCapacity}, models);
                            const label = `${twin ? "twin" : "L"} caps ${expertCapacity}/${amateurCapacity} γ ${gamma} T ${temperature} ${mode}`;
                            const result = await decoder.generate(prompt, {mode, gamma, temperature, seed: 3, maxTokens: 100});
                            assert.equal(result.stats.stopReason, "contextFull", label);
                            const capacity =
                                mode === "expert" ? expertCapacity : mode === "amateur" ? amateurCapacity : Math.min(expertCapacity, amateurCapacity);
                            // The committed stream may reach capacity + 1 (its last token is never evaluated).
                            const committed = prompt.length + result.tokens.length;
                            assert.ok(committed >= capacity && committed <= capacity + 1, `${label}: ${committed} committed`);
                            assert.equal(expert.overlaps + amateur.overlaps, 0, label);
                            outputs.set(mode, result.tokens);
                        }
                        if (temperature === 0) {
                            assertPrefixes(outputs.get("scd")!, outputs.get("cd")!, "greedy scd ≡ cd");
                            assertPrefixes(outputs.get("sd")!, outputs.get("expert")!, "greedy sd ≡ expert");
                        }
                    }
                }
            }
        }
    });
});

function assertPrefixes(a: readonly number[], b: readonly number[], label: string): void {
    const n = Math.min(a.length, b.length);
    assert.ok(n > 0, label);
    assert.deepEqual(a.slice(0, n), b.slice(0, n), label);
}

describe("drafting ahead", () => {
    test("a seed fixes the output whether or not the amateur drafts ahead, and drafting ahead is used", async () => {
        for (const mode of ["scd", "sd"] as const) {
            for (const temperature of [0, 0.7]) {
                const twin = pairOf({delayMs: 2}, {}, [expertModel, expertModel]);
                const ahead = await twin.decoder.generate(prompt, {mode, gamma: 3, temperature, seed: 11, maxTokens: 40});
                const sequential = pairOf({}, {}, [expertModel, expertModel]);
                const inTurn = await makeDecoder(sequential.expert, sequential.amateur, false).generate(prompt, {
                    mode,
                    gamma: 3,
                    temperature,
                    seed: 11,
                    maxTokens: 40
                });
                assert.deepEqual(ahead.tokens, inTurn.tokens, `${mode} T ${temperature}`);
                assert.ok(ahead.stats.lookaheadRounds > 0, `${mode} T ${temperature}: no round used drafts drawn ahead`);
                assert.equal(inTurn.stats.lookaheadRounds, 0);
            }
        }
    });
});

describe("a failed model call", () => {
    for (const failing of ["expert", "amateur"] as const) {
        for (const mode of ["scd", "cd"] as const) {
            test(`${mode}: the ${failing} fails while the other model is evaluating; both settle first, and the decoder works after`, async () => {
                let failOn = 3;
                const fail = (call: number) => {
                    if (call === failOn) throw new Error("injected failure");
                };
                const slow = {delayMs: 15};
                const {expert, amateur, decoder} = failing === "expert" ? pairOf({beforeEvaluate: fail}, slow) : pairOf(slow, {beforeEvaluate: fail});
                await assert.rejects(decoder.generate(prompt, {mode, gamma: 3, temperature: 0, maxTokens: 40}), /injected failure/);
                assert.equal(expert.busy || amateur.busy, false, "a model call was still running when generate rejected");
                assert.equal(decoder.busy, false);

                failOn = -1;
                const again = await decoder.generate(prompt, {mode, gamma: 3, temperature: 0, maxTokens: 40});
                const fresh = await pairOf().decoder.generate(prompt, {mode, gamma: 3, temperature: 0, maxTokens: 40});
                assert.deepEqual(again.tokens, fresh.tokens);
                assert.equal(expert.overlaps + amateur.overlaps, 0, "two calls ran on one cache at once");
            });
        }
    }
});

describe("abort during a long prompt", () => {
    for (const mode of allModes) {
        test(`${mode}: Stop is answered within one prompt chunk, and the next call reuses what was evaluated`, async () => {
            const longPrompt = Array.from({length: 5 * PREFILL_CHUNK + 17}, (_, i) => (i * 5 + 1) % VOCABULARY);
            const controller = new AbortController();
            const abortOnFirstCall = {capacity: 4000, beforeEvaluate: () => controller.abort()};
            const {expert, amateur, decoder} = pairOf(abortOnFirstCall, abortOnFirstCall);
            const aborted = await decoder.generate(longPrompt, {mode, maxTokens: 10, temperature: 0, signal: controller.signal});
            assert.equal(aborted.stats.stopReason, "abort");
            assert.deepEqual(aborted.tokens, []);
            for (const model of [expert, amateur])
                assert.ok(model.evaluatedTokens <= PREFILL_CHUNK, `${model.evaluatedTokens} tokens evaluated after Stop`);
            const cached = Math.max(expert.length, amateur.length);
            assert.ok(cached > 0, "nothing was evaluated");

            const resumed = await decoder.generate(longPrompt, {mode, maxTokens: 10, temperature: 0});
            const reused = mode === "amateur" ? resumed.stats.reusedPromptTokens.amateur : resumed.stats.reusedPromptTokens.expert;
            assert.equal(reused, cached);
            const fresh = await pairOf({capacity: 4000}, {capacity: 4000}).decoder.generate(longPrompt, {mode, maxTokens: 10, temperature: 0});
            assert.deepEqual(resumed.tokens, fresh.tokens);
        });
    }
});

describe("one lock for every cache edit", () => {
    test("clearCaches and exclusive are refused while a generation runs, and work after it", async () => {
        const {decoder} = pairOf({delayMs: 2}, {delayMs: 2});
        const running = decoder.generate(prompt, {mode: "cd", maxTokens: 20});
        await sleep(5);
        await assert.rejects(decoder.clearCaches(), DecoderBusyError);
        await assert.rejects(
            decoder.exclusive(async () => 1),
            DecoderBusyError
        );
        await assert.rejects(decoder.generate(prompt, {mode: "cd"}), DecoderBusyError);
        await running;
        await decoder.clearCaches();
        assert.equal(await decoder.exclusive(async (expert) => expert.length), 0);
    });

    test("the lock refuses a second holder and says when an edit happens outside it", async () => {
        const lock = new CacheLock();
        assert.throws(() => lock.assertHeld("truncate"), CacheLockError);
        await lock.run("first", async () => {
            lock.assertHeld("truncate");
            await assert.rejects(
                lock.run("second", async () => 0),
                DecoderBusyError
            );
        });
        assert.equal(lock.held, false);
    });
});

describe("vocabularies of different sizes", () => {
    // The amateur has the first 10 ids of the expert's 12 (or the other way round); both give real
    // probability to the ids past 10.
    for (const padded of ["expert", "amateur"] as const) {
        test(`a larger ${padded}: no model is fed an id it lacks, and the output is that of the pair restricted to the shared ids`, async () => {
            const shared = 10;
            const restrict =
                (model: ScriptedModel): ScriptedModel =>
                (prefix) => {
                    const p = model(prefix).slice(0, shared);
                    const total = p.reduce((a, b) => a + b, 0);
                    return p.map((x) => x / total);
                };
            for (const mode of allModes) {
                for (const temperature of [0, 1]) {
                    const options = {mode, temperature, gamma: 3, seed: 21, maxTokens: 60};
                    const big = padded === "expert" ? pairOf({}, {vocabularySize: shared}) : pairOf({vocabularySize: shared}, {});
                    const result = await big.decoder.generate(prompt, options);
                    assert.ok(
                        result.tokens.every((t) => t < shared),
                        `${mode} T ${temperature}: emitted an id only one model has`
                    );
                    const reference = pairOf({}, {}, [restrict(expertModel), restrict(amateurModel)]);
                    const expected = await reference.decoder.generate(prompt, options);
                    assert.deepEqual(result.tokens, expected.tokens, `${mode} T ${temperature}`);
                }
            }
        });
    }

    test("a prompt with an id outside the shared vocabulary is refused in one sentence", async () => {
        const {decoder} = pairOf({}, {vocabularySize: 10});
        await assert.rejects(decoder.generate([1, 2, 11], {}), /prompt token 2 is 11, not an id both models have \(0 to 9\)/);
    });
});
