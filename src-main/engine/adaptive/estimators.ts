/**
 * Running estimates the adaptive controller learns from: a moving mean of a timing that forgets old samples,
 * a discounted Beta estimate of a probability, and a piecewise-linear curve over batch sizes. Pure, no clock.
 */

/**
 * The typical value of a positive quantity (a timing, ms) over its last samples: the mean of a window of the
 * last 1/rate samples, each winsorised at `clip`× the window's median. Timing noise on a shared machine is
 * one-sided (a page fault, a collection, another process only ever add time), so a stall counts as at most
 * `clip`× the typical value and moves the estimate by at most rate·(clip − 1) of it; a lasting change moves
 * the median within half a window and then gets through whole. A sample below the median is taken as it is.
 * Until it rests on 3 samples, one far below the estimate (beyond `clip`×) replaces what came before: the
 * first calls of a batch shape run cold (llama.cpp sizing its buffers, code not yet compiled). `fade` drops
 * the oldest samples (for an estimate that went unmeasured a while), so the next samples count for more.
 */
export class MovingMean {
    /** The window, oldest first. */
    private readonly samples: number[] = [];
    private readonly size: number;
    private cached = NaN;

    constructor(
        rate = 0.1,
        private readonly clip = 1.5
    ) {
        this.size = Math.max(1, Math.round(1 / rate));
    }

    get value(): number {
        if (Number.isNaN(this.cached) && this.samples.length > 0) {
            const sorted = Float64Array.from(this.samples).sort();
            const middle = sorted.length >> 1;
            const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
            const cap = median * this.clip;
            let total = 0;
            for (const sample of this.samples) total += Math.min(sample, cap);
            this.cached = total / this.samples.length;
        }
        return this.cached;
    }

    /** How many samples the estimate rests on, at most 1/rate. */
    get weight(): number {
        return this.samples.length;
    }

    record(sample: number): void {
        if (!(Number.isFinite(sample) && sample >= 0)) return;
        if (this.samples.length > 0 && this.samples.length < 3 && sample < this.value / this.clip) this.samples.length = 0;
        this.samples.push(sample);
        if (this.samples.length > this.size) this.samples.shift();
        this.cached = NaN;
    }

    /** Keeps `factor` (0–1) of the samples, the newest, rounding to the nearest count. */
    fade(factor: number): void {
        const keep = Math.round(this.samples.length * Math.min(Math.max(factor, 0), 1));
        if (keep < this.samples.length) {
            this.samples.splice(0, this.samples.length - keep);
            this.cached = NaN;
        }
    }
}

/**
 * A probability from fractional successes and failures, old evidence halving every `halfLife` trials, with a
 * Beta(priorSuccesses, priorFailures) prior that never fades (so the estimate is defined from the start).
 */
export class DiscountedRate {
    private successes = 0;
    private failures = 0;

    constructor(
        private readonly halfLife: number,
        private readonly priorSuccesses = 1,
        private readonly priorFailures = 1
    ) {}

    get value(): number {
        return (this.successes + this.priorSuccesses) / (this.successes + this.failures + this.priorSuccesses + this.priorFailures);
    }

    /** The estimate plus one posterior standard deviation (at most 1): an optimistic reading for exploring. */
    get optimistic(): number {
        const n = this.successes + this.failures + this.priorSuccesses + this.priorFailures;
        const p = this.value;
        return Math.min(1, p + Math.sqrt((p * (1 - p)) / (n + 1)));
    }

    /** Evidence held now (discounted trials), prior excluded. */
    get trials(): number {
        return this.successes + this.failures;
    }

    record(successes: number, failures: number): void {
        const trials = successes + failures;
        if (trials <= 0) return;
        const keep = 0.5 ** (trials / this.halfLife);
        this.successes = this.successes * keep + successes;
        this.failures = this.failures * keep + failures;
    }
}

/**
 * A cost as a function of a batch size n ≥ 1 (the expert's time for a call evaluating n tokens), learned per
 * n. Between sizes seen it interpolates linearly; beyond them it extends with the least-squares slope over
 * every size seen (never negative), so an unseen size gets a figure as soon as one size has been measured.
 */
export class BatchCostCurve {
    /** Measured sizes in increasing order. */
    private readonly points: {readonly size: number; readonly mean: MovingMean}[] = [];
    /** Estimates by size and the slope, until the next measurement. */
    private values: number[] = [];
    private slope = NaN;

    constructor(private readonly rate = 0.1) {}

    record(size: number, ms: number): void {
        if (!(Number.isFinite(ms) && ms >= 0)) return;
        let point = this.points.find((p) => p.size === size);
        if (point == null) {
            point = {size, mean: new MovingMean(this.rate)};
            this.points.push(point);
            this.points.sort((a, b) => a.size - b.size);
        }
        point.mean.record(ms);
        this.values = [];
        this.slope = NaN;
    }

    /** Whether any size has been measured. */
    get known(): boolean {
        return this.points.length > 0;
    }

    /** The estimated cost at `size`, ms; NaN before any measurement. */
    at(size: number): number {
        return (this.values[size] ??= this.estimate(size));
    }

    private estimate(size: number): number {
        const points = this.points;
        if (points.length === 0) return NaN;
        let above = 0;
        while (above < points.length && points[above]!.size < size) above++;
        if (above < points.length && points[above]!.size === size) return points[above]!.mean.value;
        if (above > 0 && above < points.length) {
            const lo = points[above - 1]!,
                hi = points[above]!;
            return lo.mean.value + ((hi.mean.value - lo.mean.value) * (size - lo.size)) / (hi.size - lo.size);
        }
        if (Number.isNaN(this.slope)) this.slope = this.fitSlope();
        if (above > 0) {
            const last = points[points.length - 1]!;
            return last.mean.value + this.slope * (size - last.size);
        }
        return Math.max(0, points[0]!.mean.value - this.slope * (points[0]!.size - size));
    }

    /**
     * Weighted least-squares slope over the measured sizes; with one size only, half its cost is taken as fixed
     * and half as growing with n (a neutral guess until a second size is measured).
     */
    private fitSlope(): number {
        const points = this.points;
        if (points.length === 1) return points[0]!.mean.value / (2 * points[0]!.size);
        let w = 0,
            sx = 0,
            sy = 0;
        for (const p of points) {
            w += p.mean.weight;
            sx += p.mean.weight * p.size;
            sy += p.mean.weight * p.mean.value;
        }
        const mx = sx / w,
            my = sy / w;
        let sxx = 0,
            sxy = 0;
        for (const p of points) {
            sxx += p.mean.weight * (p.size - mx) ** 2;
            sxy += p.mean.weight * (p.size - mx) * (p.mean.value - my);
        }
        return Math.max(0, sxy / sxx);
    }
}
