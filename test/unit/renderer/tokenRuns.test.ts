import assert from "node:assert/strict";
import {test} from "node:test";
import type {TokenRun} from "../../../src-shared/index.ts";
import {createRng} from "../../../src-main/engine/math/rng.ts";
import {
    appendRuns,
    appendRunsInPlace,
    charactersBySource,
    leadingWhitespace,
    MAX_SEGMENT_LENGTH,
    SegmentStream,
    tokenSources,
    type Segment
} from "../../../src-renderer/lib/tokenRuns.ts";

function randomRuns(seed: number, count: number): TokenRun[] {
    const rng = createRng(seed);
    return Array.from({length: count}, () => ({source: tokenSources[Math.floor(rng.next() * 4)]!, length: Math.floor(rng.next() * 6)}));
}

test("appendRuns merges neighbours of one source, drops empty runs and keeps every character", () => {
    const merged = appendRuns(
        [{source: "draft", length: 3}],
        [
            {source: "draft", length: 2},
            {source: "bonus", length: 0},
            {source: "correction", length: 1}
        ]
    );
    assert.deepEqual(merged, [
        {source: "draft", length: 5},
        {source: "correction", length: 1}
    ]);
    for (let seed = 1; seed <= 50; seed++) {
        const runs = randomRuns(seed, 40);
        // Streaming in pieces gives the same runs as appending everything at once.
        let streamed: TokenRun[] = [];
        for (let at = 0; at < runs.length; at += 7) streamed = appendRuns(streamed, runs.slice(at, at + 7));
        assert.deepEqual(streamed, appendRuns([], runs));
        assert.equal(
            streamed.reduce((s, r) => s + r.length, 0),
            runs.reduce((s, r) => s + r.length, 0)
        );
        for (let i = 1; i < streamed.length; i++) assert.notEqual(streamed[i]!.source, streamed[i - 1]!.source);
    }
});

/** The source of each character of `content` per `runs` (null past the runs), the reference the stream must match. */
function sourceAt(content: string, runs: readonly TokenRun[]): (string | null)[] {
    const out: (string | null)[] = [];
    for (const run of runs) for (let k = 0; k < run.length && out.length < content.length; k++) out.push(run.source);
    while (out.length < content.length) out.push(null);
    return out;
}

/** What the page shows as text, and the source of each shown character. */
function shown(stream: SegmentStream, content: string): {text: string; sources: (string | null)[]} {
    // Per UTF-16 unit, as runs count (the dog emoji is two).
    const sources: (string | null)[] = Array.from({length: stream.lead.length}, () => "lead");
    for (const segment of stream.segments) for (let k = 0; k < segment.text.length; k++) sources.push(segment.source);
    const rest = content.slice(stream.covered);
    for (let k = 0; k < rest.length; k++) sources.push(null);
    return {text: stream.lead + stream.segments.map((s) => s.text).join("") + rest, sources};
}

test("SegmentStream, fed a streamed answer piece by piece, shows every character with its run's source", () => {
    const words = [
        "Once",
        " upon",
        " a",
        " time,",
        " there",
        " was",
        " a",
        " little",
        " dog",
        " named",
        " Spot.",
        " 🐶",
        "\n",
        " He",
        " liked",
        " to",
        " run."
    ];
    for (let seed = 1; seed <= 60; seed++) {
        const rng = createRng(seed);
        // An answer streamed in frames: each frame some tokens, each token's text with one run of its length.
        const lead = ["", " ", "  \n", "\n"][seed % 4]!;
        const tokens = [lead, ...Array.from({length: 300}, () => words[Math.floor(rng.next() * words.length)]!)].filter((t) => t !== "");
        let content = "";
        const runs: TokenRun[] = [];
        const stream = new SegmentStream();
        let before: Segment[] = [];
        for (let at = 0; at < tokens.length;) {
            const frame = tokens.slice(at, at + 1 + Math.floor(rng.next() * 6));
            at += frame.length;
            content += frame.join("");
            appendRunsInPlace(
                runs,
                frame.map((t) => ({source: tokenSources[Math.floor(rng.next() * 4)]!, length: t.length}))
            );
            stream.update(content, runs);
            // Append-only: every segment but the previous last is the very same object as before.
            for (let i = 0; i < before.length - 1; i++) assert.equal(stream.segments[i], before[i], `seed ${seed}: segment ${i} was rebuilt`);
            before = stream.segments.slice();
        }
        // Lines: each but the last ends with its newline, and no segment holds one anywhere else.
        stream.lines.forEach((line, i) => {
            const text = line.map((segment) => segment.text).join("");
            assert.ok(line.length > 0 && (i === stream.lines.length - 1 || text.endsWith("\n")), `seed ${seed}: line ${i}`);
            assert.ok(
                line.every((segment) => !segment.text.slice(0, -1).includes("\n")),
                `seed ${seed}: line ${i}`
            );
        });
        const expected = sourceAt(content, runs).map((source, i) => (i < leadingWhitespace(content) ? "lead" : source));
        assert.deepEqual(shown(stream, content), {text: content, sources: expected}, `seed ${seed}`);
        assert.equal(stream.lead, content.slice(0, leadingWhitespace(content)), `seed ${seed}: the leading whitespace is set apart`);
        assert.ok(stream.lead.startsWith(lead));
        assert.ok(stream.segments.every((s) => s.text.length > 0 && s.text.length <= MAX_SEGMENT_LENGTH));
        // Neighbours of one source in a line are merged up to the length cap.
        for (const line of stream.lines) {
            for (let i = 1; i < line.length; i++) {
                const [a, b] = [line[i - 1]!, line[i]!];
                assert.ok(a.source !== b.source || a.text.length === MAX_SEGMENT_LENGTH, `seed ${seed}: segments ${i - 1} and ${i} could be one`);
            }
        }
        // All at once gives the same segments as frame by frame.
        const once = new SegmentStream();
        once.update(content, runs);
        assert.deepEqual(once.lines, stream.lines);
    }
});

test("SegmentStream leaves text no run covers yet for later, and shows an all-blank answer as lead only", () => {
    const stream = new SegmentStream();
    stream.update("abc", null);
    assert.equal(stream.covered, 0);
    const runs: TokenRun[] = [{source: "draft", length: 2}];
    stream.update("abcdef", runs);
    assert.deepEqual({covered: stream.covered, segments: stream.segments}, {covered: 2, segments: [{source: "draft", text: "ab"}]});
    appendRunsInPlace(runs, [
        {source: "draft", length: 1},
        {source: "bonus", length: 3}
    ]);
    stream.update("abcdef", runs);
    assert.deepEqual(stream.segments, [
        {source: "draft", text: "abc"},
        {source: "bonus", text: "def"}
    ]);
    const blank = new SegmentStream();
    blank.update(" \n ", [{source: "direct", length: 3}]);
    assert.deepEqual({lead: blank.lead, segments: blank.segments, covered: blank.covered}, {lead: " \n ", segments: [], covered: 3});
    assert.equal(leadingWhitespace(" \n x "), 3);
    assert.equal(leadingWhitespace("  "), 2);
});

test("charactersBySource counts each source's characters", () => {
    const counts = charactersBySource([
        {source: "draft", length: 3},
        {source: "correction", length: 1},
        {source: "draft", length: 2}
    ]);
    assert.deepEqual(counts, {draft: 5, correction: 1, bonus: 0, direct: 0});
    assert.deepEqual(charactersBySource(null), {draft: 0, correction: 0, bonus: 0, direct: 0});
});
