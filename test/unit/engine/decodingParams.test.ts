// Decoding parameters: defaults and ranges come from the option table; a missing seed is drawn and kept.
import assert from "node:assert/strict";
import {test} from "node:test";
import {InvalidParamsError, resolveDecodingParams} from "../../../src-main/engine/index.ts";
import {optionDefaults, optionSpec} from "../../../src-shared/index.ts";

test("defaults are the option table's", () => {
    const defaults = optionDefaults();
    const params = resolveDecodingParams({});
    assert.deepEqual(
        {...params, seed: null},
        {
            mode: defaults.mode,
            temperature: defaults.temperature,
            alpha: defaults.alpha,
            beta: defaults.beta,
            gamma: defaults.gamma,
            maxTokens: defaults.maxTokens,
            seed: null
        }
    );
});

test("a missing or null seed is drawn in the table's range, differently each time; a given one is kept", () => {
    const spec = optionSpec("seed");
    assert.ok(spec.kind === "integer");
    const drawn = new Set<number>();
    for (const seed of [undefined, null, undefined, null, undefined]) {
        const params = resolveDecodingParams(seed === undefined ? {} : {seed});
        assert.ok(Number.isInteger(params.seed) && params.seed >= spec.min && params.seed <= spec.max);
        drawn.add(params.seed);
    }
    assert.ok(drawn.size > 1, "the same seed was drawn every time");
    assert.equal(resolveDecodingParams({seed: 42}).seed, 42);
});

test("values outside the table's ranges are refused with the table's sentences, all at once", () => {
    assert.throws(
        () => resolveDecodingParams({beta: 11, maxTokens: 0, mode: "fast" as never}),
        (error: unknown) =>
            error instanceof InvalidParamsError &&
            error.message ===
                "mode must be one of scd, sd, cd, expert, amateur; beta must be a number from 0 to 10; maxTokens must be a whole number from 1 to 32768"
    );
    assert.throws(() => resolveDecodingParams({seed: -1}), /seed must be a whole number from 0 to 4294967295/);
});

test("sd is scd against the expert alone (α = β = 0)", () => {
    const params = resolveDecodingParams({mode: "sd", alpha: 0.3, beta: 2});
    assert.equal(params.alpha, 0);
    assert.equal(params.beta, 0);
});

test("γ takes auto or a whole number from 1 to 64, and anything else gets one sentence naming it", () => {
    assert.equal(resolveDecodingParams({gamma: "auto"}).gamma, "auto");
    assert.equal(resolveDecodingParams({gamma: 7}).gamma, 7);
    for (const bad of [0, 65, 2.5, "fast", "Auto", null]) {
        assert.throws(
            () => resolveDecodingParams({gamma: bad as never}),
            (error: unknown) => error instanceof InvalidParamsError && error.message === "gamma must be auto or a whole number from 1 to 64",
            String(bad)
        );
    }
});
