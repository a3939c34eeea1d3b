import assert from "node:assert/strict";
import {test} from "node:test";
import type {TokenRun} from "../../src-main/contract/api.ts";
import {createRng} from "../../src-main/engine/math/rng.ts";
import {appendRuns, charactersBySource, segmentsFromRuns, tokenSources} from "../../src-renderer/lib/tokenRuns.ts";

function randomRuns(seed: number, count: number): TokenRun[] {
    const rng = createRng(seed);
    return Array.from({length: count}, () => ({source: tokenSources[Math.floor(rng.next() * 4)]!, length: Math.floor(rng.next() * 6)}));
}

test("appendRuns merges neighbours of one source, drops empty runs and keeps every character", () => {
    const merged = appendRuns([{source: "draft", length: 3}], [{source: "draft", length: 2}, {source: "bonus", length: 0}, {source: "correction", length: 1}]);
    assert.deepEqual(merged, [{source: "draft", length: 5}, {source: "correction", length: 1}]);
    for (let seed = 1; seed <= 50; seed++) {
        const runs = randomRuns(seed, 40);
        // Streaming in pieces gives the same runs as appending everything at once.
        let streamed: TokenRun[] = [];
        for (let at = 0; at < runs.length; at += 7) streamed = appendRuns(streamed, runs.slice(at, at + 7));
        assert.deepEqual(streamed, appendRuns([], runs));
        assert.equal(streamed.reduce((s, r) => s + r.length, 0), runs.reduce((s, r) => s + r.length, 0));
        for (let i = 1; i < streamed.length; i++) assert.notEqual(streamed[i]!.source, streamed[i - 1]!.source);
    }
});

test("segmentsFromRuns covers the content exactly, in order, whatever the runs", () => {
    const content = "Once upon a time, there was a little dog named Spot. 🐶 He liked to run.";
    for (let seed = 1; seed <= 50; seed++) {
        const runs = randomRuns(seed, seed % 30);
        const segments = segmentsFromRuns(content, runs);
        assert.equal(segments.map((s) => s.text).join(""), content, `seed ${seed}`);
        assert.ok(segments.every((s) => s.text.length > 0));
        const covered = Math.min(content.length, runs.reduce((s, r) => s + r.length, 0));
        const uncovered = segments.filter((s) => s.source == null);
        assert.equal(uncovered.reduce((s, seg) => s + seg.text.length, 0), content.length - covered);
    }
    assert.deepEqual(segmentsFromRuns("abc", null), [{source: null, text: "abc"}]);
    assert.deepEqual(segmentsFromRuns("", [{source: "draft", length: 4}]), []);
    assert.deepEqual(segmentsFromRuns("abcdef", [{source: "draft", length: 2}, {source: "bonus", length: 1}, {source: "direct", length: 10}]),
        [{source: "draft", text: "ab"}, {source: "bonus", text: "c"}, {source: "direct", text: "def"}]);
});

test("charactersBySource counts each source's characters", () => {
    const counts = charactersBySource([{source: "draft", length: 3}, {source: "correction", length: 1}, {source: "draft", length: 2}]);
    assert.deepEqual(counts, {draft: 5, correction: 1, bonus: 0, direct: 0});
    assert.deepEqual(charactersBySource(null), {draft: 0, correction: 0, bonus: 0, direct: 0});
});
