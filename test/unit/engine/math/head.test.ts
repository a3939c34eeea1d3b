import assert from "node:assert/strict";
import {test} from "node:test";
import {headFromArrays, restrictHead} from "../../../../src-main/engine/math/head.ts";

test("restricting a head drops ids past the limit, keeps the top `keep` of the rest and renormalises them", () => {
    // ids 0..5, probabilities sorted: 5 (0.3), 1 (0.25), 4 (0.2), 0 (0.1), 3 (0.1), 2 (0.05)
    const head = headFromArrays([0, 1, 2, 3, 4, 5], [0.1, 0.25, 0.05, 0.1, 0.2, 0.3], false);
    const restricted = restrictHead(head, 4, 2);
    assert.deepEqual([...restricted.ids], [1, 0]);
    const total = 0.25 + 0.1;
    assert.ok(Math.abs(Math.exp(restricted.logProbs[0]!) - 0.25 / total) < 1e-12);
    assert.ok(Math.abs(Math.exp(restricted.logProbs[1]!) - 0.1 / total) < 1e-12);
    assert.equal(restricted.complete, false);

    const all = restrictHead(headFromArrays([0, 1, 2, 3, 4, 5], [0.1, 0.25, 0.05, 0.1, 0.2, 0.3]), 4, Infinity);
    assert.deepEqual([...all.ids], [1, 0, 3, 2]);
    assert.ok(Math.abs(all.logProbs.reduce((sum, l) => sum + Math.exp(l), 0) - 1) < 1e-12);
    assert.equal(all.complete, true);
});

test("a head with nothing to drop is returned as it is (no rounding added)", () => {
    const head = headFromArrays([0, 1, 2], [0.5, 0.3, 0.2]);
    assert.equal(restrictHead(head, 3, Infinity), head);
    assert.equal(restrictHead(head, 10, 3), head);
});

test("a head with no id below the limit is an error, not an empty distribution", () => {
    assert.throws(() => restrictHead(headFromArrays([7, 8], [0.6, 0.4]), 5, Infinity), /no token id below 5/);
});
