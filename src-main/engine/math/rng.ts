/**
 * Seeded pseudo-random numbers for sampling: xoshiro128**, seeded through splitmix32 (`createRng`) or from a
 * key (`positionRng`). Deterministic for a given seed on every platform; no I/O, no global state.
 */

export interface Rng {
    /** Uniform float in [0, 1). */
    next(): number;
}

function splitmix32(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x9e3779b9) >>> 0;
        return fmix32(state);
    };
}

/** murmur3's 32-bit finaliser: a bijection of 32-bit words that spreads every input bit over the word. */
function fmix32(h: number): number {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
}

/** The low 32 bits of an integer's absolute value (what a seed means). */
function seedWord(seed: number): number {
    return Math.floor(Math.abs(seed)) % 4294967296;
}

/** xoshiro128** generator; `seed` is any integer (only its low 32 bits and sign-free value matter). */
export function createRng(seed: number): Rng {
    const init = splitmix32(seedWord(seed));
    return xoshiro128(init(), init(), init(), init());
}

function xoshiro128(a: number, b: number, c: number, d: number): Rng {
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
 * What a random number decides about the token at one position. Each use has its own generator, so no use
 * shifts another's numbers: `draft`, `accept` and `residual` are the draft-then-verify coupling's three draws
 * (math/speculative.ts `coupledToken`), `direct` a draw straight from the target where no proposal exists.
 */
export type RandomUse = "draft" | "accept" | "residual" | "direct";

const USE_KEYS: Readonly<Record<RandomUse, number>> = {draft: 1, accept: 2, residual: 3, direct: 4};

/** Added to the state before each quarter-round, so no round repeats the one before (SHA-256's: √2, √3, √5, √7, √11, √13). */
const ROUND_CONSTANTS = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c];

/**
 * The generator for one use at absolute position `position` (the token's index in prompt + generated tokens):
 * keyed by (seed, position, use), so the token there is decided by the same numbers whichever round, step or
 * schedule decides it.
 *
 * The key's three words and a constant fill xoshiro's four state words, which then go through rounds of
 * ChaCha's quarter-round (add, rotate, xor across all four words) and each through murmur3's finaliser. Every
 * step is a bijection of the 128-bit state, so distinct keys give distinct states — never the same stream —
 * and every state word depends on every bit of the key, so streams of nearby keys (seed s and s ^ 1, position
 * j and j + 1, one use and the next) are unrelated.
 */
export function positionRng(seed: number, position: number, use: RandomUse): Rng {
    let a = seedWord(seed) ^ 0x243f6a88;
    let b = (position >>> 0) ^ 0x85a308d3;
    let c = USE_KEYS[use] ^ 0x13198a2e;
    let d = 0x03707344;
    for (const constant of ROUND_CONSTANTS) {
        a = (a + constant) | 0;
        a = (a + b) | 0;
        d = rotl(d ^ a, 16);
        c = (c + d) | 0;
        b = rotl(b ^ c, 12);
        a = (a + b) | 0;
        d = rotl(d ^ a, 8);
        c = (c + d) | 0;
        b = rotl(b ^ c, 7);
    }
    return xoshiro128(fmix32(a), fmix32(b), fmix32(c), fmix32(d));
}

/** The coupling's three generators at one position; each is made when first asked for (greedy asks for none). */
export type CouplingRngs = {readonly draft: Rng; readonly accept: Rng; readonly residual: Rng};

/** `couplingRngs`'s generators: a class (accessors on its prototype, fields made lazily) keeps this cheap per token. */
class PositionCouplingRngs implements CouplingRngs {
    private draftRng: Rng | null = null;
    private acceptRng: Rng | null = null;
    private residualRng: Rng | null = null;

    constructor(
        private readonly seed: number,
        private readonly position: number
    ) {}

    get draft(): Rng {
        return (this.draftRng ??= positionRng(this.seed, this.position, "draft"));
    }

    get accept(): Rng {
        return (this.acceptRng ??= positionRng(this.seed, this.position, "accept"));
    }

    get residual(): Rng {
        return (this.residualRng ??= positionRng(this.seed, this.position, "residual"));
    }
}

/** The coupling's generators at absolute position `position`: `positionRng`'s draft, accept and residual. */
export function couplingRngs(seed: number, position: number): CouplingRngs {
    return new PositionCouplingRngs(seed, position);
}
