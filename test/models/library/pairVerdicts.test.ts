/**
 * Pair verdicts from the real headers, before anything loads: the story expert with its early-exit amateurs
 * (compatible, same family, smallest first) and with llama-2-tiny-random (refused, every failed rule named in
 * words); an amateur not smaller than the expert is flagged; the fit estimate adds up the header's sizes.
 */
import assert from "node:assert/strict";
import test from "node:test";
import {getStringArray, readGguf} from "../../../src-main/models/header/index.ts";
import {MemoryRows, sharedModel, sharedModelsDir, tempDir, testLibrary} from "./libraryFixtures.ts";

test("the story expert: L3 and L4 compatible (smallest first), llama-2-tiny-random refused with its rules", async () => {
    await using temp = await tempDir("verdicts");
    const rows = new MemoryRows();
    rows.folders.push(sharedModelsDir);
    const {library} = testLibrary(temp.dir, {rows});
    await library.scan();
    const verdicts = await library.pairVerdicts(sharedModel("stories260K.gguf"));
    assert.equal(verdicts.expertProblem, undefined);
    assert.deepEqual(
        verdicts.compatible.map((v) => v.amateurPath),
        [sharedModel("stories260K-L3-earlyexit.gguf"), sharedModel("stories260K-L4-earlyexit.gguf")]
    );
    for (const verdict of verdicts.compatible) {
        assert.equal(verdict.sameFamily, true);
        assert.equal(verdict.notSmaller, false);
        assert.match(verdict.summary, /^compatible · same family · \d+% smaller$/);
    }
    assert.equal(verdicts.incompatible.length, 1);
    const random = verdicts.incompatible[0]!;
    assert.equal(random.amateurPath, sharedModel("llama-2-tiny-random.gguf"));
    assert.deepEqual(
        random.failures.map((f) => f.rule),
        ["vocabularySize", "tokenTexts"]
    );
    assert.match(
        random.failures[0]!.message,
        /^vocabularies differ by 31,488 ids \(512 in the expert, 32,000 in the amateur; at most 128 apart can pair\)$/
    );
    // PROVENANCE.md: only the first 259 ids (<unk>, <s>, </s> and the byte tokens) are the same.
    const [story, tiny] = await Promise.all([readGguf(sharedModel("stories260K.gguf")), readGguf(sharedModel("llama-2-tiny-random.gguf"))]);
    const storyTokens = getStringArray(story, "tokenizer.ggml.tokens")!;
    const tinyTokens = getStringArray(tiny, "tokenizer.ggml.tokens")!;
    const differing = storyTokens.filter((token, id) => token !== tinyTokens[id]).length;
    assert.equal(
        storyTokens.findIndex((token, id) => token !== tinyTokens[id]),
        259
    );
    assert.equal(
        random.failures[1]!.message,
        `the vocabularies are different: token 259 is "${storyTokens[259]}" in the expert but "${tinyTokens[259]}" ` +
            `in the amateur (${differing} of 512 shared ids differ)`
    );

    const reversed = await library.checkPair({
        expertPath: sharedModel("stories260K-L3-earlyexit.gguf"),
        amateurPath: sharedModel("stories260K.gguf")
    });
    assert.equal(reversed.compatible, true);
    assert.match(reversed.warnings?.[0] ?? "", /the amateur \(293K\) is not smaller than the expert \(202K\)/);

    const fit = await library.estimateFit(
        {expertPath: sharedModel("stories260K.gguf"), amateurPath: sharedModel("stories260K-L4-earlyexit.gguf")},
        1024
    );
    assert.equal(fit.method, "header");
    // stories260K: 5 layers × 4 KV heads × (8 + 8) dims × 2 bytes per token; L4: 4 layers.
    const expertKv = 5 * 4 * 16 * 2 * 1024;
    const amateurKv = 4 * 4 * 16 * 2 * 1024;
    assert.ok(
        fit.perModel.expert.ramBytes > expertKv + 1_000_000 && fit.perModel.expert.ramBytes < 1_185_376 + expertKv + 512 * 4 * 512 + 1,
        String(fit.perModel.expert.ramBytes)
    );
    assert.equal(fit.ramBytes, fit.perModel.expert.ramBytes + fit.perModel.amateur.ramBytes);
    assert.ok(fit.perModel.amateur.ramBytes - amateurKv < fit.perModel.expert.ramBytes - expertKv);
    assert.equal(fit.verdict, "fits");
    assert.match(fit.summary, /estimate from the model headers/);
    await library.close();
});

test("a bad expert gets its reason and no verdicts", async () => {
    await using temp = await tempDir("verdict-bad");
    const {writeFile} = await import("node:fs/promises");
    const bad = `${temp.dir}/bad.gguf`;
    await writeFile(bad, "not a model");
    const {library} = testLibrary(temp.dir);
    const verdicts = await library.pairVerdicts(bad);
    assert.match(verdicts.expertProblem ?? "", /not a GGUF model file/);
    assert.deepEqual([verdicts.compatible, verdicts.incompatible], [[], []]);
    const check = await library.checkPair({expertPath: sharedModel("stories260K.gguf"), amateurPath: bad});
    assert.match(check.fileProblem ?? "", /^the amateur bad\.gguf: /);
    await library.close();
});
