import assert from "node:assert/strict";
import {test} from "node:test";
import {contrastiveTarget} from "../../../../src-main/engine/math/contrast.ts";
import {headDistribution, oneHot, probabilityOf, sample, type SparseDistribution} from "../../../../src-main/engine/math/distribution.ts";
import {headFromArrays} from "../../../../src-main/engine/math/head.ts";
import {couplingRngs, createRng, type CouplingRngs, type Rng} from "../../../../src-main/engine/math/rng.ts";
import {acceptanceProbability, coupledToken, expectedAcceptance, residual, verifyDraftToken} from "../../../../src-main/engine/math/speculative.ts";
import {randomLogProbs, referenceContrast, softmaxDense} from "../../../helpers/bruteForce.ts";
import {chiSquareGoodnessOfFit} from "../../../helpers/chiSquare.ts";

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

/**
 * A random small-vocabulary case for trial number `trial`: heads of both models, α, β and T cycling through
 * their grids, and the contrastive target they give.
 */
function randomCase(trial: number, random: () => number) {
    const n = 2 + Math.floor(random() * 7);
    const expert = randomLogProbs(n, random);
    const amateur = randomLogProbs(n, random);
    const ids = expert.map((_, i) => i);
    const alpha = [0, 0.1, 0.3, 1][trial % 4]!;
    const beta = [0, 0.5, 1, 2][Math.floor(trial / 4) % 4]!;
    const temperature = [0.5, 1, 2][Math.floor(trial / 16) % 3]!;
    const amateurHead = headFromArrays(ids, amateur.map(Math.exp));
    const target = contrastiveTarget(headFromArrays(ids, expert.map(Math.exp)), amateurHead, {alpha, beta, temperature}).distribution;
    return {n, expert, amateur, ids, alpha, beta, temperature, amateurHead, target};
}

test("one SCD step (accept or resample) outputs exactly p_n, by enumeration", () => {
    const rng = createRng(11);
    const random = () => rng.next();
    for (let trial = 0; trial < 3000; trial++) {
        const {n, expert, amateur, alpha, beta, temperature, amateurHead, target} = randomCase(trial, random);
        const reference = referenceContrast(expert, amateur, alpha, beta, temperature);
        // The draft comes from the amateur at the same temperature, or (every third trial) a one-hot proposal.
        const proposal = trial % 3 === 2 ? oneHot(Math.floor(random() * n)) : headDistribution(amateurHead, temperature);
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
            const verdict = verifyDraftToken(oneHot(target), oneHot(draft), draft, {accept: rng, residual: rng});
            if (target === draft) assert.deepEqual(verdict, {accepted: true});
            else assert.deepEqual(verdict, {accepted: false, token: target, residualFellBack: false});
        }
    }
});

