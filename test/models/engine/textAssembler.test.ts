/** Streaming text with the story model's real tokenizer: split characters, leading spaces, stop strings. */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import type {LlamaModel} from "node-llama-cpp";
import {TextAssembler} from "../../../src-main/engine/textAssembler.ts";
import {getRuntime} from "../../../src-main/models/runtime/llamaRuntime.ts";
import {modelTokenText} from "../../../src-main/models/runtime/modelPair.ts";
import {modelPath, storyExpert} from "../../helpers/models.ts";

let model: LlamaModel;
before(async () => {
    const llama = await getRuntime(false, 1);
    model = await llama.loadModel({modelPath: modelPath(storyExpert)});
});
after(async () => {
    await model.dispose();
});

function stream(text: string, stopStrings: string[] = []) {
    const tokens = model.tokenize(text) as number[];
    const assembler = new TextAssembler(modelTokenText(model), stopStrings, [1]);
    const pieces: string[] = [];
    let stopped = false;
    for (const token of tokens) {
        const step = assembler.push(token);
        pieces.push(step.text);
        if (step.stopped) {
            stopped = true;
            break;
        }
    }
    pieces.push(assembler.finish(stopped));
    return {tokens, pieces, stopped, text: assembler.fullText};
}

test("characters split over byte tokens are held back until whole", () => {
    const text = "Lily said: café, naïve ☃ 日本";
    const {tokens, pieces, text: full} = stream(text);
    assert.ok(tokens.length > text.length / 2, "the story vocabulary spells these with byte tokens");
    assert.equal(pieces.join(""), full);
    assert.equal(full, model.detokenize(tokens as never[]));
    for (const piece of pieces) assert.ok(!piece.includes("\uFFFD"), `emitted a broken character: ${JSON.stringify(piece)}`);
});

test("a stop string is cut out, and its first characters are never streamed early", () => {
    const {pieces, stopped, text} = stream("The dog ran to the park and played", [" park"]);
    assert.equal(stopped, true);
    assert.equal(text, "The dog ran to the");
    assert.equal(pieces.join(""), "The dog ran to the");
});

test("a text that only starts like a stop string is released at the end", () => {
    const {pieces, stopped, text} = stream("The dog ran to the pa", [" park"]);
    assert.equal(stopped, false);
    assert.equal(pieces.join(""), text);
    assert.equal(text, "The dog ran to the pa");
});
