/**
 * Greedy SCD must equal greedy CD token for token, and greedy SD must equal the greedy expert, on the real
 * story models. Exact numerics (no flash attention, F32 KV cache) keep batched and single-token logits
 * within ~1e-5; a split is accepted only where the target had a near-tie (score gap < 1e-3), never silently.
 * γ auto must give the same, whether a scripted planner switches the round shape every round or the pair's
 * adaptive controller picks it.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {createRng} from "../../src-main/engine/math/rng.ts";
import type {DecodeMode} from "../../src-main/engine/types.ts";
import {PairDecoder} from "../../src-main/engine/pairDecoder.ts";
import {modelTokenText, type ModelPair} from "../../src-main/models/runtime/modelPair.ts";
import {rawPrompt} from "../../src-main/models/runtime/promptFormat.ts";
import {loadTestPair, storyExpert} from "./models.ts";
import {firstDifference, targetScoreGap} from "./nearTie.ts";
import {everySwitch, scriptedPlanners} from "./scriptedPlanner.ts";

export const writtenPrompts = ["Once upon a time", "The little dog", "Lily and Ben went to the park. They", "One day, a big bear"];
const NEAR_TIE = 1e-3;
const TOKENS = 128;

/** Prompts nobody wrote by hand: seeded random word sequences. */
export function randomPrompts(count: number, seed: number): string[] {
    const words = ["the", "cat", "happy", "tree", "Tom", "ran", "sun", "big", "said", "to", "a", "ball", "mom", "sad", "found", "in", "red", "box"];
    const rng = createRng(seed);
    return Array.from({length: count}, () =>
        Array.from({length: 2 + Math.floor(rng.next() * 6)}, () => words[Math.floor(rng.next() * words.length)]).join(" ")
    );
}

export function greedyExactnessSuite(amateur: string, promptTexts: string[]): void {
    describe(`greedy equivalences with ${amateur}`, () => {
        let pair: ModelPair;
        before(async () => {
            pair = await loadTestPair(storyExpert, amateur);
        });
        after(async () => {
            await pair.dispose();
        });

        async function decode(
            prompt: number[],
            mode: DecodeMode,
            gamma: number | "auto",
            alpha: number,
            beta: number,
            decoder: PairDecoder = pair.decoder
        ): Promise<number[]> {
            const result = await decoder.generate(prompt, {mode, temperature: 0, maxTokens: TOKENS, gamma, alpha, beta});
            return result.tokens;
        }

        async function assertSame(prompt: number[], reference: number[], candidate: number[], alpha: number, beta: number, label: string) {
            const at = firstDifference(reference, candidate);
            if (at < 0) return;
            const gap = await targetScoreGap(pair, [...prompt, ...reference.slice(0, at)], alpha, beta);
            assert.ok(gap < NEAR_TIE, `${label}: split at token ${at} where the target's top two scores differ by ${gap}, not a near-tie`);
            console.log(`# ${label}: split at token ${at} at a near-tie (gap ${gap.toExponential(2)})`);
        }

        for (const text of promptTexts) {
            test(`"${text}": scd ≡ cd (γ 1, 3, 4, 7) and sd ≡ expert`, async () => {
                const prompt = rawPrompt(pair.tokenizerModel, text).tokens;
                for (const [alpha, beta, gammas] of [
                    [0.1, 0.5, [1, 4, 7]],
                    [0.05, 1, [3]]
                ] as const) {
                    const cd = await decode(prompt, "cd", 4, alpha, beta);
                    assert.ok(cd.length > 0, "cd produced tokens");
                    for (const gamma of gammas) {
                        await assertSame(
                            prompt,
                            cd,
                            await decode(prompt, "scd", gamma, alpha, beta),
                            alpha,
                            beta,
                            `scd γ=${gamma} α=${alpha} β=${beta}`
                        );
                    }
                }
                const expert = await decode(prompt, "expert", 4, 0, 0);
                await assertSame(prompt, expert, await decode(prompt, "sd", 4, 0, 0), 0, 0, "sd");
            });

            test(`"${text}": γ auto, switching every round (fallback, γ 1–5, both schedules) and with the controller: scd ≡ cd, sd ≡ expert`, async () => {
                const prompt = rawPrompt(pair.tokenizerModel, text).tokens;
                const cd = await decode(prompt, "cd", 4, 0.1, 0.5);
                const expert = await decode(prompt, "expert", 4, 0, 0);
                // The same caches and lock, with γ auto's rounds planned from the script instead of the controller.
                const scripted = new PairDecoder(pair.expert.sequence, pair.amateur.sequence, modelTokenText(pair.tokenizerModel), {
                    sideBySide: pair.decoder.sideBySide,
                    lock: pair.decoder.lock,
                    planner: scriptedPlanners(everySwitch).planner
                });
                await assertSame(prompt, cd, await decode(prompt, "scd", "auto", 0.1, 0.5, scripted), 0.1, 0.5, "scd auto, scripted");
                await assertSame(prompt, expert, await decode(prompt, "sd", "auto", 0, 0, scripted), 0, 0, "sd auto, scripted");
                await assertSame(prompt, cd, await decode(prompt, "scd", "auto", 0.1, 0.5), 0.1, 0.5, "scd auto");
                await assertSame(prompt, expert, await decode(prompt, "sd", "auto", 0, 0), 0, 0, "sd auto");
            });
        }
    });
}
