import assert from "node:assert/strict";
import {test} from "node:test";
import {armKey, expectedTokens, modelledRoundMs, type Arm} from "../../../../src-main/engine/adaptive/speedModel.ts";
import {SimulatedPair, batchCost, type Regime} from "./simulatedPair.ts";

test("expected tokens per round match a Monte-Carlo count of accepted drafts plus the correction or bonus", () => {
    const regime: Regime = {
        name: "noise-free",
        mode: "scd",
        acceptance: 0,
        amateurMs: 1,
        expertMs: () => 1,
        sideBySideSlowdown: 1,
        roundOverheadMs: 0,
        stepOverheadMs: 0,
        tokenOverheadMs: 0,
        noise: 0,
        stallRate: 0
    };
    for (const acceptance of [0, 0.3, 0.5, 0.8, 0.97, 1]) {
        for (const gamma of [1, 2, 4, 8]) {
            const arm: Arm = {kind: "speculate", gamma, sideBySide: false};
            const sim = new SimulatedPair({...regime, acceptance}, gamma * 100 + acceptance * 1000);
            const rounds = 20_000;
            for (let i = 0; i < rounds; i++) sim.run(arm);
            const measured = sim.totalTokens / rounds;
            const expected = expectedTokens(arm, acceptance);
            // Tokens per round have variance below (γ+1)²/4; 5 standard errors.
            assert.ok(
                Math.abs(measured - expected) < (5 * (gamma + 1)) / 2 / Math.sqrt(rounds),
                `a ${acceptance} γ ${gamma}: ${measured} vs ${expected}`
            );
        }
    }
    assert.equal(expectedTokens({kind: "fallback", sideBySide: true}, 0.7), 1);
    assert.equal(expectedTokens({kind: "speculate", gamma: 5, sideBySide: true}, 1), 6);
});

test("the modelled serial round time is the mean wall time of simulated serial rounds (no noise, no overhead)", () => {
    const expertMs = batchCost([
        [1, 12],
        [3, 17],
        [5, 28.5],
        [9, 52]
    ]);
    for (const mode of ["scd", "sd"] as const) {
        for (const acceptance of [0.2, 0.6, 0.95]) {
            const regime: Regime = {
                name: "noise-free",
                mode,
                acceptance,
                amateurMs: 0.4,
                expertMs,
                sideBySideSlowdown: 1,
                roundOverheadMs: 0,
                stepOverheadMs: 0,
                tokenOverheadMs: 0,
                noise: 0,
                stallRate: 0
            };
            const arms: Arm[] = [
                {kind: "fallback", sideBySide: false},
                ...[1, 2, 4, 8].map((gamma): Arm => ({kind: "speculate", gamma, sideBySide: false}))
            ];
            for (const arm of arms) {
                const sim = new SimulatedPair(regime, 5);
                const rounds = 20_000;
                for (let i = 0; i < rounds; i++) sim.run(arm);
                const modelled = modelledRoundMs(
                    arm,
                    acceptance,
                    {amateurStepMs: 0.4, expertCallMs: expertMs},
                    {
                        bonusAmateurStep: mode === "scd",
                        fallbackUsesAmateur: mode === "scd"
                    }
                );
                // Only the bonus step is random: 0.4 ms with probability a^γ.
                assert.ok(
                    Math.abs(sim.totalMs / rounds - modelled) < 0.02,
                    `${mode} a ${acceptance} ${armKey(arm)}: ${sim.totalMs / rounds} vs ${modelled}`
                );
            }
        }
    }
});

test("side by side, a cd step costs the slower model and a verification hides the amateur's bonus step", () => {
    const primitives = {amateurStepMs: 0.5, expertCallMs: (n: number) => 10 + 2 * n};
    const scd = {bonusAmateurStep: true, fallbackUsesAmateur: true};
    assert.equal(modelledRoundMs({kind: "fallback", sideBySide: true}, 0.5, primitives, scd), 12);
    assert.equal(modelledRoundMs({kind: "fallback", sideBySide: false}, 0.5, primitives, scd), 12.5);
    assert.equal(modelledRoundMs({kind: "fallback", sideBySide: false}, 0.5, primitives, {bonusAmateurStep: false, fallbackUsesAmateur: false}), 12);
    // γ = 2, a = 0.5: drafts 2 × 0.5 ms, each needed unless drawn ahead (≈ a³), verification 16 ms.
    assert.equal(modelledRoundMs({kind: "speculate", gamma: 2, sideBySide: true}, 0.5, primitives, scd), 2 * 0.5 * (1 - 0.125) + 16);
    assert.equal(modelledRoundMs({kind: "speculate", gamma: 2, sideBySide: false}, 0.5, primitives, scd), 0.5 * (2 + 0.25) + 16);
});
