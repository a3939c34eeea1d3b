/** Like-for-like speed arithmetic: cost by position, a span's cost, the decoded span of an answer. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {
    calibrationPositions,
    costAt,
    decodedSpan,
    fitCostLine,
    spanMs,
    spanSpeedup,
    spanTokensPerSecond
} from "../../../src-main/service/speedCurve.ts";

const curve = [
    {position: 0, msPerToken: 1},
    {position: 1000, msPerToken: 3},
    {position: 2000, msPerToken: 5}
];

test("the cost is read through one robust line: an outlier run moves it little, and the slope is never negative", () => {
    assert.ok(Math.abs(costAt(curve, 500) - 2) < 1e-12);
    assert.ok(Math.abs(costAt(curve, 3000) - 7) < 1e-12);
    // One run disturbed by other work on the machine (10× slower) among clean ones on the line 1 + p/500.
    const noisy = [0, 250, 500, 750, 1000, 1250].map((position) => ({position, msPerToken: 1 + position / 500}));
    noisy.push({position: 600, msPerToken: 22});
    assert.ok(Math.abs(costAt(noisy, 1000) - 3) < 0.05, String(costAt(noisy, 1000)));
    assert.equal(
        fitCostLine([
            {position: 0, msPerToken: 3},
            {position: 100, msPerToken: 1}
        ]).slope,
        0
    );
    assert.equal(costAt([{position: 10, msPerToken: 2}], 5000), 2);
    // Noise that tilts the line below zero early in the context: never cheaper than the cheapest measured run.
    const tilted = [
        {position: 10, msPerToken: 1.5},
        {position: 500, msPerToken: 1},
        {position: 1000, msPerToken: 9},
        {position: 1500, msPerToken: 14}
    ];
    assert.ok(costAt(tilted, 0) >= 1 && spanMs(tilted, 0, 10) > 0);
});

test("a span costs the sum of its positions' costs", () => {
    assert.ok(Math.abs(spanMs(curve, 0, 3) - (1 + 1.002 + 1.004)) < 1e-9);
    assert.ok(Math.abs(spanMs(curve, 1000, 1000) - 1000 * (3 + 0.999)) < 1e-6);
});

test("the decoded span leaves the first token (the prompt's cost) out on both sides", () => {
    assert.deepEqual(decodedSpan(300, 257, 1100, 100), {from: 300, tokens: 256, ms: 1000});
    assert.equal(decodedSpan(300, 1, 1100, 100), null);
    assert.equal(decodedSpan(300, 10, 1100, null), null);
});

test("an answer decoded exactly as the curve says reads 1×; twice as fast reads 2×", () => {
    const span = {from: 1000, tokens: 100, ms: spanMs(curve, 1000, 100)};
    assert.ok(Math.abs(spanSpeedup(curve, span) - 1) < 1e-12);
    assert.ok(Math.abs(spanSpeedup(curve, {...span, ms: span.ms / 2}) - 2) < 1e-12);
    assert.ok(Math.abs(spanTokensPerSecond(curve, span) - 100_000 / span.ms) < 1e-9);
});

test("calibration positions span the context, each with room to decode", () => {
    const positions = calibrationPositions(2048, 32);
    assert.equal(positions.length, 12);
    assert.equal(positions[0], 1);
    assert.equal(positions.at(-1), 2048 - 32 - 2);
    assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b)
    );
    assert.ok(calibrationPositions(64, 32).every((p) => p + 34 <= 64));
});
