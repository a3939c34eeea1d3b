/** The footer's stats from the engine's: tokens evaluated again, and the speedup like for like. */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {CostCurves, SpeedBaseline} from "../../../src-shared/index.ts";
import {messageStats} from "../../../src-main/service/messageStats.ts";
import {sampleEngineStats} from "../../helpers/engineStats.ts";

const line = [
    {position: 0, msPerToken: 1},
    {position: 1000, msPerToken: 3}
];
const curves: CostCurves = {
    expertGreedy: line,
    expertSampled: line,
    cdGreedy: line.map((p) => ({...p, msPerToken: 2 * p.msPerToken})),
    cdSampled: line
};
const baseline: SpeedBaseline = {
    pairKey: "a + b",
    device: "CPU, 1 thread per model",
    expertTokensPerSecond: 1000,
    measuredAt: "2026-12-03T12:00:00.000Z",
    curves
};

test("the speedup compares the answer's decoding with the calibration's expert alone and cd over the same positions", () => {
    // 101 tokens from position 500: 100 decode steps over positions 500–599, taking 100 ms.
    const engine = sampleEngineStats({mode: "scd", generatedTokens: 101, promptTokens: 500, totalMs: 150, timeToFirstTokenMs: 50});
    const stats = messageStats(engine, {promptTokens: 500, droppedTurns: 0, baseline, temperature: 0});
    const expertMs = 100 * (2 + 0.002 * 49.5);
    assert.ok(Math.abs(stats.speedup!.ratio - expertMs / 100) < 1e-9);
    assert.ok(Math.abs(stats.speedup!.versusCd! - (2 * expertMs) / 100) < 1e-9);
    assert.deepEqual(stats.speedup!.span, {from: 500, tokens: 100});
    assert.equal(stats.speedup!.measuredDuringAnswer, false);
    assert.deepEqual(stats.reevaluatedTokens, {expert: 500, amateur: 500});
});

test("where the answer ran the expert alone's own steps, those stand for it: same seconds, same load", () => {
    const engine = sampleEngineStats({
        mode: "expert",
        generatedTokens: 101,
        promptTokens: 500,
        totalMs: 550,
        timeToFirstTokenMs: 50,
        reusedPromptTokens: {expert: 480, amateur: 0},
        measuredSteps: {expert: {steps: 100, ms: 495}, cd: {steps: 0, ms: 0}}
    });
    const stats = messageStats(engine, {promptTokens: 500, droppedTurns: 0, baseline, temperature: 0});
    assert.ok(Math.abs(stats.speedup!.ratio - 0.99) < 1e-9);
    assert.equal(stats.speedup!.measuredDuringAnswer, true);
    assert.equal(stats.speedup!.versusCd, null);
    assert.deepEqual(stats.reevaluatedTokens, {expert: 20, amateur: null});
});

test("the answer's own cd steps match both references to the machine's load of that moment", () => {
    // cd steps ran at twice the calibration's cost: the machine was busy; the expert-alone reference doubles too.
    const cdCurveMs = 100 * 2 * (2 + 0.002 * 49.5);
    const engine = sampleEngineStats({
        mode: "scd",
        generatedTokens: 101,
        promptTokens: 500,
        totalMs: 450,
        timeToFirstTokenMs: 50,
        measuredSteps: {expert: {steps: 0, ms: 0}, cd: {steps: 40, ms: (40 * 2 * cdCurveMs) / 100}}
    });
    const stats = messageStats(engine, {promptTokens: 500, droppedTurns: 0, baseline, temperature: 0});
    const expertMs = 2 * 100 * (2 + 0.002 * 49.5);
    assert.ok(Math.abs(stats.speedup!.ratio - expertMs / 400) < 1e-9);
    assert.ok(Math.abs(stats.speedup!.versusCd! - (2 * cdCurveMs) / 400) < 1e-9);
    assert.equal(stats.speedup!.matchedBy, "cd");
});

test("no curves (an old baseline) or no decoded span: no speedup rather than a guess", () => {
    const engine = sampleEngineStats({generatedTokens: 1});
    assert.equal(messageStats(engine, {promptTokens: 9, droppedTurns: 0, baseline, temperature: 0}).speedup, null);
    const {curves: _, ...old} = baseline;
    assert.equal(messageStats(sampleEngineStats(), {promptTokens: 9, droppedTurns: 0, baseline: old, temperature: 0}).speedup, null);
});
