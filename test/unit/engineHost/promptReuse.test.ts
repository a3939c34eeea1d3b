/**
 * The follow-up's prompt from the stored token stream: spliced where both streams spell the same text at a
 * token boundary, so the caches (which hold the stored stream) are reused whole; the text the models see is
 * always the fresh prompt's. A toy tokenizer whose tokens are strings makes the re-tokenization differences
 * (merged pieces, a different split of an answer) explicit.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import {spliceStoredPrefix} from "../../../src-main/engineHost/promptReuse.ts";

const pieces = ["<s>", "Once", " upon", " a", " time", " On", "ce", "\n", "The", " end", ".", "<|im_end|>", "Tom", " ran", " up", "on"];
const detokenize = (tokens: readonly number[]): string => tokens.map((t) => pieces[t]!).join("");
const ids = (...words: string[]): number[] =>
    words.map((w) => {
        const id = pieces.indexOf(w);
        if (id < 0) throw new Error(`no piece ${w}`);
        return id;
    });

test("the stored stream replaces the re-tokenized answer when the texts meet at a boundary", () => {
    // The model generated " On" "ce"; the text, tokenized again, says " Once"... spelt here as " upon"-like merges.
    const stored = ids("<s>", "Tom", " ran", " up", "on", " a");
    const fresh = ids("<s>", "Tom", " ran", " upon", " a", "\n", "The", " end");
    const reused = spliceStoredPrefix(stored, fresh, detokenize);
    assert.deepEqual(reused.tokens, [...stored, ...ids("\n", "The", " end")]);
    assert.equal(reused.keptStored, stored.length);
    assert.equal(reused.freshFrom, 5);
    assert.equal(detokenize(reused.tokens), detokenize(fresh));
});

test("a fresh prompt that already starts with the stored stream is used as it is", () => {
    const stored = ids("<s>", "Once", " upon");
    const fresh = ids("<s>", "Once", " upon", " a", " time");
    assert.deepEqual(spliceStoredPrefix(stored, fresh, detokenize), {tokens: fresh, keptStored: 0, freshFrom: 0});
});

test("where the texts part, the splice is at the last boundary both share before the difference", () => {
    // Stored: an answer the history no longer has verbatim (edited or cut): only the common start is reused.
    const stored = ids("<s>", "Tom", " ran", " up", "on", " a", " time");
    const fresh = ids("<s>", "Tom", " ran", " upon", "The", " end");
    const reused = spliceStoredPrefix(stored, fresh, detokenize);
    assert.equal(detokenize(reused.tokens), detokenize(fresh));
    assert.deepEqual(reused.tokens, [...ids("<s>", "Tom", " ran", " up", "on"), ...ids("The", " end")]);
    assert.equal(reused.keptStored, 5);
});

test("an unrelated stored stream changes nothing", () => {
    const stored = ids("<s>", "The", " end");
    const fresh = ids("<s>", "Tom", " ran");
    assert.deepEqual(spliceStoredPrefix(stored, fresh, detokenize).tokens, fresh);
    assert.deepEqual(spliceStoredPrefix([], fresh, detokenize).tokens, fresh);
});

test("the prompt always ends with fresh tokens (its last head is read anew)", () => {
    const stored = ids("<s>", "Tom", " ran", " up", "on");
    const fresh = ids("<s>", "Tom", " ran", " upon");
    const reused = spliceStoredPrefix(stored, fresh, detokenize);
    assert.equal(detokenize(reused.tokens), detokenize(fresh));
    assert.ok(reused.freshFrom < fresh.length);
});
