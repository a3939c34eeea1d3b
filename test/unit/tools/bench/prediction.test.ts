import assert from "node:assert/strict";
import {test} from "node:test";
import {expectedTokensPerRound, perDraftAcceptance, predictedRoundMs, predictedTokensPerSecond} from "../../../../tools/bench/prediction.ts";
import {createRng} from "../../../../src-main/engine/math/rng.ts";

test("expected tokens per round matches a simulation of i.i.d. acceptance", () => {
    const rng = createRng(1);
    for (const [a, gamma] of [
        [0.3, 4],
        [0.5, 1],
        [0.8, 8],
        [0, 3]
    ] as const) {
        let tokens = 0;
        const rounds = 200_000;
        for (let r = 0; r < rounds; r++) {
            let accepted = 0;
            while (accepted < gamma && rng.next() < a) accepted++;
            tokens += accepted + 1; // the accepted drafts, then a correction or the bonus token
        }
        // Tokens a round have a standard deviation below γ: 5 standard errors of the mean.
        assert.ok(Math.abs(tokens / rounds - expectedTokensPerRound(a, gamma)) < (5 * gamma) / Math.sqrt(rounds), `a=${a}, γ=${gamma}`);
    }
    assert.equal(expectedTokensPerRound(1, 4), 5);
});

test("round cost and predicted speed", () => {
    const costs = {amateurStepMs: 1, verifyMs: 20, bonusAmateurStep: false};
    assert.equal(predictedRoundMs(0.5, 4, costs), 24);
    assert.equal(predictedRoundMs(0.5, 4, {...costs, bonusAmateurStep: true}), 24 + 0.5 ** 4);
    assert.ok(Math.abs(predictedTokensPerSecond(0.5, 4, costs) - (1000 * 1.9375) / 24) < 1e-9);
});

test("per-draft acceptance counts every verified draft once", () => {
    assert.equal(perDraftAcceptance(30, 10), 0.75);
    assert.equal(perDraftAcceptance(0, 0), null);
});