test("verifyDraftToken's sampled outcomes follow the enumerated law", () => {
    const target: SparseDistribution = {ids: Int32Array.of(0, 1, 2), probs: Float64Array.of(0.5, 0.3, 0.2)};
    const proposal: SparseDistribution = {ids: Int32Array.of(0, 1, 3), probs: Float64Array.of(0.2, 0.6, 0.2)};
    const rngs = {accept: createRng(5), residual: createRng(7)};
    const counts = new Map<number, number>();
    const n = 200_000;
    const draftRng = createRng(6);
    for (let i = 0; i < n; i++) {
        const u = draftRng.next();
        const draft = u < 0.2 ? 0 : u < 0.8 ? 1 : 3;
        const verdict = verifyDraftToken(target, proposal, draft, rngs);
        const out = verdict.accepted ? draft : verdict.token;
        counts.set(out, (counts.get(out) ?? 0) + 1);
    }
    assert.equal(counts.get(3), undefined, "a draft outside the target's support is never kept");
    for (const [token, p] of [
        [0, 0.5],
        [1, 0.3],
        [2, 0.2]
    ] as const) {
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

/** A generator that must not be drawn from. */
const refuse: Rng = {
    next(): number {
        throw new Error("a generator that must stay unused was drawn from");
    }
};

/** A generator that gives `value` once and refuses a second draw: each of the coupling's generators is drawn at most once. */
function once(value: number): Rng {
    let drawn = false;
    return {
        next(): number {
            assert.equal(drawn, false, "a coupling generator was drawn twice");
            drawn = true;
            return value;
        }
    };
}

/** The cells of `sample(distribution, ·)` over [0, 1): each listed id's interval of u, in listing order. */
function sampleCells(distribution: SparseDistribution): {id: number; width: number; midpoint: number}[] {
    let start = 0;
    return Array.from(distribution.ids, (id, i) => {
        const width = distribution.probs[i]!;
        const cell = {id, width, midpoint: start + width / 2};
        start += width;
        return cell;
    });
}

test("coupledToken is exactly p_n: every cell of its three uniforms enumerated against the brute-force formulas", () => {
    // coupledToken is a function of three uniforms (draft, acceptance, residual), constant on the cells cut by
    // q's cumulative sums, the acceptance min(1, p/q) and the residual's cumulative sums (all from the dense
    // reference); one call per cell at its midpoint, weighted by the cell's volume, gives its exact law.
    const rng = createRng(13);
    const random = () => rng.next();
    for (let trial = 0; trial < 2000; trial++) {
        const {n, expert, amateur, alpha, beta, temperature, amateurHead, target} = randomCase(trial, random);
        const proposal = headDistribution(amateurHead, temperature);
        const p = referenceContrast(expert, amateur, alpha, beta, temperature);
        const q = softmaxDense(amateur, temperature);
        const excess = p.map((px, x) => Math.max(0, px - q[x]!));
        const excessTotal = excess.reduce((a, b) => a + b, 0);
        // The residual lists ids in its own order; its cells are checked against the dense reference first.
        const residualLaw = residual(target, proposal).distribution;
        for (let x = 0; x < n; x++) {
            const expected = excessTotal > 1e-12 ? excess[x]! / excessTotal : p[x]!;
            assert.ok(Math.abs(probabilityOf(residualLaw, x) - expected) < 1e-12, `trial ${trial}: residual of ${x}`);
        }
        const law = new Array<number>(n).fill(0);
        for (const draftCell of sampleCells(proposal)) {
            const d = draftCell.id;
            assert.ok(Math.abs(draftCell.width - q[d]!) < 1e-12);
            const accept = Math.min(1, p[d]! / q[d]!);
            const branches: [u: number, width: number][] = [];
            if (accept > 0) branches.push([accept / 2, accept]);
            if (accept < 1) branches.push([(1 + accept) / 2, 1 - accept]);
            for (const [uAccept, acceptWidth] of branches) {
                for (const residualCell of sampleCells(residualLaw)) {
                    const rngs: CouplingRngs = {draft: once(draftCell.midpoint), accept: once(uAccept), residual: once(residualCell.midpoint)};
                    const coupled = coupledToken(target, proposal, rngs);
                    const kept = uAccept < accept;
                    const at = `trial ${trial}: draft ${d}, u ${uAccept}, acceptance ${accept}`;
                    assert.equal(coupled.accepted, kept, at);
                    assert.equal(coupled.token, kept ? d : residualCell.id, at);
                    // A draft drawn beforehand (as the draft stream draws them) gives the same token, drawing no draft.
                    const drawn = coupledToken(target, proposal, {draft: refuse, accept: once(uAccept), residual: once(residualCell.midpoint)}, d);
                    assert.deepEqual(drawn, coupled, at);
                    law[coupled.token]! += draftCell.width * acceptWidth * residualCell.width;
                }
            }
        }
        for (let y = 0; y < n; y++) assert.ok(Math.abs(law[y]! - p[y]!) < 1e-12, `trial ${trial}, token ${y}: ${law[y]} vs ${p[y]}`);
    }
});

test("greedy coupling: one-hot p and q give p's token and draw nothing", () => {
    for (let target = 0; target < 4; target++) {
        for (let draft = 0; draft < 4; draft++) {
            const expected = {token: target, accepted: target === draft, residualFellBack: false};
            assert.deepEqual(coupledToken(oneHot(target), oneHot(draft), {draft: refuse, accept: refuse, residual: refuse}), expected);
            assert.deepEqual(coupledToken(oneHot(target), oneHot(draft), {draft: refuse, accept: refuse, residual: refuse}, draft), expected);
        }
    }
});

test("coupledToken with position-keyed generators: over positions and over seeds the token follows p (χ²), the draft q, and acceptance is Σ min(p, q)", () => {
    const target: SparseDistribution = {ids: Int32Array.of(0, 1, 2, 4), probs: Float64Array.of(0.4, 0.3, 0.2, 0.1)};
    const proposal: SparseDistribution = {ids: Int32Array.of(1, 0, 3, 4), probs: Float64Array.of(0.5, 0.2, 0.2, 0.1)};
    const asMap = (d: SparseDistribution) => new Map(Array.from(d.ids, (id, i) => [id, d.probs[i]!] as const));
    const n = 40_000;
    const rate = expectedAcceptance(target, proposal);
    for (const [label, rngsAt] of [
        ["positions 0.., seed 7", (i: number) => couplingRngs(7, i)],
        ["seeds 0.., position 123", (i: number) => couplingRngs(i, 123)]
    ] as const) {
        const tokens = new Map<number, number>();
        const drafts = new Map<number, number>();
        let accepted = 0;
        for (let i = 0; i < n; i++) {
            const coupled = coupledToken(target, proposal, rngsAt(i));
            tokens.set(coupled.token, (tokens.get(coupled.token) ?? 0) + 1);
            // The draft it verified: the same key's draft generator, drawn afresh, gives the same number.
            const draft = sample(proposal, rngsAt(i).draft);
            drafts.set(draft, (drafts.get(draft) ?? 0) + 1);
            assert.equal(coupled.accepted, coupled.token === draft && !coupled.residualFellBack);
            if (coupled.accepted) accepted++;
        }
        for (const [what, observed, expected] of [
            ["token", tokens, target],
            ["draft", drafts, proposal]
        ] as const) {
            const fit = chiSquareGoodnessOfFit(observed, asMap(expected));
            assert.ok(fit.pValue > 0.001, `${label}: ${what} χ² ${fit.statistic} on ${fit.degreesOfFreedom} df`);
        }
        const sigma = Math.sqrt((rate * (1 - rate)) / n);
        assert.ok(Math.abs(accepted / n - rate) < 4 * sigma, `${label}: acceptance ${accepted / n} vs Σ min(p, q) = ${rate}`);
    }
    // The same key decides the same token.
    for (let i = 0; i < 100; i++)
        assert.deepEqual(coupledToken(target, proposal, couplingRngs(3, i)), coupledToken(target, proposal, couplingRngs(3, i)));
});
