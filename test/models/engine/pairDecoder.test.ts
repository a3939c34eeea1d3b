/**
 * Decoder mechanics on the real story pair: KV-cache reuse across turns, abort, stop strings and stop
 * tokens, maxTokens, a full context, streaming, and refusing a prompt longer than the context.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {
    CacheLockError,
    DecoderBusyError,
    PairDecoder,
    PREFILL_CHUNK,
    PromptTooLongError,
    type DecoderSequence
} from "../../../src-main/engine/index.ts";
import type {DecodeEvent, DecodeMode} from "../../../src-main/engine/types.ts";
import {modelTokenText, type ModelPair} from "../../../src-main/models/runtime/modelPair.ts";
import {rawPrompt} from "../../../src-main/models/runtime/promptFormat.ts";
import {loadTestPair, storyAmateurL4, storyExpert} from "../../helpers/models.ts";

describe("pair decoder on stories260K + L4", () => {
    let pair: ModelPair;
    let prompt: number[];
    before(async () => {
        pair = await loadTestPair(storyExpert, storyAmateurL4);
        prompt = rawPrompt(pair.tokenizerModel, "Once upon a time").tokens;
    });
    after(async () => {
        await pair.dispose();
    });

    for (const [mode, gamma] of [
        ["scd", 4],
        ["sd", 4],
        ["cd", 4],
        ["scd", "auto"],
        ["sd", "auto"]
    ] as const satisfies readonly [DecodeMode, number | "auto"][]) {
        test(`${mode} (γ ${gamma}): a second turn evaluates only its new tokens, and decodes as a fresh context would`, async () => {
            await pair.clearCaches();
            const first = await pair.decoder.generate(prompt, {mode, gamma, maxTokens: 40, temperature: 0});
            assert.deepEqual(first.stats.reusedPromptTokens, {expert: 0, amateur: 0});
            const followUp = pair.tokenizerModel.tokenize(" Then the dog said") as number[];
            const secondPrompt = [...prompt, ...first.tokens, ...followUp];
            const second = await pair.decoder.generate(secondPrompt, {mode, gamma, maxTokens: 30, temperature: 0});
            const cachedBefore = prompt.length + first.tokens.length - 1;
            assert.equal(second.stats.reusedPromptTokens.expert, cachedBefore, "expert reused everything it had");
            if (gamma === "auto") {
                // γ auto may have run expert-only steps (sd's fallback), leaving the amateur behind: it reuses what it has.
                assert.ok(second.stats.reusedPromptTokens.amateur <= cachedBefore, "amateur reused no more than the prompt");
            } else {
                assert.equal(second.stats.reusedPromptTokens.amateur, cachedBefore, "amateur reused everything it had");
            }

            await pair.clearCaches();
            const fresh = await pair.decoder.generate(secondPrompt, {mode, gamma, maxTokens: 30, temperature: 0});
            assert.deepEqual(fresh.stats.reusedPromptTokens, {expert: 0, amateur: 0});
            assert.deepEqual(second.tokens, fresh.tokens);
        });
    }

    test("an edited history reuses only the common prefix", async () => {
        await pair.clearCaches();
        const first = await pair.decoder.generate(prompt, {mode: "scd", maxTokens: 20});
        const edited = [...prompt.slice(0, 3), ...(pair.tokenizerModel.tokenize(" a cat") as number[])];
        const second = await pair.decoder.generate(edited, {mode: "scd", maxTokens: 5});
        assert.equal(second.stats.reusedPromptTokens.expert, 3);
        assert.ok(first.tokens.length > 0);
    });

    test("abort stops within one round and leaves both caches consistent for the next call", async () => {
        await pair.clearCaches();
        const controller = new AbortController();
        let seen = 0;
        const aborted = await pair.decoder.generate(
            prompt,
            {mode: "scd", gamma: 4, maxTokens: 200, temperature: 0, signal: controller.signal},
            (event) => {
                if (event.kind === "token" && ++seen === 5) controller.abort();
            }
        );
        assert.equal(aborted.stats.stopReason, "abort");
        assert.ok(aborted.tokens.length >= 5 && aborted.tokens.length <= 5 + 4, `stopped after ${aborted.tokens.length} tokens`);

        const continued = await pair.decoder.generate([...prompt, ...aborted.tokens], {mode: "scd", maxTokens: 30, temperature: 0});
        await pair.clearCaches();
        const fresh = await pair.decoder.generate([...prompt, ...aborted.tokens], {mode: "scd", maxTokens: 30, temperature: 0});
        assert.deepEqual(continued.tokens, fresh.tokens);

        const preAborted = await pair.decoder.generate(prompt, {mode: "cd", maxTokens: 10, signal: AbortSignal.abort()});
        assert.equal(preAborted.stats.stopReason, "abort");
        assert.equal(preAborted.tokens.length, 0);
    });

    test("a stop string cuts the text before it, and nothing after it is streamed", async () => {
        const plain = await pair.decoder.generate(prompt, {mode: "scd", maxTokens: 60, temperature: 0});
        assert.ok(plain.text.includes(" park"), plain.text);
        const streamed: string[] = [];
        const stopped = await pair.decoder.generate(prompt, {mode: "scd", maxTokens: 60, temperature: 0, stopStrings: [" park"]}, (event) =>
            streamed.push(event.text)
        );
        assert.equal(stopped.stats.stopReason, "stopString");
        assert.equal(stopped.text, plain.text.slice(0, plain.text.indexOf(" park")));
        assert.equal(streamed.join(""), stopped.text);
    });

    for (const stop of [" park", "rk"]) {
        test(`multi-turn chat with the stop string ${JSON.stringify(stop)}: tokens, text and both caches agree, and each turn reuses the last`, async () => {
            // " park" starts at a token boundary; "rk" starts inside a token (" p|ar|k"), whose part before the cut
            // is spelled afresh.
            const detokenize = (tokens: readonly number[], preceding: readonly number[]) =>
                pair.tokenizerModel.detokenize(tokens as never, false, preceding.slice(-8) as never);
            for (const mode of ["scd", "cd", "sd"] as const) {
                await pair.clearCaches();
                let history = [...prompt];
                for (const [turn, followUp] of [" Then the dog said", " The park was big. Lily"].entries()) {
                    const options = {mode, maxTokens: 60, temperature: 0, stopStrings: [stop]};
                    const answer = await pair.decoder.generate(history, options);
                    const label = `${mode} turn ${turn}`;
                    assert.equal(answer.stats.stopReason, "stopString", `${label}: ${answer.text}`);
                    assert.equal(detokenize(answer.tokens, history), answer.text, `${label}: tokens spell the text`);
                    const committed = [...history, ...answer.tokens];
                    for (const sequence of [pair.expert.sequence, pair.amateur.sequence]) {
                        const cached = sequence.cachedTokens;
                        assert.ok(cached.length <= committed.length, `${label}: the cache holds more than the answer`);
                        assert.deepEqual(cached, committed.slice(0, cached.length), `${label}: the cache holds tokens the text does not`);
                    }
                    const cachedBefore = pair.expert.sequence.length;
                    history = [...committed, ...(pair.tokenizerModel.tokenize(followUp) as number[])];
                    const next = await pair.decoder.generate(history, {mode, maxTokens: 20, temperature: 0});
                    assert.equal(next.stats.reusedPromptTokens.expert, cachedBefore, `${label}: the next turn reused the cache`);
                    await pair.clearCaches();
                    const fresh = await pair.decoder.generate(history, {mode, maxTokens: 20, temperature: 0});
                    assert.deepEqual(next.tokens, fresh.tokens, `${label}: reuse decodes as a fresh cache would`);
                }
            }
        });
    }

    test("a stop token ends generation without being emitted", async () => {
        const plain = await pair.decoder.generate(prompt, {mode: "sd", maxTokens: 60, temperature: 0});
        const period = plain.tokens.find((t) => pair.tokenizerModel.detokenize([t as never]) === ".");
        assert.notEqual(period, undefined);
        const stopped = await pair.decoder.generate(prompt, {mode: "sd", maxTokens: 60, temperature: 0, stopTokens: [period!]});
        assert.equal(stopped.stats.stopReason, "eogToken");
        assert.deepEqual(stopped.tokens, plain.tokens.slice(0, plain.tokens.indexOf(period!)));
    });

    test("maxTokens is exact, streamed text adds up, and every token says where it came from", async () => {
        for (const maxTokens of [1, 2, 7, 33]) {
            const events: DecodeEvent[] = [];
            const result = await pair.decoder.generate(prompt, {mode: "scd", gamma: 4, maxTokens, temperature: 0.8, seed: maxTokens}, (e) =>
                events.push(e)
            );
            assert.equal(result.tokens.length, maxTokens);
            assert.equal(result.stats.stopReason, "maxTokens");
            assert.equal(events.map((e) => e.text).join(""), result.text);
            const tokenEvents = events.filter((e) => e.kind === "token");
            assert.deepEqual(
                tokenEvents.map((e) => e.token),
                result.tokens
            );
            assert.equal(tokenEvents.filter((e) => e.source === "draft").length, result.stats.acceptedTokens);
        }
        const long = await pair.decoder.generate(prompt, {mode: "sd", gamma: 3, maxTokens: 100, temperature: 0});
        const sources = new Set<string>();
        await pair.decoder.generate(prompt, {mode: "sd", gamma: 3, maxTokens: 100, temperature: 0}, (e) => {
            if (e.kind === "token") sources.add(e.source);
        });
        assert.deepEqual([...sources].sort(), ["bonus", "correction", "draft"]);
        const {stats} = long;
        assert.equal(stats.expertCalls, stats.rounds, "one batched verification a round, the prompt riding in the first");
        assert.ok(stats.acceptanceRate! > 0 && stats.acceptanceRate! < 1);
        assert.equal(stats.acceptanceRate, stats.acceptedTokens / stats.draftedTokens);
        assert.ok(stats.timeToFirstTokenMs! > 0 && stats.timeToFirstTokenMs! <= stats.totalMs);
        assert.ok(Math.abs(stats.tokensPerSecond - (stats.generatedTokens * 1000) / stats.totalMs) < 1e-9);
    });

    test("generation stops cleanly when the context is full", async () => {
        const contextSize = pair.expert.sequence.capacity;
        const filler = pair.tokenizerModel.tokenize(" the cat sat on the mat.".repeat(200)) as number[];
        const longPrompt = [prompt[0]!, ...filler.slice(0, contextSize - 10)];
        for (const mode of ["scd", "cd", "expert"] as const) {
            const result = await pair.decoder.generate(longPrompt, {mode, maxTokens: 50, temperature: 0});
            assert.equal(result.stats.stopReason, "contextFull", mode);
            assert.ok(result.tokens.length > 0 && result.tokens.length <= 10, `${mode}: ${result.tokens.length} tokens`);
            // Nothing was shifted out of the caches to make room.
            assert.ok(pair.expert.sequence.length >= longPrompt.length - 1, `${mode}: expert cache was shifted`);
        }
    });

    test("a long prompt is evaluated in chunks: Stop during it is answered after one chunk, and the next call goes on from there", async () => {
        const filler = pair.tokenizerModel.tokenize(" Tom and Sue played with the ball in the sun.".repeat(40)) as number[];
        const longPrompt = [prompt[0]!, ...filler.slice(0, (3 * PREFILL_CHUNK) / 2)];
        const whole = new PairDecoder(pair.expert.sequence, pair.amateur.sequence, modelTokenText(pair.tokenizerModel), {
            lock: pair.decoder.lock,
            prefillChunk: 10_000
        });
        await pair.clearCaches();
        const reference = await whole.generate(longPrompt, {mode: "scd", maxTokens: 20, temperature: 0});

        await pair.clearCaches();
        const controller = new AbortController();
        const evaluated: number[] = [];
        // The expert's view, reporting each call's size and pressing Stop on the first.
        const expert: DecoderSequence = {
            get calls() {
                return pair.expert.sequence.calls;
            },
            get length() {
                return pair.expert.sequence.length;
            },
            get capacity() {
                return pair.expert.sequence.capacity;
            },
            get cachedTokens() {
                return pair.expert.sequence.cachedTokens;
            },
            vocabularySize: pair.expert.sequence.vocabularySize,
            evaluate: (tokens, headCount) => {
                evaluated.push(tokens.length);
                controller.abort();
                return pair.expert.sequence.evaluate(tokens, headCount);
            },
            truncate: (length) => pair.expert.sequence.truncate(length)
        };
        const stopping = new PairDecoder(expert, pair.amateur.sequence, modelTokenText(pair.tokenizerModel), {lock: pair.decoder.lock});
        const stopped = await stopping.generate(longPrompt, {mode: "scd", maxTokens: 20, temperature: 0, signal: controller.signal});
        assert.equal(stopped.stats.stopReason, "abort");
        assert.deepEqual(evaluated, [PREFILL_CHUNK], "Stop was answered after the first chunk");
        const resumed = await pair.decoder.generate(longPrompt, {mode: "scd", maxTokens: 20, temperature: 0});
        assert.equal(resumed.stats.reusedPromptTokens.expert, PREFILL_CHUNK);
        assert.deepEqual(resumed.tokens, reference.tokens, "chunked and whole prompts decode alike");
    });

    test("a prompt longer than the context is refused with a clear error before anything runs", async () => {
        const contextSize = pair.expert.sequence.capacity;
        const tooLong = new Array(contextSize + 5).fill(prompt[1]);
        await assert.rejects(
            pair.decoder.generate(tooLong, {mode: "scd"}),
            (error: unknown) => error instanceof PromptTooLongError && /context holds/.test(error.message)
        );
    });

    test("a second generation, clearing the caches or any cache edit while one runs is refused", async () => {
        const running = pair.decoder.generate(prompt, {mode: "cd", maxTokens: 20});
        await assert.rejects(pair.decoder.generate(prompt, {mode: "cd", maxTokens: 5}), DecoderBusyError);
        await assert.rejects(pair.clearCaches(), DecoderBusyError);
        await assert.rejects(
            pair.decoder.exclusive(async () => 0),
            DecoderBusyError
        );
        await running;
        await pair.clearCaches();
        assert.equal(pair.expert.sequence.length, 0);
    });

    test("a cache edit outside the decoder's lock is refused in one sentence", async () => {
        await assert.rejects(
            pair.expert.sequence.truncate(0),
            (error: unknown) => error instanceof CacheLockError && /outside the pair decoder's lock/.test(error.message)
        );
        await assert.rejects(pair.amateur.sequence.evaluate([1], 1), CacheLockError);
    });

    test("one after the other (no drafting ahead, no side-by-side calls) decodes the same tokens for a seed", async () => {
        const sequential = new PairDecoder(pair.expert.sequence, pair.amateur.sequence, modelTokenText(pair.tokenizerModel), {
            sideBySide: false,
            lock: pair.decoder.lock
        });
        for (const mode of ["scd", "sd", "cd"] as const) {
            for (const temperature of [0, 1]) {
                const options = {mode, temperature, maxTokens: 48, gamma: 3, seed: 5};
                const a = await pair.decoder.generate(prompt, options);
                const b = await sequential.generate(prompt, options);
                assert.deepEqual(b.tokens, a.tokens, `${mode} T=${temperature}`);
                assert.equal(b.stats.lookaheadRounds, 0);
            }
        }
    });

    test("bad decoding parameters are refused with one sentence each", async () => {
        await assert.rejects(
            pair.decoder.generate(prompt, {alpha: 2, gamma: 0}),
            /alpha must be a number from 0 to 1; gamma must be auto or a whole number from 1 to 64/
        );
    });
});
