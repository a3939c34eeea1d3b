/**
 * Simulated regimes for the adaptive controller's tests, sized from this repository's bench reports
 * (docs/bench/): 2-core CPU, one llama.cpp thread per model.
 */
import {batchCost, type Regime} from "./simulatedPair.ts";

/** stories260K + L4: every call is ~0.3 ms of latency, the engine's per-round work is large against it. */
export const tinyPair: Regime = {
    name: "tiny pair (stories260K + L4)",
    mode: "scd",
    acceptance: 0.5,
    amateurMs: 0.32,
    expertMs: batchCost([
        [1, 0.31],
        [5, 0.85]
    ]),
    sideBySideSlowdown: 1.5,
    roundOverheadMs: 0.6,
    stepOverheadMs: 0.1,
    tokenOverheadMs: 0.05,
    noise: 0.1,
    stallRate: 0.005
};

/** Heavy expert (64k feed-forward) + L4: t_e ≈ 12 ms, batches grow steeply past 3 tokens, acceptance ≈ 0.5. */
export const heavyL4: Regime = {
    name: "heavy expert + L4",
    mode: "scd",
    acceptance: 0.5,
    amateurMs: 0.25,
    expertMs: batchCost([
        [1, 12],
        [2, 14],
        [3, 17],
        [4, 22.5],
        [5, 28.5],
        [6, 34.5]
    ]),
    sideBySideSlowdown: 1.05,
    roundOverheadMs: 0.15,
    stepOverheadMs: 0.05,
    tokenOverheadMs: 0.02,
    noise: 0.08,
    stallRate: 0.005
};

/**
 * Heavy expert + its twin (near-total acceptance), with batch costs that grow slowly in n (as on a GPU); the
 * machine's overheads, noise and stalls are heavy-L4's.
 */
export const heavyTwin: Regime = {
    ...heavyL4,
    name: "heavy expert + twin",
    acceptance: 0.97,
    amateurMs: 0.28,
    expertMs: batchCost([
        [1, 12],
        [9, 21.6]
    ])
};
