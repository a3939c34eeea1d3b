import assert from "node:assert/strict";
import {test} from "node:test";
import {contrastiveTarget} from "../../../src-main/engine/math/contrast.ts";
import {headDistribution, oneHot, probabilityOf, type SparseDistribution} from "../../../src-main/engine/math/distribution.ts";
import {headFromArrays} from "../../../src-main/engine/math/head.ts";
import {createRng} from "../../../src-main/engine/math/rng.ts";
import {acceptanceProbability, expectedAcceptance, residual, verifyDraftToken} from "../../../src-main/engine/math/speculative.ts";
import {randomLogProbs, referenceContrast} from "../../helpers/bruteForce.ts";

/**
 * Exact output law of one verification step, by enumeration over the draft:
 * P(out = y) = q(y)·a(y) + Σ_x q(x)·(1 − a(x)) · r(y), with a the acceptance and r the residual.
 */
function stepOutputLaw(target: SparseDistribution, proposal: SparseDistribution, n: number): number[] {
    const law = new Array<number>(n).fill(0);
    const {distribution: residualLaw} = residual(target, proposal);
    for (let i = 0; i < proposal.ids.length; i++) {
        const draft = proposal.ids[i]!;
        const q = proposal.probs[i]!;
        const accept = acceptanceProbability(target, proposal, draft);
        law[draft]! += q * accept;
        for (let y = 0; y < n; y++) law[y]! += q * (1 - accept) * probabilityOf(residualLaw, y);
    }
    return law;
}

test("one SCD step (accept or resample) outputs exactly p_n, by enumeration", () => {
    const rng = createRng(11);
    const random = () => rng.next();
    for (let trial = 0; trial < 3000; trial++) {
        const n = 2 + Math.floor(random() * 7);
        const expert = randomLogProbs(n, random);
        const amateur = randomLogProbs(n, random);
        const ids = expert.map((_, i) => i);
        const alpha = [0, 0.1, 0.3, 1][trial % 4]!;
        const beta = [0, 0.5, 1, 2][Math.floor(trial / 4) % 4]!;
        const temperature = [0.5, 1, 2][Math.floor(trial / 16) % 3]!;
        const target = contrastiveTarget(headFromArrays(ids, expert.map(Math.exp)), headFromArrays(ids, amateur.map(Math.exp)),
            {alpha, beta, temperature}).distribution;
        const reference = referenceContrast(expert, amateur, alpha, beta, temperature);
        // The draft comes from the amateur at the same temperature, or (every third trial) a one-hot proposal.
        const proposal = trial % 3 === 2
            ? oneHot(Math.floor(random() * n))
            : headDistribution(headFromArrays(ids, amateur.map(Math.exp)), temperature);
        const law = stepOutputLaw(target, proposal, n);
        for (let y = 0; y < n; y++) {
            assert.ok(Math.abs(law[y]! - reference[y]!) < 1e-12, `trial ${trial}, token ${y}: ${law[y]} vs ${reference[y]}`);
        }
        // Acceptance probability of a draft is Σ min(p_n, q).
        let expected = 0;
        for (let x = 0; x < n; x++) expected += Math.min(reference[x]!, probabilityOf(proposal, x));
        assert.ok(Math.abs(expectedAcceptance(target, proposal) - expected) < 1e-12);
    }
});

test("greedy: one-hot target and one-hot draft accept iff they agree, else give the target's token", () => {
    const rng = createRng(3);
    for (let target = 0; target < 4; target++) {
        for (let draft = 0; draft < 4; draft++) {
            const verdict = verifyDraftToken(oneHot(target), oneHot(draft), draft, rng);
            if (target === draft) assert.deepEqual(verdict, {accepted: true});
            else assert.deepEqual(verdict, {accepted: false, token: target, residualFellBack: false});
        }
    }
});

test("verifyDraftToken's sampled outcomes follow the enumerated law", () => {
    const target: SparseDistribution = {ids: Int32Array.of(0, 1, 2), probs: Float64Array.of(0.5, 0.3, 0.2)};
    const proposal: SparseDistribution = {ids: Int32Array.of(0, 1, 3), probs: Float64Array.of(0.2, 0.6, 0.2)};
    const rng = createRng(5);
    const counts = new Map<number, number>();
    const n = 200_000;
    const draftRng = createRng(6);
    for (let i = 0; i < n; i++) {
        const u = draftRng.next();
        const draft = u < 0.2 ? 0 : u < 0.8 ? 1 : 3;
        const verdict = verifyDraftToken(target, proposal, draft, rng);
        const out = verdict.accepted ? draft : verdict.token;
        counts.set(out, (counts.get(out) ?? 0) + 1);
    }
    assert.equal(counts.get(3), undefined, "a draft outside the target's support is never kept");
    for (const [token, p] of [[0, 0.5], [1, 0.3], [2, 0.2]] as const) {
        const observed = (counts.get(token) ?? 0) / n;
        const sigma = Math.sqrt((p * (1 - p)) / n);
        assert.ok(Math.abs(observed - p) < 5 * sigma, `token ${token}: ${observed} vs ${p}`);
    }
});

test("a residual with no mass falls back to the target", () => {
    const p: SparseDistribution = {ids: Int32Array.of(0, 1), probs: Float64Array.of(0.5, 0.5)};
    const {distribution, fellBack} = residual(p, p);
    assert.equal(fellBack, true);
    assert.equal(distribution, p);
});

test("a draft with zero proposal probability is a caller bug and throws", () => {
    assert.throws(() => acceptanceProbability(oneHot(0), oneHot(1), 0));
});
