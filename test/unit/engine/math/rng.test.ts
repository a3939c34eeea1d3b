import assert from "node:assert/strict";
import {test} from "node:test";
import {couplingRngs, createRng, positionRng, type RandomUse} from "../../../../src-main/engine/math/rng.ts";

test("the same seed gives the same stream, different seeds differ", () => {
    const a = createRng(42),
        b = createRng(42),
        c = createRng(43);
    const streamA = Array.from({length: 100}, () => a.next());
    assert.deepEqual(
        Array.from({length: 100}, () => b.next()),
        streamA
    );
    assert.notDeepEqual(
        Array.from({length: 100}, () => c.next()),
        streamA
    );
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

test("positionRng: one key gives one stream; positions, uses and seeds each change it; first numbers are uniform and unrelated across uses", () => {
    const uses: RandomUse[] = ["draft", "accept", "residual", "direct"];
    const first = (seed: number, position: number, use: RandomUse) => positionRng(seed, position, use).next();
    assert.equal(first(5, 40, "draft"), first(5, 40, "draft"));
    const seen = new Set<number>();
    for (const seed of [0, 1, 2]) for (let position = 0; position < 200; position++) for (const use of uses) seen.add(first(seed, position, use));
    assert.equal(seen.size, 3 * 200 * uses.length, "two keys gave the same first number");

    // Over positions, each use's first number is uniform (χ², 9 df, 0.001 critical value 27.9), and the nearest
    // keys' first numbers fill a 10 × 10 grid evenly (99 df, critical value 148.2): no use follows another, no
    // position the one before, no seed the one a bit away.
    const n = 50_000;
    for (const use of uses) {
        const buckets = new Array<number>(10).fill(0);
        for (let position = 0; position < n; position++) buckets[Math.floor(first(9, position, use) * 10)]!++;
        const chi2 = buckets.reduce((sum, count) => sum + (count - n / 10) ** 2 / (n / 10), 0);
        assert.ok(chi2 < 27.9, `${use}: χ² ${chi2}`);
    }
    for (const [label, pair] of [
        ["draft × accept", (j: number) => [first(9, j, "draft"), first(9, j, "accept")]],
        ["position j × j + 1", (j: number) => [first(9, j, "draft"), first(9, j + 1, "draft")]],
        ["seed 8 × 9", (j: number) => [first(8, j, "accept"), first(9, j, "accept")]]
    ] as const) {
        const grid = new Array<number>(100).fill(0);
        for (let position = 0; position < n; position++) {
            const [x, y] = pair(position);
            grid[Math.floor(x! * 10) * 10 + Math.floor(y! * 10)]!++;
        }
        const chi2 = grid.reduce((sum, count) => sum + (count - n / 100) ** 2 / (n / 100), 0);
        assert.ok(chi2 < 148.2, `${label}: χ² ${chi2}`);
    }
});

test("positionRng: no two keys give the same stream (4 seeds × 8192 positions × 4 uses, first two numbers)", () => {
    // Keys once squeezed into one 32-bit word collided by the birthday bound (two identical generators within
    // 8192 positions for a few seeds in a hundred); the state now holds the whole key.
    const uses: RandomUse[] = ["draft", "accept", "residual", "direct"];
    const seen = new Map<string, string>();
    for (const seed of [0, 1, 77, 2 ** 32 - 1]) {
        for (let position = 0; position < 8192; position++) {
            for (const use of uses) {
                const rng = positionRng(seed, position, use);
                const stream = `${rng.next()},${rng.next()}`;
                const key = `(${seed}, ${position}, ${use})`;
                const other = seen.get(stream);
                assert.equal(other, undefined, `${key} gives the stream of ${other}`);
                seen.set(stream, key);
            }
        }
    }
});

test("couplingRngs gives positionRng's generators, each made once", () => {
    const rngs = couplingRngs(21, 8);
    assert.equal(rngs.accept, rngs.accept);
    for (const use of ["draft", "accept", "residual"] as const) {
        const expected = positionRng(21, 8, use);
        const got = couplingRngs(21, 8)[use];
        for (let i = 0; i < 3; i++) assert.equal(got.next(), expected.next());
    }
});
