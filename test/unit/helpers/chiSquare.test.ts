import assert from "node:assert/strict";
import {test} from "node:test";
import {chiSquareSurvival} from "../../helpers/chiSquare.ts";

test("χ² survival function matches tabulated critical values", () => {
    // (x, k, P(X ≥ x)) from standard χ² tables.
    for (const [x, k, p] of [
        [3.841, 1, 0.05],
        [6.635, 1, 0.01],
        [18.307, 10, 0.05],
        [29.588, 10, 0.001],
        [124.342, 100, 0.05]
    ] as const) {
        assert.ok(Math.abs(chiSquareSurvival(x, k) - p) < p * 0.01, `χ²(${k}) at ${x}: ${chiSquareSurvival(x, k)}`);
    }
});
