/** Text-quality statistics against small hand-computed examples: repeated n-grams, distinct-n, trailing loops, summaries. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {detectTrailingLoop, distinctN, pooledDistinctN, repeatedNgramShare, summarizeQuality} from "../../../../tools/bench/qualityMetrics.ts";

const repeat = (block: number[], times: number): number[] => Array.from({length: times}, () => block).flat();
const range = (from: number, count: number): number[] => Array.from({length: count}, (_, i) => from + i);

test("repeatedNgramShare counts 4-grams that repeat an earlier one", () => {
    // 1234 2341 3412 4123 1234: 5 four-grams, 4 distinct.
    assert.equal(repeatedNgramShare([1, 2, 3, 4, 1, 2, 3, 4]), 1 / 5);
    assert.equal(repeatedNgramShare(range(0, 20)), 0);
    // All the same token: 7 four-grams, 1 distinct.
    assert.equal(repeatedNgramShare(repeat([7], 10)), 6 / 7);
    // 11 12 21 11: 4 bigrams, 3 distinct.
    assert.equal(repeatedNgramShare([1, 1, 2, 1, 1], 2), 1 / 4);
});

test("repeatedNgramShare is 0 without any n-gram", () => {
    assert.equal(repeatedNgramShare([]), 0);
    assert.equal(repeatedNgramShare([1, 2, 3]), 0);
    assert.equal(repeatedNgramShare([1, 1, 1, 1]), 0);
    assert.throws(() => repeatedNgramShare([1, 2], 0), RangeError);
});

test("distinctN over one sequence", () => {
    // 12 21 12 23: 4 bigrams, 3 distinct.
    assert.equal(distinctN([1, 2, 1, 2, 3], 2), 3 / 4);
    assert.equal(distinctN([1, 2, 3], 1), 1);
    assert.equal(distinctN(repeat([5], 4), 1), 1 / 4);
    assert.equal(distinctN(repeat([5], 4), 3), 1 / 2);
    assert.equal(distinctN([1, 2, 3], 3), 1);
    assert.equal(distinctN([1], 2), 0);
    assert.equal(distinctN([], 1), 0);
    assert.throws(() => distinctN([1, 2], 1.5), RangeError);
});

test("n-gram keys do not collide across digit boundaries", () => {
    assert.equal(distinctN([12, 3, 1, 23], 2), 1);
    assert.equal(
        pooledDistinctN(
            [
                [12, 3],
                [1, 23]
            ],
            2
        ),
        1
    );
    assert.equal(
        pooledDistinctN(
            [
                [1, 12, 3],
                [11, 2, 3]
            ],
            3
        ),
        1
    );
});

test("pooledDistinctN pools n-grams across sequences without crossing their boundaries", () => {
    // 12 23 | 12 24 | (none): 4 bigrams, 3 distinct.
    assert.equal(pooledDistinctN([[1, 2, 3], [1, 2, 4], [9]], 2), 3 / 4);
    // 12 | 34: the pair 2,3 spans two sequences and is not counted.
    assert.equal(
        pooledDistinctN(
            [
                [1, 2],
                [3, 4]
            ],
            2
        ),
        1
    );
    assert.equal(
        pooledDistinctN(
            [
                [1, 2],
                [1, 2],
                [1, 2],
                [1, 2]
            ],
            2
        ),
        1 / 4
    );
    assert.equal(pooledDistinctN([], 2), 0);
    assert.equal(pooledDistinctN([[], [1]], 2), 0);
});

test("detectTrailingLoop finds a period-1 loop at the end", () => {
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat([7], 16)]), 1);
    assert.equal(detectTrailingLoop(repeat([7], 40)), 1);
    // 15 copies cover fewer than 16 tokens.
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat([7], 15)]), null);
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat([7], 15)], {minCoverage: 10}), 1);
});

test("detectTrailingLoop finds a period-5 loop at the end but not one in the middle only", () => {
    const block = [1, 2, 3, 4, 5];
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat(block, 4)]), 5);
    // A partial copy before the full ones does not matter.
    assert.equal(detectTrailingLoop([...range(100, 10), 4, 5, ...repeat(block, 4)]), 5);
    assert.equal(detectTrailingLoop([...repeat(block, 4), ...range(100, 20)]), null);
    // The loop then one stray token at the very end: no longer trailing.
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat(block, 6), 99]), null);
    // Three copies are only 15 tokens.
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat(block, 3)]), null);
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat(block, 3)], {minCoverage: 15}), 5);
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat(block, 4)], {maxPeriod: 4}), null);
    assert.equal(detectTrailingLoop([...range(100, 10), ...repeat(block, 4)], {minRepeats: 5}), null);
});

test("detectTrailingLoop returns the smallest period and needs enough repeats", () => {
    // 1 2 1 2 ... has periods 2, 4, 6, ...; the smallest is reported.
    assert.equal(detectTrailingLoop(repeat([1, 2], 12)), 2);
    // A long period: 2 copies of 20 tokens cover 40 but need 3 repeats.
    assert.equal(detectTrailingLoop(repeat(range(0, 20), 2)), null);
    assert.equal(detectTrailingLoop(repeat(range(0, 20), 2), {minRepeats: 2}), 20);
    assert.equal(detectTrailingLoop(repeat(range(0, 6), 3)), 6);
});

test("detectTrailingLoop handles empty and short sequences", () => {
    assert.equal(detectTrailingLoop([]), null);
    assert.equal(detectTrailingLoop([1, 1]), null);
    assert.equal(detectTrailingLoop(range(0, 100)), null);
    assert.throws(() => detectTrailingLoop([1], {maxPeriod: 0}), RangeError);
    assert.throws(() => detectTrailingLoop([1], {minRepeats: 0}), RangeError);
});

test("summarizeQuality averages per-sequence metrics and pools distinct-n", () => {
    const a = [1, 2, 3, 4, 1, 2, 3, 4]; // repeated 4-gram share 1/5, no loop
    const b = repeat([7], 16); // 13 four-grams, 1 distinct: 12/13; a period-1 loop
    const c = [1, 2]; // no 4-grams
    const summary = summarizeQuality([a, b, c], [-1, -2, -3]);
    assert.equal(summary.samples, 3);
    assert.ok(Math.abs(summary.repeated4gramShare - (1 / 5 + 12 / 13) / 3) < 1e-12);
    // Bigrams: a has 7 (12 23 34 41 12 23 34), b 15 (77), c 1 (12); distinct 12 23 34 41 77.
    assert.equal(summary.distinct2, 5 / 23);
    // Trigrams: a has 6 (123 234 341 412 123 234), b 14 (777); distinct 123 234 341 412 777.
    assert.equal(summary.distinct3, 5 / 20);
    assert.equal(summary.loopShare, 1 / 3);
    assert.equal(summary.meanLogLikelihood, -2);
    assert.equal(summarizeQuality([a, b, c]).meanLogLikelihood, null);
});

test("summarizeQuality over no samples and with mismatched log-likelihoods", () => {
    assert.deepEqual(summarizeQuality([]), {
        samples: 0,
        repeated4gramShare: 0,
        distinct2: 0,
        distinct3: 0,
        loopShare: 0,
        meanLogLikelihood: null
    });
    assert.equal(summarizeQuality([], []).meanLogLikelihood, null);
    assert.throws(() => summarizeQuality([[1, 2, 3]], [-1, -2]), RangeError);
});
