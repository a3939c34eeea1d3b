/** Median, minimum and maximum of repeated measurements. */

export type Spread = {readonly median: number; readonly min: number; readonly max: number};

export function spread(values: readonly number[]): Spread {
    if (values.length === 0) return {median: NaN, min: NaN, max: NaN};
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    return {median, min: sorted[0]!, max: sorted[sorted.length - 1]!};
}

export function mean(values: readonly number[]): number {
    return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
