/** The option table's values as typed text: strict decimal parsing, ranges from the table, one-sentence problems. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {optionDefaults, optionProblem, optionSpec, optionTable, acceptedText, parseOptionText} from "../../../src-shared/index.ts";

const parse = (key: Parameters<typeof optionSpec>[0], text: string) => parseOptionText(optionSpec(key), text);

test("every default lies inside its own range (the CLI, the engine and the app share them)", () => {
    const defaults = optionDefaults();
    for (const spec of optionTable) {
        const value = defaults[spec.key as keyof typeof defaults];
        assert.equal(optionProblem(spec, value), null, `${spec.key} default ${String(value)}`);
    }
});

test("numbers are decimal: hex, Infinity, blanks and underscores are refused", () => {
    for (const text of ["0x10", "Infinity", "", " 1", "1_0", "1,5", "NaN", "0b1", "1e"]) {
        const parsed = parse("temperature", text);
        assert.equal(parsed.ok, false, text);
        if (!parsed.ok) assert.equal(parsed.problem, `--temperature must be a number from 0 to 10, got ${JSON.stringify(text)}`);
    }
    assert.deepEqual(parse("temperature", "0.7"), {ok: true, value: 0.7});
    assert.deepEqual(parse("temperature", ".5"), {ok: true, value: 0.5});
    assert.deepEqual(parse("alpha", "1e-2"), {ok: true, value: 0.01});
});

test("ranges come from the table; integers must be whole", () => {
    const beta = parse("beta", "-1");
    assert.equal(beta.ok, false);
    if (!beta.ok) assert.equal(beta.problem, `--beta must be a number from 0 to 10, got "-1"`);
    assert.equal(parse("gamma", "2.5").ok, false);
    assert.equal(parse("gamma", "1e1").ok, false);
    assert.deepEqual(parse("gamma", "8"), {ok: true, value: 8});
    assert.deepEqual(parse("gamma", "auto"), {ok: true, value: "auto"});
    const gamma = parse("gamma", "automatic");
    if (!gamma.ok) assert.equal(gamma.problem, `--gamma must be auto or a whole number from 1 to 64, got "automatic"`);
    assert.equal(gamma.ok, false);
    assert.equal(parse("threads", "auto").ok, false, "only options that take auto accept it");
    assert.equal(parse("maxTokens", "32769").ok, false);
    assert.deepEqual(parse("mode", "cd"), {ok: true, value: "cd"});
    const mode = parse("mode", "fast");
    if (!mode.ok) assert.equal(mode.problem, `--mode must be one of scd, sd, cd, expert, amateur, got "fast"`);
    assert.equal(acceptedText(optionSpec("threads")), "a whole number from 1 to 256");
});

test("a problem can name the option as the caller calls it", () => {
    const parsed = parseOptionText(optionSpec("topK"), "lots", "topK");
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.problem, /^topK must be a whole number from 1 to 1000000, got "lots"$/);
});
