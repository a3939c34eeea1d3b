/** Settings layering (option table defaults < global < conversation) and what a pair is loaded with. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {decodingParamsOf, loadOptionsOf, resolveSettings, sameLoadOptions} from "../../../src-main/service/settingsResolver.ts";
import {optionDefaults} from "../../../src-shared/index.ts";

test("defaults, then global changes, then the conversation's overrides; undefined changes nothing", () => {
    const settings = resolveSettings({gamma: 2, contextSize: 512}, {gamma: 3, temperature: undefined});
    assert.deepEqual(settings, {...optionDefaults(), gamma: 3, contextSize: 512});
});

test("load options: the settings' own values win; null threads and cpu off fall back to the service's defaults", () => {
    const settings = resolveSettings({});
    const {contextSize, topK, exact} = optionDefaults();
    assert.deepEqual(loadOptionsOf(settings, {threads: 1, cpu: true}), {threads: 1, cpu: true, contextSize, topK, exact});
    assert.deepEqual(loadOptionsOf(resolveSettings({threads: 2}), {threads: 1}), {threads: 2, cpu: false, contextSize, topK, exact});
    assert.equal(loadOptionsOf(settings).threads, null);
    assert.ok(
        sameLoadOptions(loadOptionsOf(settings), loadOptionsOf(resolveSettings({gamma: 7, systemPrompt: "x"}))),
        "decoding options do not reload"
    );
    assert.ok(!sameLoadOptions(loadOptionsOf(settings), loadOptionsOf(resolveSettings({topK: 32}))));
});

test("decoding parameters carry the answer's seed", () => {
    const {temperature, alpha, beta, gamma, maxTokens} = optionDefaults();
    assert.deepEqual(decodingParamsOf(resolveSettings({mode: "cd", seed: null}), 42), {
        mode: "cd",
        temperature,
        alpha,
        beta,
        gamma,
        maxTokens,
        seed: 42
    });
});
