import assert from "node:assert/strict";
import {test} from "node:test";
import {splitStreamBlocks} from "../../../src-renderer/lib/markdownBlocks.ts";
import {renderMarkdown, renderMarkdownInline} from "../../../src-renderer/lib/markdown.ts";

const answer = [
    "# A title",
    "",
    "Once upon a time, there was a **dog**.",
    "He ran.",
    "",
    "```python",
    "def f():",
    "",
    "    return 1",
    "",
    "```",
    "",
    "| a | b |",
    "|---|---|",
    "| 1 | 2 |",
    "",
    "> a quote",
    "> more",
    "",
    "- tight",
    "- list",
    "",
    "~~~",
    "```not a fence end",
    "",
    "~~~",
    "",
    "Paragraph with `code`",
    "    and an indented continuation",
    "",
    "    indented after a blank line stays with its block",
    "",
    "The end."
].join("\n");

test("blocks and tail always put the text back together, for every prefix of a streamed answer", () => {
    for (let end = 0; end <= answer.length; end++) {
        const text = answer.slice(0, end);
        const {blocks, tail} = splitStreamBlocks(text);
        assert.equal(blocks.join("") + tail, text, `prefix ${end}`);
        assert.ok(blocks.every((b) => b.length > 0));
    }
});

test("a finished block never changes as the answer grows (so its HTML can be kept)", () => {
    let previous: readonly string[] = [];
    for (let end = 0; end <= answer.length; end++) {
        const {blocks} = splitStreamBlocks(answer.slice(0, end));
        assert.deepEqual(blocks.slice(0, previous.length), previous, `prefix ${end}`);
        previous = blocks;
    }
    // Title, paragraph, python fence, table, quote, list, ~~~ fence; the last paragraph waits for "The end." to finish.
    assert.equal(previous.length, 7);
});

test("no cut inside a code fence or before an indented line", () => {
    const {blocks, tail} = splitStreamBlocks(answer);
    for (const block of [...blocks, tail]) {
        const fences = block.split("\n").filter((l) => /^ {0,3}(```|~~~)/.test(l));
        const backticks = fences.filter((l) => l.trim().startsWith("```")).length;
        const tildes = fences.filter((l) => l.trim().startsWith("~~~")).length;
        // Every fence opened in a block is closed in it (the lone ``` inside the ~~~ fence is content).
        assert.ok(tildes % 2 === 0 && (tildes > 0 || backticks % 2 === 0), JSON.stringify(block));
        assert.doesNotMatch(block, /^\s/, "a block starts flush left");
    }
});

test("rendering block by block gives the same HTML as rendering the whole answer", () => {
    const {blocks, tail} = splitStreamBlocks(answer);
    assert.equal(blocks.map((b) => renderMarkdown(b)).join("") + renderMarkdown(tail), renderMarkdown(answer));
});

/** A story the way the story model writes it: no blank lines, a few line ends, inline marks across sentence ends. */
function story(): string {
    const sentences = [
        "Once upon a time, there was a little dog named Max.",
        "He liked to run in the park!",
        "One day he saw a **big. red** ball.",
        '"Can I play?" he asked.',
        "His friend said `yes. ok` and smiled.",
        "They ran to [the tree. there](#x) together.",
        "It was fun (very. fun).",
        "The sun was warm?",
        "Max was happy.\n",
        "1. Then they went home.\n"
    ];
    const out: string[] = [];
    for (let i = 0; i < 120; i++) out.push(sentences[(i * 7) % sentences.length]!);
    return out.join(" ").replace(/\n /g, "\n");
}

test("with softCutAfter, an answer without blank lines is cut at sentence and line ends; cuts never change", () => {
    const limit = 200;
    for (const text of [story(), answer]) {
        let previous: readonly string[] = [];
        for (let end = 0; end <= text.length; end++) {
            const {blocks, tail} = splitStreamBlocks(text.slice(0, end), {softCutAfter: limit});
            assert.equal(blocks.join("") + tail, text.slice(0, end), `prefix ${end}`);
            assert.deepEqual(blocks.slice(0, previous.length), previous, `prefix ${end}: a finished block changed`);
            previous = blocks;
        }
        for (const block of previous) {
            // Inline marks are closed in every piece, and fences are never cut.
            const code = block.replace(/^ {0,3}(```|~~~)[^]*?^ {0,3}\1/gm, "");
            assert.equal((code.match(/`/g) ?? []).length % 2, 0, JSON.stringify(block));
            assert.equal((code.match(/\*+/g) ?? []).length % 2, 0, JSON.stringify(block));
            assert.equal((code.match(/\[/g) ?? []).length, (code.match(/]/g) ?? []).length, JSON.stringify(block));
        }
    }
    // The story's tail stays short at every prefix: each frame renders a bounded piece, not the whole answer.
    const text = story();
    let longest = 0;
    for (let end = 0; end <= text.length; end += 7)
        longest = Math.max(longest, splitStreamBlocks(text.slice(0, end), {softCutAfter: limit}).tail.length);
    // (The limit, plus at most one sentence and its marks: the story's sentences are under 60 characters.)
    assert.ok(text.length > 15 * limit && longest < limit + 60, `longest tail ${longest} of ${text.length} characters`);
    // Without the option nothing is cut (no blank lines): the whole story is the tail.
    assert.equal(splitStreamBlocks(text).tail, text);
    // The test answer above has long-enough plain paragraphs only at its end: its hard cuts stay as they were.
    assert.deepEqual(splitStreamBlocks(answer, {softCutAfter: 10_000}), splitStreamBlocks(answer));
});

test("a paragraph cut at sentence ends, its pieces rendered inline side by side in one <p>, looks as the whole paragraph does", () => {
    const text = story();
    let compared = 0;
    for (let end = 400; end <= text.length; end += 397) {
        const {blocks, continues} = splitStreamBlocks(text.slice(0, end), {softCutAfter: 200});
        // Group each paragraph's finished pieces as the page does (Message.svelte).
        const groups: string[][] = [];
        blocks.forEach((piece, i) => (continues[i] === true ? groups.at(-1)!.push(piece) : groups.push([piece])));
        for (const group of groups) {
            if (group.length < 2) continue;
            // (The group's last piece as the page renders a tail: trimmed; the whole paragraph likewise.)
            const inline = `<p>${group.map((piece, i) => renderMarkdownInline(i === group.length - 1 ? piece.trimEnd() : piece)).join("")}</p>`;
            assert.equal(inline, renderMarkdown(group.join("").trimEnd()).trim(), JSON.stringify(group));
            compared++;
        }
    }
    assert.ok(compared >= 5, `only ${compared} cut paragraphs compared`);
});
