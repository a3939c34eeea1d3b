/**
 * DraftStream on a scripted amateur: each draft is drawn from its own proposal with the generator of its
 * absolute position, so drafts do not depend on how far ahead a stream ran, on which stream drew them, or on
 * a stream being advanced past committed drafts.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import {DraftStream} from "../../../src-main/engine/draftStream.ts";
import {sample} from "../../../src-main/engine/math/distribution.ts";
import {positionRng} from "../../../src-main/engine/math/rng.ts";
import {hashedModel, ScriptedSequence} from "../../helpers/scriptedSequence.ts";

const amateurModel = hashedModel(12, 2, 2);
const prompt = [1, 5, 3, 7];
const never = () => false;

/** A stream from `prompt` on a fresh scripted amateur. */
function streamOf(seed: number, temperature = 1, isEndOfGeneration: (token: number) => boolean = never): DraftStream {
    return new DraftStream(new ScriptedSequence(amateurModel), [...prompt], prompt.length, temperature, seed, isEndOfGeneration);
}

const tokens = (stream: DraftStream) => stream.steps.map((step) => step.token);

test("step k is drawn from its proposal with the generator keyed by (seed, prefixLength + k, draft)", async () => {
    for (const seed of [1, 2, 99]) {
        const stream = streamOf(seed);
        await stream.extendTo(6);
        stream.steps.forEach((step, k) => {
            assert.equal(step.token, sample(step.proposal, positionRng(seed, prompt.length + k, "draft")), `seed ${seed} step ${k}`);
        });
    }
});

test("drafting in one go, step by step, or after an advance gives the same drafts at the same positions", async () => {
    for (const seed of [3, 4, 5]) {
        const whole = streamOf(seed);
        await whole.extendTo(8);
        const stepwise = streamOf(seed);
        for (let count = 1; count <= 8; count++) await stepwise.extendTo(count);
        assert.deepEqual(tokens(stepwise), tokens(whole));

        // Two drafts committed: the advanced stream keeps the rest and draws on where the whole one did.
        const partial = streamOf(seed);
        await partial.extendTo(4);
        const advanced = partial.advance(2);
        assert.equal(advanced.prefixLength, prompt.length + 2);
        await advanced.extendTo(6);
        assert.deepEqual(tokens(advanced), tokens(whole).slice(2));

        // A new stream from the committed prefix (as after a dropped stream) draws the same drafts too.
        const committed = [...prompt, ...tokens(whole).slice(0, 3)];
        const fresh = new DraftStream(new ScriptedSequence(amateurModel), committed, committed.length, 1, seed, never);
        await fresh.extendTo(5);
        assert.deepEqual(tokens(fresh), tokens(whole).slice(3));
    }
});

test("an end-of-generation draft ends the stream; greedy drafts are the argmax", async () => {
    const greedy = streamOf(1, 0);
    await greedy.extendTo(5);
    for (const step of greedy.steps) assert.equal(step.token, step.head.ids[0]);
    const whole = streamOf(6);
    await whole.extendTo(8);
    const end = whole.steps[2]!.token;
    const ending = streamOf(6, 1, (token) => token === end);
    await ending.extendTo(8);
    const firstEnd = tokens(whole).indexOf(end);
    assert.deepEqual(tokens(ending), tokens(whole).slice(0, firstEnd + 1));
});
