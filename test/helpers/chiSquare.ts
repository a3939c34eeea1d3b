/**
 * χ² tests for the sampling tests: goodness of fit against known probabilities, and homogeneity of two
 * samples. Bins with small expected counts are pooled so the χ² approximation holds.
 */

export type ChiSquareResult = {statistic: number; degreesOfFreedom: number; pValue: number};

/** Observed counts against probabilities; categories expected fewer than 5 times are pooled. */
export function chiSquareGoodnessOfFit(observed: Map<number, number>, probabilities: Map<number, number>): ChiSquareResult {
    const n = [...observed.values()].reduce((a, b) => a + b, 0);
    for (const key of observed.keys()) {
        if (!probabilities.has(key)) return {statistic: Infinity, degreesOfFreedom: 1, pValue: 0};
    }
    const bins: {observed: number; expected: number}[] = [];
    let pooled = {observed: 0, expected: 0};
    for (const [key, p] of probabilities) {
        const bin = {observed: observed.get(key) ?? 0, expected: p * n};
        if (bin.expected >= 5) bins.push(bin);
        else pooled = {observed: pooled.observed + bin.observed, expected: pooled.expected + bin.expected};
    }
    if (pooled.expected > 0) bins.push(pooled);
    const statistic = bins.reduce((sum, b) => sum + (b.observed - b.expected) ** 2 / b.expected, 0);
    const degreesOfFreedom = Math.max(1, bins.length - 1);
    return {statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom)};
}

/** Are two samples drawn from one distribution? Categories rare in both are pooled. */
export function chiSquareHomogeneity(a: Map<string, number>, b: Map<string, number>): ChiSquareResult {
    const totalA = [...a.values()].reduce((x, y) => x + y, 0);
    const totalB = [...b.values()].reduce((x, y) => x + y, 0);
    const keys = new Set([...a.keys(), ...b.keys()]);
    const rows: [number, number][] = [];
    let pooled: [number, number] = [0, 0];
    for (const key of keys) {
        const row: [number, number] = [a.get(key) ?? 0, b.get(key) ?? 0];
        if (row[0] + row[1] >= 10) rows.push(row);
        else pooled = [pooled[0] + row[0], pooled[1] + row[1]];
    }
    if (pooled[0] + pooled[1] > 0) rows.push(pooled);
    const total = totalA + totalB;
    let statistic = 0;
    for (const [countA, countB] of rows) {
        const rowTotal = countA + countB;
        const expectedA = (rowTotal * totalA) / total;
        const expectedB = (rowTotal * totalB) / total;
        statistic += (countA - expectedA) ** 2 / expectedA + (countB - expectedB) ** 2 / expectedB;
    }
    const degreesOfFreedom = Math.max(1, rows.length - 1);
    return {statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom)};
}

/** P(X ≥ x) for X ~ χ²(k): the regularised upper incomplete gamma Q(k/2, x/2). */
export function chiSquareSurvival(x: number, k: number): number {
    if (x <= 0) return 1;
    return upperRegularizedGamma(k / 2, x / 2);
}

function upperRegularizedGamma(a: number, x: number): number {
    if (x < a + 1) return 1 - lowerSeries(a, x);
    return continuedFraction(a, x);
}

function lowerSeries(a: number, x: number): number {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function continuedFraction(a: number, x: number): number {
    const tiny = 1e-300;
    let b = x + 1 - a;
    let c = 1 / tiny;
    let d = 1 / b;
    let h = d;
    for (let i = 1; i < 1000; i++) {
        const an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (Math.abs(d) < tiny) d = tiny;
        c = b + an / c;
        if (Math.abs(c) < tiny) c = tiny;
        d = 1 / d;
        const delta = d * c;
        h *= delta;
        if (Math.abs(delta - 1) < 1e-15) break;
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Lanczos approximation of ln Γ(z). */
function logGamma(z: number): number {
    const g = 7;
    const c = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
        -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
    ];
    if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
    z -= 1;
    let x = c[0]!;
    for (let i = 1; i < g + 2; i++) x += c[i]! / (z + i);
    const t = z + g + 0.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
