import assert from "node:assert/strict";
import {test} from "node:test";
import {checkPairCompatibility, type TokenizerFacts} from "../../../../src-main/models/header/compatibility.ts";
import {inspectPair} from "../../../../src-main/models/header/index.ts";
import {modelPath, randomLargeVocab, storyAmateurL3, storyAmateurL4, storyExpert} from "../../../helpers/models.ts";

const base: TokenizerFacts = {
    vocabularyType: "llama",
    tokens: ["<unk>", "<s>", "</s>", "a", "b", "c"],
    bosTokenId: 1,
    eosTokenId: 2,
    addBosToken: true
};

test("the shared story models pair with each other", async () => {
    for (const amateur of [storyAmateurL4, storyAmateurL3]) {
        const {report} = await inspectPair(modelPath(storyExpert), modelPath(amateur));
        assert.deepEqual(report, {compatible: true, failures: []});
    }
});

test("a story model and the Llama-2-vocabulary model are refused, naming each failed rule", async () => {
    const {report} = await inspectPair(modelPath(storyExpert), modelPath(randomLargeVocab));
    assert.equal(report.compatible, false);
    assert.deepEqual(
        report.failures.map((f) => f.rule),
        ["vocabularySize", "tokenTexts"]
    );
    assert.match(report.failures[0]!.message, /512 tokens and the amateur 32000/);
    assert.match(report.failures[1]!.message, /249 of the 512 shared token ids have different texts \(first: id 259/);
});

test("every rule fails on its own, and all failures are listed together", () => {
    const cases: [Partial<TokenizerFacts>, string[]][] = [
        [{vocabularyType: "gpt2"}, ["vocabularyType"]],
        [{tokens: [...base.tokens, ...new Array(129).fill("x")]}, ["vocabularySize"]],
        [{tokens: [...base.tokens, ...new Array(128).fill("x")]}, []],
        [{tokens: ["<unk>", "<s>", "</s>", "a", "B", "c"]}, ["tokenTexts"]],
        [{bosTokenId: 0}, ["bosEos"]],
        [{eosTokenId: undefined}, ["bosEos"]],
        [{addBosToken: false}, ["addBos"]],
        [{vocabularyType: "gpt2", bosTokenId: 3, addBosToken: false, tokens: ["x"]}, ["vocabularyType", "tokenTexts", "bosEos", "addBos"]]
    ];
    for (const [change, rules] of cases) {
        const report = checkPairCompatibility(base, {...base, ...change});
        assert.deepEqual(
            report.failures.map((f) => f.rule),
            rules,
            JSON.stringify(change)
        );
        assert.equal(report.compatible, rules.length === 0);
        for (const failure of report.failures) assert.ok(failure.message.length > 10);
    }
});
