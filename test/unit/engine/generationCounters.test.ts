/**
 * The generation's counters on scripted sequences: acceptance per draft position, mean acceptance length
 * (1 + accepted drafts / verification rounds), and the plain steps of the expert alone and cd timed for the
 * like-for-like speedup. A twin amateur (the expert itself) has every draft accepted.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import {PairDecoder} from "../../../src-main/engine/index.ts";
import {hashedModel, ScriptedSequence, scriptedTokenText} from "../../helpers/scriptedSequence.ts";

const VOCABULARY = 12;
const expertModel = hashedModel(VOCABULARY, 1);
const amateurModel = hashedModel(VOCABULARY, 2, 2);
const prompt = [1, 5, 3, 7];

function decoder(twin: boolean): PairDecoder {
    return new PairDecoder(new ScriptedSequence(expertModel), new ScriptedSequence(twin ? expertModel : amateurModel), scriptedTokenText());
}

test("acceptance by draft position and mean acceptance length follow the rounds' counts", async () => {
    for (const twin of [true, false]) {
        const {stats} = await decoder(twin).generate(prompt, {mode: "scd", gamma: 3, temperature: 1, maxTokens: 40, seed: 5});
        assert.equal(stats.meanAcceptanceLength, 1 + stats.acceptedTokens / stats.rounds);
        assert.equal(stats.meanAcceptedLength, stats.acceptedTokens / stats.rounds);
        assert.ok(stats.acceptanceByPosition.length >= 1 && stats.acceptanceByPosition.length <= 3);
        assert.ok(stats.acceptanceByPosition.every((share) => share >= 0 && share <= 1));
        // A twin's drafts are all accepted, but for a round cut short by the end of the answer (an end-of-text token).
        if (twin)
            assert.ok(
                stats.acceptanceByPosition.every((share) => share >= 0.8),
                JSON.stringify(stats.acceptanceByPosition)
            );
        assert.equal(stats.acceptanceRate, stats.acceptedTokens / stats.draftedTokens);
    }
});

test("the plain steps of the expert alone and of cd are counted and timed; speculative rounds are not", async () => {
    const expert = (await decoder(false).generate(prompt, {mode: "expert", temperature: 0, maxTokens: 20, seed: 1})).stats;
    // The first token comes from the prompt's batch; every later one from a plain step.
    assert.equal(expert.measuredSteps.expert.steps, expert.generatedTokens - 1);
    assert.ok(expert.measuredSteps.expert.ms > 0);
    assert.equal(expert.measuredSteps.cd.steps, 0);
    const cd = (await decoder(false).generate(prompt, {mode: "cd", temperature: 1, maxTokens: 20, seed: 1})).stats;
    assert.equal(cd.measuredSteps.cd.steps, cd.generatedTokens - 1);
    assert.equal(cd.measuredSteps.expert.steps, 0);
    const scd = (await decoder(true).generate(prompt, {mode: "scd", gamma: 3, temperature: 0, maxTokens: 20, seed: 1})).stats;
    assert.deepEqual(scd.measuredSteps, {expert: {steps: 0, ms: 0}, cd: {steps: 0, ms: 0}});
});
