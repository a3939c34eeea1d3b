// Tests for ggufReader.ts on the shared model files: metadata, value types, tensor infos and getters.
import {test} from "node:test";
import assert from "node:assert/strict";
import {
    findTensor,
    getArchNumber,
    getArchitecture,
    getArray,
    getNumber,
    getNumberArray,
    getString,
    getStringArray,
    GgufError,
    readGguf,
    validateGgufFile
} from "../../../../../src-main/models/header/index.ts";
import {readTensorBytes} from "../../../../../tools/gguf/ggufTensorData.ts";
import {GgmlType, GgufValueType} from "../../../../../src-main/models/header/gguf/ggufTypes.ts";
import {modelPath, PROVENANCE_SHA256, sha256Of, STORIES, STORIES_L3, STORIES_L4, TINY_RANDOM} from "../../../../helpers/sharedModels.ts";

test("the shared model files are the ones PROVENANCE.md describes", async () => {
    for (const [name, sha256] of Object.entries(PROVENANCE_SHA256)) {
        assert.equal(await sha256Of(modelPath(name)), sha256, name);
    }
});

const EXPECTED = [
    {name: STORIES, blocks: 5, vocab: 512, tensors: 48, size: 1_185_376},
    {name: STORIES_L4, blocks: 4, vocab: 512, tensors: 39, size: 1_003_136},
    {name: STORIES_L3, blocks: 3, vocab: 512, tensors: 30, size: 820_832},
    {name: TINY_RANDOM, blocks: 1, vocab: 32000, tensors: 12, size: 1_750_560}
];

for (const expected of EXPECTED) {
    test(`metadata of ${expected.name}`, async () => {
        const file = await readGguf(modelPath(expected.name));
        assert.equal(file.version, 3);
        assert.equal(file.fileSize, expected.size);
        assert.equal(file.alignment, 32);
        assert.equal(file.dataOffset % 32, 0);
        assert.ok(file.dataOffset >= file.headerEnd && file.dataOffset - file.headerEnd < 32);
        assert.equal(getArchitecture(file), "llama");
        assert.equal(getNumber(file, "llama.block_count"), expected.blocks);
        assert.equal(getArchNumber(file, "block_count"), expected.blocks);
        assert.equal(file.metadataTypes.get("llama.block_count"), GgufValueType.UINT32);
        assert.equal(getString(file, "tokenizer.ggml.model"), "llama");
        assert.equal(getNumber(file, "tokenizer.ggml.bos_token_id"), 1);
        assert.equal(getNumber(file, "tokenizer.ggml.eos_token_id"), 2);
        assert.equal(getNumber(file, "tokenizer.ggml.unknown_token_id"), 0);
        const tokens = getStringArray(file, "tokenizer.ggml.tokens")!;
        assert.equal(tokens.length, expected.vocab);
        assert.deepEqual(tokens.slice(0, 4), ["<unk>", "<s>", "</s>", "<0x00>"]);
        const scores = getArray(file, "tokenizer.ggml.scores")!;
        assert.equal(scores.itemType, GgufValueType.FLOAT32);
        assert.ok(scores.items instanceof Float32Array);
        assert.equal(scores.items.length, expected.vocab);
        const tokenTypes = getArray(file, "tokenizer.ggml.token_type")!;
        assert.equal(tokenTypes.itemType, GgufValueType.INT32);
        assert.ok(tokenTypes.items instanceof Int32Array);
        assert.equal(getNumberArray(file, "tokenizer.ggml.token_type")![1], 3, "<s> is a CONTROL token");
        assert.equal(file.tensors.length, expected.tensors);
        assert.equal(getString(file, "no.such.key"), undefined);
        assert.equal(getNumber(file, "no.such.key"), undefined);
        assert.equal(getStringArray(file, "no.such.key"), undefined);
    });
}

test("tensor infos of stories260K", async () => {
    const file = await readGguf(modelPath(STORIES));
    const embd = findTensor(file, "token_embd.weight")!;
    assert.deepEqual(embd.dims, [64, 512]);
    assert.equal(embd.type, GgmlType.F32);
    assert.equal(embd.offset, 0);
    assert.equal(embd.byteSize, 64 * 512 * 4);
    assert.deepEqual(findTensor(file, "blk.0.ffn_gate.weight")!.dims, [64, 172], "[n_embd, n_ff]");
    assert.deepEqual(findTensor(file, "blk.0.ffn_up.weight")!.dims, [64, 172]);
    assert.deepEqual(findTensor(file, "blk.0.ffn_down.weight")!.dims, [172, 64], "[n_ff, n_embd]");
    assert.ok(file.tensors.every((t) => t.type === GgmlType.F32));
    const last = file.tensors.at(-1)!;
    assert.equal(file.dataOffset + last.offset + last.byteSize!, file.fileSize);
    assert.equal(findTensor(file, "blk.5.attn_q.weight"), undefined);
    const norm = await readTensorBytes(file, findTensor(file, "output_norm.weight")!);
    assert.equal(norm.length, 256);
    assert.ok(new Float32Array(norm.buffer, norm.byteOffset, 64).every(Number.isFinite));
});

test("llama-2-tiny-random: F16 matrices, F32 norms, file_type 1", async () => {
    const file = await readGguf(modelPath(TINY_RANDOM));
    assert.equal(getNumber(file, "general.file_type"), 1);
    assert.equal(findTensor(file, "token_embd.weight")!.type, GgmlType.F16);
    assert.equal(findTensor(file, "output_norm.weight")!.type, GgmlType.F32);
    assert.equal(getStringArray(file, "tokenizer.ggml.tokens")![259], "▁▁");
});

test("getters throw a clear GgufError for a value of the wrong kind", async () => {
    const file = await readGguf(modelPath(STORIES));
    assert.throws(
        () => getString(file, "llama.block_count"),
        (error: unknown) => error instanceof GgufError && /"llama\.block_count" holding a UINT32, expected a string/.test(error.message)
    );
    assert.throws(() => getStringArray(file, "tokenizer.ggml.scores"), /holding an array of FLOAT32, expected an array of strings/);
    assert.throws(() => getNumber(file, "tokenizer.ggml.model"), /expected a number/);
});

test("validateGgufFile returns the parsed header of a good file", async () => {
    const file = await validateGgufFile(modelPath(STORIES_L3));
    assert.equal(getNumber(file, "llama.block_count"), 3);
});
