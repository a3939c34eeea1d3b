/** The library in words (src-renderer/lib/libraryFormat.ts): facts, time left, a download's line, verdicts. */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {Download, LibraryModel} from "../../../src-shared/index.ts";
import {downloadFraction, downloadLine, formatEta, modelFacts, pairVerdictText, sourceStateText} from "../../../src-renderer/lib/libraryFormat.ts";

const download: Download = {
    id: "d",
    uri: "hf:org/repo/x.gguf",
    fileName: "x.gguf",
    dir: "/d",
    state: "downloading",
    downloadedBytes: 12 * 1024 * 1024,
    totalBytes: 40 * 1024 * 1024,
    bytesPerSecond: 3.2 * 1024 * 1024,
    etaSeconds: 8.7,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z"
};

test("a model's facts: every one the row shows, in order; a split model's parts", () => {
    const m: LibraryModel = {
        path: "/m/q.gguf",
        displayName: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        fileName: "q.gguf",
        sourceId: "s",
        sourceIds: ["s"],
        sizeBytes: 500 * 1024 * 1024,
        parts: 2,
        facts: {
            name: "Qwen2.5 0.5B Instruct",
            architecture: "qwen2",
            parameterCount: 494e6,
            sizeLabel: "0.5B",
            quantization: "Q8_0",
            vocabularyType: "gpt2",
            vocabularySize: 151936,
            trainingContext: 32768,
            chatTemplate: true,
            layers: 24
        }
    };
    assert.deepEqual(
        modelFacts(m).map((f) => `${f.label}=${f.value}`),
        [
            "name=Qwen2.5 0.5B Instruct",
            "architecture=qwen2",
            "parameters=0.5B",
            "quantization=Q8_0",
            "file size=500 MB in 2 parts",
            "vocabulary=151,936 (BPE)",
            "context=32,768 tokens",
            "chat template=yes"
        ]
    );
    const unreadable: LibraryModel = {
        path: "/m/b.gguf",
        displayName: "b.gguf",
        fileName: "b.gguf",
        sourceId: "s",
        sourceIds: ["s"],
        sizeBytes: 0,
        parts: 1,
        problem: "empty"
    };
    assert.deepEqual(
        modelFacts(unreadable).map((f) => f.label),
        ["file size"]
    );
});

test("time left and a download's line: bytes, speed, time left; other states in words", () => {
    assert.equal(formatEta(8.7), "9 s");
    assert.equal(formatEta(185), "3 min 05 s");
    assert.equal(formatEta(3720), "1 h 02 min");
    assert.equal(formatEta(null), "");
    assert.equal(downloadLine(download), "12.0 MB of 40.0 MB · 3.2 MB/s · 9 s left");
    assert.equal(downloadFraction(download), 0.3);
    assert.equal(downloadFraction({...download, totalBytes: null}), null);
    assert.equal(downloadLine({...download, state: "failed", error: "Not found: hf:org/repo/x.gguf (404)."}), "Not found: hf:org/repo/x.gguf (404).");
    assert.match(downloadLine({...download, state: "paused"}), /^Paused at 12\.0 MB of 40\.0 MB/);
    assert.equal(downloadLine({...download, state: "done"}), "Done: 40.0 MB, now in the library.");
});

test("the pair's verdict: every failed rule, or the warnings of a usable pair", () => {
    assert.equal(pairVerdictText(null).tone, "soft");
    const bad = pairVerdictText({
        compatible: false,
        failures: [
            {rule: "vocabularyType", message: "different tokenizer family (llama vs gpt2)"},
            {rule: "vocabularySize", message: "vocabularies differ by 31,488 ids (at most 128)"}
        ]
    });
    assert.equal(bad.tone, "bad");
    assert.deepEqual(bad.reasons, ["different tokenizer family (llama vs gpt2)", "vocabularies differ by 31,488 ids (at most 128)"]);
    const good = pairVerdictText({compatible: true, failures: [], warnings: ["the amateur is not smaller than the expert"]});
    assert.equal(good.tone, "good");
    assert.deepEqual(good.reasons, ["the amateur is not smaller than the expert"]);
    assert.equal(pairVerdictText({compatible: false, failures: [], fileProblem: "not a GGUF file"}).reasons[0], "not a GGUF file");
});

test("a source's state in words", () => {
    const source = {
        id: "x",
        kind: "folder",
        label: "f",
        path: "/f",
        enabled: true,
        removable: true,
        state: "ready",
        modelCount: 1,
        notes: []
    } as const;
    assert.equal(sourceStateText(source), "1 model");
    assert.equal(sourceStateText({...source, modelCount: 3}), "3 models");
    assert.equal(sourceStateText({...source, state: "error", problem: "permission denied"}), "permission denied");
});
