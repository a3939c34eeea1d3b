import assert from "node:assert/strict";
import {test} from "node:test";
import {splitStreamBlocks} from "../../src-renderer/lib/markdownBlocks.ts";
import {renderMarkdown} from "../../src-renderer/lib/markdown.ts";

const answer = [
    "# A title", "", "Once upon a time, there was a **dog**.", "He ran.", "",
    "```python", "def f():", "", "    return 1", "", "```", "",
    "| a | b |", "|---|---|", "| 1 | 2 |", "",
    "> a quote", "> more", "",
    "- tight", "- list", "",
    "~~~", "```not a fence end", "", "~~~", "",
    "Paragraph with `code`", "    and an indented continuation", "", "    indented after a blank line stays with its block", "",
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
