/**
 * The real controller on the demo pair (stories260K + L4, greedy, one thread a model): scd with γ auto
 * against cd and sd with γ auto against the expert alone, interleaved generation by generation so machine
 * noise hits both alike, after a warm-up generation each (the pair's controller keeps what it learned, as
 * the app keeps it across messages). Every auto answer must be the reference's, token for token. Issue 8's
 * speed target, ≥ 0.97 × the non-speculative mode, is asserted only where TANDEM_QUIET_MACHINE=1 says the
 * timings mean something: on a machine shared with other work (load average ~5 on 2 cores) the ratio was seen
 * anywhere from 0.29 to 1.0 between runs, and the reference's own speed varied 2×. Elsewhere it is printed.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import type {DecodeMode, GenerateOptions} from "../../../src-main/engine/types.ts";
import type {ModelPair} from "../../../src-main/models/runtime/modelPair.ts";
import {rawPrompt} from "../../../src-main/models/runtime/promptFormat.ts";
import {writtenPrompts} from "../../helpers/greedyExactnessSuite.ts";
import {loadTestPair, storyAmateurL4, storyExpert} from "../../helpers/models.ts";

const TOKENS = 150;
const ROUNDS = 2;
/** Issue 8's target. */
const TARGET = 0.97;
const quietMachine = process.env.TANDEM_QUIET_MACHINE === "1";

let pair: ModelPair;
before(async () => {
    pair = await loadTestPair(storyExpert, storyAmateurL4);
});
after(async () => {
    await pair.dispose();
});

for (const [auto, reference] of [
    ["scd", "cd"],
    ["sd", "expert"]
] as const satisfies readonly (readonly [DecodeMode, DecodeMode])[]) {
    test(`${auto} auto keeps up with ${reference} on the demo pair`, async () => {
        const prompts = writtenPrompts.map((text) => rawPrompt(pair.tokenizerModel, text).tokens);
        const options: GenerateOptions = {temperature: 0, maxTokens: TOKENS, alpha: 0.1, beta: 0.5, seed: 1};
        const time = {auto: 0, reference: 0};
        const answers = new Map<number[], number[]>();
        const tokens = {auto: 0, reference: 0};
        for (let round = -1; round < ROUNDS; round++) {
            for (const prompt of prompts) {
                for (const which of ["auto", "reference"] as const) {
                    await pair.clearCaches();
                    const result = await pair.decoder.generate(
                        prompt,
                        which === "auto" ? {...options, mode: auto, gamma: "auto"} : {...options, mode: reference}
                    );
                    if (which === "reference")
                        assert.deepEqual(answers.get(prompt), result.tokens, `${auto} auto gave another answer than ${reference}`);
                    else answers.set(prompt, result.tokens);
                    if (round < 0) continue; // warm-up
                    time[which] += result.stats.totalMs;
                    tokens[which] += result.tokens.length;
                }
            }
        }
        const ratio = tokens.auto / time.auto / (tokens.reference / time.reference);
        const last = await pair.decoder.generate(prompts[0]!, {...options, mode: auto, gamma: "auto"});
        console.log(
            `# ${auto} auto / ${reference}: ${ratio.toFixed(3)} (${((1000 * tokens.auto) / time.auto).toFixed(0)} vs ` +
                `${((1000 * tokens.reference) / time.reference).toFixed(0)} tok/s); pick ${JSON.stringify(last.stats.adaptivePick)}, ` +
                `fallback ${last.stats.fallbackTokens}/${last.tokens.length} tokens, γ histogram ${JSON.stringify(last.stats.gammaHistogram)}`
        );
        if (quietMachine) assert.ok(ratio >= TARGET, `${auto} auto ran at ${ratio.toFixed(3)} × ${reference}`);
    });
}
