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
 * A generator for one (seed, key…) combination, e.g. (seed, position, use): the numbers it gives depend only on
 * its key, never on what was drawn before it or how far ahead the drafting happened to run.
 */
export function createKeyedRng(seed: number, ...keys: number[]): Rng {
    // The seed is mixed like a key (not used as the start): otherwise (seed, k) and (seed ^ 1, k ^ 1) would collide.
    let h = 0x6a09e667;
    for (const key of [Math.floor(Math.abs(seed)) % 4294967296, ...keys]) {
        h = Math.imul(h ^ (key >>> 0), 0x9e3779b1) >>> 0;
        h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
        h = (h ^ (h >>> 13)) >>> 0;
    }
    return createRng(h);
}

/**
 * What a random number decides about the token at one position. Each use has its own generator, so no use
 * shifts another's numbers: `draft`, `accept` and `residual` are the draft-then-verify coupling's three draws
 * (math/speculative.ts `coupledToken`), `direct` a draw straight from the target where no proposal exists.
 */
export type RandomUse = "draft" | "accept" | "residual" | "direct";

const USE_KEYS: Readonly<Record<RandomUse, number>> = {draft: 1, accept: 2, residual: 3, direct: 4};

/**
 * The generator for one use at absolute position `position` (the token's index in prompt + generated tokens):
 * keyed by (seed, position, use), so the token there is decided by the same numbers whichever round, step or
 * schedule decides it.
 */
export function positionRng(seed: number, position: number, use: RandomUse): Rng {
    return createKeyedRng(seed, position, USE_KEYS[use]);
}

/** The coupling's three generators at one position; each is made when first asked for (greedy asks for none). */
export type CouplingRngs = {readonly draft: Rng; readonly accept: Rng; readonly residual: Rng};

export function couplingRngs(seed: number, position: number): CouplingRngs {
    let draft: Rng | undefined, accept: Rng | undefined, residual: Rng | undefined;
    return {
        get draft() {
            return (draft ??= positionRng(seed, position, "draft"));
        },
        get accept() {
            return (accept ??= positionRng(seed, position, "accept"));
        },
        get residual() {
            return (residual ??= positionRng(seed, position, "residual"));
        }
    };
}
