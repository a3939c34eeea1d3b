import assert from "node:assert/strict";
import {test} from "node:test";
import {createRng} from "../../../src-main/engine/math/rng.ts";

test("the same seed gives the same stream, different seeds differ", () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const streamA = Array.from({length: 100}, () => a.next());
    assert.deepEqual(Array.from({length: 100}, () => b.next()), streamA);
    assert.notDeepEqual(Array.from({length: 100}, () => c.next()), streamA);
});

test("outputs lie in [0, 1) and are close to uniform", () => {
    const rng = createRng(7);
    const buckets = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
        const u = rng.next();
        assert.ok(u >= 0 && u < 1);
        buckets[Math.floor(u * 10)]++;
    }
    // χ² with 9 degrees of freedom; 27.9 is the 0.001 critical value.
    const chi2 = buckets.reduce((sum, count) => sum + (count - n / 10) ** 2 / (n / 10), 0);
    assert.ok(chi2 < 27.9, `χ² ${chi2}`);
});
