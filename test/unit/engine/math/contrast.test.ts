import assert from "node:assert/strict";
import {test} from "node:test";
import {contrastiveTarget} from "../../../../src-main/engine/math/contrast.ts";
import {probabilityOf} from "../../../../src-main/engine/math/distribution.ts";
import {headFromArrays, type Head} from "../../../../src-main/engine/math/head.ts";
import {createRng} from "../../../../src-main/engine/math/rng.ts";
import {randomLogProbs, referenceContrast, referenceGreedyContrast} from "../../../helpers/bruteForce.ts";

function denseHead(logProbs: number[]): Head {
    return headFromArrays(
        logProbs.map((_, i) => i),
        logProbs.map(Math.exp)
    );
}

test("p_n matches the brute-force formula for random heads, α, β, T", () => {
    const rng = createRng(1);
    const random = () => rng.next();
    for (let trial = 0; trial < 2000; trial++) {
        const n = 2 + Math.floor(random() * 7);
        const expert = randomLogProbs(n, random);
        const amateur = randomLogProbs(n, random);
        const alpha = [0, 0.05, 0.1, 0.5, 1][trial % 5]!;
        const beta = [0, 0.25, 0.5, 1, 3][Math.floor(trial / 5) % 5]!;
        const temperature = [0.3, 0.7, 1, 1.5][Math.floor(trial / 25) % 4]!;
        const expected = referenceContrast(expert, amateur, alpha, beta, temperature);
        const {distribution, amateurFloorHits, headTruncated} = contrastiveTarget(denseHead(expert), denseHead(amateur), {alpha, beta, temperature});
        assert.equal(amateurFloorHits, 0);
        assert.equal(headTruncated, false);
        let total = 0;
        for (let x = 0; x < n; x++) {
            const got = probabilityOf(distribution, x);
            total += got;
            assert.ok(Math.abs(got - expected[x]!) < 1e-12, `trial ${trial} token ${x}: ${got} vs ${expected[x]}`);
        }
        assert.ok(Math.abs(total - 1) < 1e-12);
    }
});

test("greedy p_n is one-hot on the brute-force argmax", () => {
    const rng = createRng(2);
    const random = () => rng.next();
    for (let trial = 0; trial < 1000; trial++) {
        const n = 2 + Math.floor(random() * 7);
        const expert = randomLogProbs(n, random);
        const amateur = randomLogProbs(n, random);
        const alpha = [0, 0.1, 0.5][trial % 3]!;
        const beta = [0, 0.5, 2][Math.floor(trial / 3) % 3]!;
        const {distribution} = contrastiveTarget(denseHead(expert), denseHead(amateur), {alpha, beta, temperature: 0});
        assert.equal(distribution.ids.length, 1);
        assert.equal(distribution.ids[0], referenceGreedyContrast(expert, amateur, alpha, beta));
    }
});

test("α = 1 keeps only the expert's top token; β = 0 ignores the amateur", () => {
    const expert = denseHead([Math.log(0.6), Math.log(0.3), Math.log(0.1)]);
    const amateur = denseHead([Math.log(0.98), Math.log(0.01), Math.log(0.01)]);
    const top = contrastiveTarget(expert, amateur, {alpha: 1, beta: 5, temperature: 1}).distribution;
    assert.deepEqual([...top.ids], [0]);
    const plain = contrastiveTarget(expert, null, {alpha: 0, beta: 0, temperature: 1}).distribution;
    for (const [x, p] of [
        [0, 0.6],
        [1, 0.3],
        [2, 0.1]
    ] as const)
        assert.ok(Math.abs(probabilityOf(plain, x) - p) < 1e-12);
});

test("top-K heads: the renormalisation constant cancels, and missing amateur tokens take the floor", () => {
    // Full distributions over 5 tokens; the heads keep the top 3, renormalised.
    const expertFull = [0.5, 0.3, 0.1, 0.06, 0.04];
    const amateurFull = [0.05, 0.5, 0.3, 0.1, 0.05];
    const topK = (probs: number[], k: number): Head => {
        const order = probs
            .map((p, i) => [p, i] as const)
            .sort((a, b) => b[0] - a[0])
            .slice(0, k);
        const mass = order.reduce((s, [p]) => s + p, 0);
        return {
            ...headFromArrays(
                order.map(([, i]) => i),
                order.map(([p]) => p / mass)
            ),
            complete: false
        };
    };
    const params = {alpha: 0.15, beta: 0.5, temperature: 1};
    // Expert top 3 = {0, 1, 2}; V = {0, 1, 2} (0.1 ≥ 0.15·0.5); amateur top 3 = {1, 2, 3}: token 0 is missing.
    const target = contrastiveTarget(topK(expertFull, 3), topK(amateurFull, 3), params);
    assert.equal(target.amateurFloorHits, 1);
    assert.equal(target.headTruncated, true, "the expert's last listed token is plausible, so V may go on");
    // Reference: the floor is the amateur's smallest listed probability, 0.1.
    const amateurWithFloor = [0.1, 0.5, 0.3, 0.1, 0.05];
    const expected = referenceContrast(expertFull.map(Math.log), amateurWithFloor.map(Math.log), params.alpha, params.beta, 1);
    for (let x = 0; x < 5; x++) assert.ok(Math.abs(probabilityOf(target.distribution, x) - expected[x]!) < 1e-12, `token ${x}`);

    // With α large enough, V ends inside the head: no truncation reported.
    assert.equal(contrastiveTarget(topK(expertFull, 3), topK(amateurFull, 3), {...params, alpha: 0.5}).headTruncated, false);
});

test("an amateur probability that underflowed to 0 takes the floor instead of producing NaN", () => {
    const expert = denseHead([Math.log(0.5), Math.log(0.5)]);
    const amateur: Head = {ids: Int32Array.of(0, 1), logProbs: Float64Array.of(0, -Infinity), complete: true};
    const target = contrastiveTarget(expert, amateur, {alpha: 0, beta: 1, temperature: 1});
    assert.equal(target.amateurFloorHits, 1);
    for (const p of target.distribution.probs) assert.ok(Number.isFinite(p));
    assert.ok(Math.abs(probabilityOf(target.distribution, 0) - 0.5) < 1e-12);
});

test("expert tokens of probability 0 never enter the target, even with α = 0", () => {
    const expert: Head = {ids: Int32Array.of(0, 1, 2), logProbs: Float64Array.of(Math.log(0.7), Math.log(0.3), -Infinity), complete: true};
    const amateur = denseHead([Math.log(0.2), Math.log(0.2), Math.log(0.6)]);
    const target = contrastiveTarget(expert, amateur, {alpha: 0, beta: 1, temperature: 1});
    assert.equal(probabilityOf(target.distribution, 2), 0);
    for (const p of target.distribution.probs) assert.ok(Number.isFinite(p) && p > 0);
});
