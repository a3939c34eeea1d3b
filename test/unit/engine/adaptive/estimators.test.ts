import assert from "node:assert/strict";
import {test} from "node:test";
import {BatchCostCurve, DiscountedRate, MovingMean} from "../../../../src-main/engine/adaptive/estimators.ts";
import {createRng} from "../../../../src-main/engine/math/rng.ts";

function near(actual: number, expected: number, tolerance: number): void {
    assert.ok(Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);
}

test("a moving mean settles on the mean of noisy samples", () => {
    const rng = createRng(3);
    const mean = new MovingMean();
    const values: number[] = [];
    for (let i = 0; i < 2000; i++) {
        mean.record(10 * (0.8 + 0.4 * rng.next())); // uniform on [8, 12]
        values.push(mean.value);
    }
    const late = values.slice(1000);
    const average = late.reduce((a, b) => a + b, 0) / late.length;
    assert.ok(Math.abs(average - 10) < 0.1, `average estimate ${average}`);
    // (A window of 10 samples uniform on [8, 12]: standard deviation 0.37.)
    assert.ok(
        late.every((v) => Math.abs(v - 10) < 1.5),
        "the estimate stays within 15% of the mean"
    );
    assert.equal(mean.weight, 10);
});

test("a moving mean averages its first samples plainly and ignores non-finite or negative ones", () => {
    const mean = new MovingMean();
    assert.ok(Number.isNaN(mean.value), "no estimate before a sample");
    assert.equal(mean.weight, 0);
    for (const sample of [2, 4, 6]) mean.record(sample);
    near(mean.value, 4, 1e-12);
    for (const bad of [NaN, Infinity, -1]) mean.record(bad);
    near(mean.value, 4, 1e-12);
    assert.equal(mean.weight, 3);
});

test("a far faster sample among a moving mean's first ones replaces them (cold first calls); fast samples count whole", () => {
    const cold = new MovingMean(0.1, 1.5);
    cold.record(6); // the first call after a load: buffers sized, code compiled
    cold.record(5);
    cold.record(1.1); // the typical cost
    near(cold.value, 1.1, 1e-12);
    assert.equal(cold.weight, 1);
    for (const sample of [1.0, 1.2]) cold.record(sample);
    near(cold.value, 1.1, 1e-12);
    for (let i = 0; i < 10; i++) cold.record(1.1);
    cold.record(0.3); // a fast sample is never a stall: it counts as it is, one tenth of the window
    near(cold.value, (9 * 1.1 + 0.3) / 10, 1e-12);
});

test("stalls among the first samples do not hold a moving mean up: once they are a minority, the median rules", () => {
    const mean = new MovingMean(0.1, 1.5);
    for (const sample of [0.7, 1.2, 3.6, 4.0, 0.8, 0.7, 0.6, 0.6, 4.8]) mean.record(sample); // measured: sd's first fallback steps
    assert.ok(mean.value < 1.2, `${mean.value}`);
    for (let i = 0; i < 10; i++) mean.record(0.65);
    near(mean.value, 0.65, 1e-12);
});

test("one stall moves a warmed-up moving mean by at most rate × (clip − 1); a lasting change gets through", () => {
    const mean = new MovingMean(0.1, 1.5);
    for (let i = 0; i < 50; i++) mean.record(10);
    mean.record(200); // one stall
    assert.ok(mean.value <= 10 * (1 + 0.1 * 0.5) + 1e-9, `after a stall: ${mean.value}`);
    for (let i = 0; i < 10; i++) mean.record(10);
    near(mean.value, 10, 1e-12); // the stall has left the window

    // The machine gets 3× slower for good: within 40 samples the estimate is within 5%.
    let samples = 0;
    while (Math.abs(mean.value - 30) > 1.5) {
        mean.record(30);
        samples++;
        assert.ok(samples <= 40, `still at ${mean.value} after ${samples} samples`);
    }
});

test("fading a moving mean lets the next sample count for more", () => {
    const held = new MovingMean(),
        faded = new MovingMean();
    for (let i = 0; i < 20; i++) {
        held.record(10);
        faded.record(10);
    }
    faded.fade(0.1); // weight 10 → 1
    near(faded.weight, 1, 1e-12);
    held.record(14);
    faded.record(14);
    assert.ok(Math.abs(held.value - 10.4) < 1e-9, `held ${held.value}`);
    assert.ok(Math.abs(faded.value - 12) < 1e-9, `faded ${faded.value}`); // weight 1 + the sample: halfway
});

test("a discounted rate is the Beta posterior mean, forgets at its half-life and tracks a change", () => {
    const rate = new DiscountedRate(1e12);
    assert.equal(rate.value, 0.5);
    rate.record(30, 10);
    near(rate.value, 31 / 42, 1e-9);
    assert.ok(rate.optimistic > rate.value && rate.optimistic <= 1, `${rate.optimistic}`);

    const halving = new DiscountedRate(100, 0, 0);
    halving.record(100, 0);
    halving.record(0, 100); // the first 100 trials now weigh half
    assert.ok(Math.abs(halving.value - 50 / 150) < 1e-9, `${halving.value}`);

    // Fractional evidence (expected acceptance from heads) and a change of the true rate.
    const rng = createRng(11);
    const tracking = new DiscountedRate(100);
    for (let i = 0; i < 2000; i++) {
        const p = 0.2 * rng.next() + 0.3; // mean 0.4
        tracking.record(p, 1 - p);
    }
    assert.ok(Math.abs(tracking.value - 0.4) < 0.03, `${tracking.value}`);
    for (let i = 0; i < 500; i++) {
        if (rng.next() < 0.9) tracking.record(1, 0);
        else tracking.record(0, 1);
    }
    assert.ok(Math.abs(tracking.value - 0.9) < 0.05, `after the change: ${tracking.value}`);
});

test("a batch cost curve is exact where measured, interpolates between and extends with the fitted slope", () => {
    const curve = new BatchCostCurve();
    assert.ok(Number.isNaN(curve.at(3)), "no estimate before a measurement");
    assert.equal(curve.known, false);

    curve.record(4, 8);
    // One size: half fixed, half per token.
    near(curve.at(4), 8, 1e-12);
    near(curve.at(8), 12, 1e-12);
    near(curve.at(2), 6, 1e-12);

    // Linear costs c0 + c1·n at several sizes: every size, seen or not, comes out exact.
    const linear = new BatchCostCurve();
    for (const n of [1, 3, 5]) for (let i = 0; i < 5; i++) linear.record(n, 12 + 4 * n);
    for (let n = 1; n <= 12; n++) assert.ok(Math.abs(linear.at(n) - (12 + 4 * n)) < 1e-9, `n = ${n}: ${linear.at(n)}`);

    // A curve that steepens: interpolation between measured sizes, the fitted slope beyond.
    const bent = new BatchCostCurve();
    for (const [n, ms] of [
        [1, 12],
        [3, 17],
        [5, 28.5]
    ] as const)
        bent.record(n, ms);
    near(bent.at(2), 14.5, 1e-9);
    near(bent.at(4), 22.75, 1e-9);
    assert.ok(bent.at(7) > 28.5 && bent.at(8) > bent.at(7), `${bent.at(7)}, ${bent.at(8)}`);

    // Costs that fall with n (noise) never extrapolate downwards.
    const flat = new BatchCostCurve();
    flat.record(2, 10);
    flat.record(3, 9);
    assert.equal(flat.at(6), 9);
    assert.equal(flat.at(1), 10);
});
