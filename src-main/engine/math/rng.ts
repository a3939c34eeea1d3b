/**
 * Seeded pseudo-random numbers for sampling: xoshiro128** seeded through splitmix32.
 * Deterministic for a given seed on every platform; no I/O, no global state.
 */

export interface Rng {
    /** Uniform float in [0, 1). */
    next(): number;
}

function splitmix32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x9e3779b9) >>> 0;
        let z = state;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
    };
}

/** xoshiro128** generator; `seed` is any integer (only its low 32 bits and sign-free value matter). */
export function createRng(seed: number): Rng {
    const init = splitmix32(Math.floor(Math.abs(seed)) % 4294967296);
    let a = init(), b = init(), c = init(), d = init();
    if ((a | b | c | d) === 0) a = 1;
    return {
        next(): number {
            const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
            const t = b << 9;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= t;
            d = rotl(d, 11);
            return result / 4294967296;
        }
    };
}

function rotl(x: number, k: number): number {
    return (x << k) | (x >>> (32 - k));
}

/**
 * A generator for one (seed, key…) combination, e.g. (seed, draft stream, step): the numbers a draft step
 * draws depend only on its key, never on how far ahead the drafting happened to run.
 */
export function createKeyedRng(seed: number, ...keys: number[]): Rng {
    let h = Math.floor(Math.abs(seed)) % 4294967296;
    for (const key of keys) {
        h = Math.imul(h ^ (key >>> 0), 0x9e3779b1) >>> 0;
        h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
        h = (h ^ (h >>> 13)) >>> 0;
    }
    return createRng(h);
}
