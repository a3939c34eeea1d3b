// Tests for ggufWriter.ts: byte-identical rewrites of the shared models, exact value types, layout and errors.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {access, readFile, stat} from "node:fs/promises";
import {join} from "node:path";
import {findTensor, getStringArray, readGguf, typedMetadata} from "../../../../src-main/models/header/index.ts";
import {copyTensors, readTensorBytes} from "../../../../tools/gguf/ggufTensorData.ts";
import {GgmlType, GgufValueType} from "../../../../src-main/models/header/gguf/ggufTypes.ts";
import {gguf} from "../../../../src-main/models/header/gguf/ggufValues.ts";
import type {GgufTypedValue} from "../../../../src-main/models/header/gguf/ggufValues.ts";
import {layoutGguf, writeGguf} from "../../../../tools/gguf/ggufWriter.ts";
import {makeTempDir, modelPath, sha256Of, STORIES, TINY_RANDOM} from "../../../helpers/sharedModels.ts";

let dir = "";
let cleanup: () => Promise<void> = async () => {};
before(async () => ({dir, cleanup} = await makeTempDir()));
after(() => cleanup());

for (const name of [STORIES, TINY_RANDOM]) {
    test(`reading ${name} and writing it back gives the same bytes`, async () => {
        const file = await readGguf(modelPath(name));
        const out = join(dir, `rewrite-${name}`);
        const layout = await writeGguf(out, {metadata: typedMetadata(file), tensors: copyTensors(file), alignment: file.alignment});
        assert.equal(layout.dataOffset, file.dataOffset);
        assert.equal(layout.fileSize, file.fileSize);
        assert.equal(await sha256Of(out), await sha256Of(modelPath(name)));
    });
}

test("tensor data given as buffers, sync chunks and async chunks", async () => {
    const file = await readGguf(modelPath(STORIES));
    const buffers = await Promise.all(file.tensors.map((tensor) => readTensorBytes(file, tensor)));
    const tensors = file.tensors.map((tensor, i) => {
        const bytes = buffers[i]!;
        const half = Math.floor(bytes.length / 2);
        const data =
            i % 3 === 0
                ? bytes
                : i % 3 === 1
                  ? () => [bytes.subarray(0, half), bytes.subarray(half)]
                  : () =>
                        (async function* () {
                            yield bytes.subarray(0, 3);
                            yield bytes.subarray(3);
                        })();
        return {name: tensor.name, dims: tensor.dims, type: tensor.type, data};
    });
    const out = join(dir, "from-buffers.gguf");
    await writeGguf(out, {metadata: typedMetadata(file), tensors});
    assert.equal(await sha256Of(out), await sha256Of(modelPath(STORIES)));
});

test("every value type keeps its exact type and value", async () => {
    const metadata = new Map<string, GgufTypedValue>([
        ["general.architecture", gguf.string("test")],
        ["t.u8", gguf.uint8(255)],
        ["t.i8", gguf.int8(-128)],
        ["t.u16", gguf.uint16(65535)],
        ["t.i16", gguf.int16(-32768)],
        ["t.u32", gguf.uint32(4294967295)],
        ["t.i32", gguf.int32(-2147483648)],
        ["t.f32", gguf.float32(0.1)],
        ["t.f64", gguf.float64(0.1)],
        ["t.u64", gguf.uint64(0xffff_ffff_ffff_ffffn)],
        ["t.i64", gguf.int64(-(2n ** 63n))],
        ["t.bool", gguf.bool(true)],
        ["t.str", gguf.string("héllo ▁wörld \u{1F600}")],
        ["t.empty", gguf.string("")],
        ["t.arr.u8", gguf.array(GgufValueType.UINT8, new Uint8Array([1, 2, 3]))],
        ["t.arr.i16", gguf.array(GgufValueType.INT16, [-1, 2, -3])],
        ["t.arr.u64", gguf.array(GgufValueType.UINT64, [1n, 2n ** 64n - 1n])],
        ["t.arr.f64", gguf.array(GgufValueType.FLOAT64, new Float64Array([Math.PI, -0]))],
        ["t.arr.bool", gguf.array(GgufValueType.BOOL, [true, false, true])],
        ["t.arr.str", gguf.array(GgufValueType.STRING, ["a", "", "ü"])],
        ["t.arr.empty", gguf.array(GgufValueType.STRING, [])],
        [
            "t.arr.nested",
            gguf.array(GgufValueType.ARRAY, [
                {itemType: GgufValueType.INT32, items: new Int32Array([7, 8])},
                {itemType: GgufValueType.STRING, items: ["x"]}
            ])
        ]
    ]);
    const out = join(dir, "values.gguf");
    await writeGguf(out, {metadata, tensors: []});
    const file = await readGguf(out);
    assert.deepEqual([...file.metadata.keys()], [...metadata.keys()], "key order is kept");
    for (const [key, typed] of metadata) assert.equal(file.metadataTypes.get(key), typed.type, key);
    const value = (key: string) => file.metadata.get(key);
    assert.equal(value("t.u8"), 255);
    assert.equal(value("t.i8"), -128);
    assert.equal(value("t.u16"), 65535);
    assert.equal(value("t.i16"), -32768);
    assert.equal(value("t.u32"), 4294967295);
    assert.equal(value("t.i32"), -2147483648);
    assert.equal(value("t.f32"), Math.fround(0.1));
    assert.equal(value("t.f64"), 0.1);
    assert.equal(value("t.u64"), 0xffff_ffff_ffff_ffffn);
    assert.equal(value("t.i64"), -(2n ** 63n));
    assert.equal(value("t.bool"), true);
    assert.equal(value("t.str"), "héllo ▁wörld \u{1F600}");
    assert.equal(value("t.empty"), "");
    assert.deepEqual(value("t.arr.u8"), {itemType: GgufValueType.UINT8, items: new Uint8Array([1, 2, 3])});
    assert.deepEqual(value("t.arr.i16"), {itemType: GgufValueType.INT16, items: new Int16Array([-1, 2, -3])});
    assert.deepEqual(value("t.arr.u64"), {itemType: GgufValueType.UINT64, items: new BigUint64Array([1n, 2n ** 64n - 1n])});
    assert.deepEqual(value("t.arr.f64"), {itemType: GgufValueType.FLOAT64, items: new Float64Array([Math.PI, -0])});
    assert.deepEqual(value("t.arr.bool"), {itemType: GgufValueType.BOOL, items: [true, false, true]});
    assert.deepEqual(value("t.arr.str"), {itemType: GgufValueType.STRING, items: ["a", "", "ü"]});
    assert.deepEqual(value("t.arr.empty"), {itemType: GgufValueType.STRING, items: []});
    assert.deepEqual(value("t.arr.nested"), {
        itemType: GgufValueType.ARRAY,
        items: [
            {itemType: GgufValueType.INT32, items: new Int32Array([7, 8])},
            {itemType: GgufValueType.STRING, items: ["x"]}
        ]
    });

    const again = join(dir, "values-again.gguf");
    await writeGguf(again, {metadata: typedMetadata(file), tensors: []});
    assert.equal(await sha256Of(again), await sha256Of(out), "read -> write reproduces the bytes");
});

test("tensors are aligned, padded with zeros, and a custom alignment is honoured", async () => {
    const metadata = new Map([["general.alignment", gguf.uint32(64)]]);
    const tensors = [
        {name: "a", dims: [3], type: GgmlType.F32, data: Buffer.alloc(12, 0xaa)},
        {name: "b", dims: [2, 2], type: GgmlType.F16, data: Buffer.alloc(8, 0xbb)},
        {name: "c", dims: [32], type: GgmlType.Q8_0, data: Buffer.alloc(34, 0xcc)}
    ];
    const out = join(dir, "aligned.gguf");
    const layout = await writeGguf(out, {metadata, tensors});
    assert.deepEqual(layout.tensors, [
        {offset: 0, byteSize: 12},
        {offset: 64, byteSize: 8},
        {offset: 128, byteSize: 34}
    ]);
    assert.equal(layout.dataOffset % 64, 0);
    assert.equal(layout.fileSize, layout.dataOffset + 192);
    const bytes = await readFile(out);
    assert.equal(bytes.length, layout.fileSize);
    assert.ok(bytes.subarray(layout.dataOffset + 12, layout.dataOffset + 64).every((b) => b === 0));
    assert.ok(bytes.subarray(layout.dataOffset + 128 + 34).every((b) => b === 0));
    const file = await readGguf(out);
    assert.equal(file.alignment, 64);
    assert.deepEqual(await readTensorBytes(file, findTensor(file, "c")!), Buffer.alloc(34, 0xcc));
});

test("wrong inputs are refused with clear errors and leave no partial file", async () => {
    const tensor = {name: "w", dims: [4], type: GgmlType.F32, data: Buffer.alloc(15)};
    const out = join(dir, "refused.gguf");
    await assert.rejects(writeGguf(out, {metadata: new Map(), tensors: [tensor]}), /tensor w produced 15 bytes, expected 16/);
    await assert.rejects(access(out), "the partial file is removed");
    assert.throws(() => layoutGguf({metadata: new Map([["k", gguf.uint8(256)]]), tensors: []}), /"k": 256 does not fit in a UINT8/);
    assert.throws(() => layoutGguf({metadata: new Map([["k", gguf.uint32(1.5)]]), tensors: []}), /"k" is typed UINT32 but its value is a number/);
    assert.throws(
        () => layoutGguf({metadata: new Map([["k", {type: GgufValueType.STRING, value: 3}]]), tensors: []}),
        /typed STRING but its value is a number/
    );
    assert.throws(
        () => layoutGguf({metadata: new Map([["k", gguf.array(GgufValueType.UINT32, new Float32Array(2))]]), tensors: []}),
        /a Float32Array cannot hold UINT32 items/
    );
    assert.throws(
        () => layoutGguf({metadata: new Map(), tensors: [{name: "q", dims: [33], type: GgmlType.Q4_0, data: Buffer.alloc(0)}]}),
        /size of a Q4_0 tensor of shape \[33\] is unknown/
    );
    assert.throws(() => layoutGguf({metadata: new Map(), tensors: [tensor, tensor]}), /tensor w is listed twice/);
    assert.throws(() => layoutGguf({metadata: new Map(), tensors: [], alignment: 64}), /needs general.alignment/);
    assert.throws(() => layoutGguf({metadata: new Map([["general.alignment", gguf.uint32(48)]]), tensors: []}), /48 is not a power of two/);
});

test("a 150k-token vocabulary parses in well under a second", async (t) => {
    const vocab = 150_000;
    const tokens = Array.from({length: vocab}, (_, i) => `tok_${i.toString(36)}_▁x`);
    const merges = Array.from({length: vocab}, (_, i) => `a${i % 977} b${i % 1013}`);
    const metadata = new Map<string, GgufTypedValue>([
        ["general.architecture", gguf.string("llama")],
        ["tokenizer.ggml.model", gguf.string("gpt2")],
        ["tokenizer.ggml.tokens", gguf.array(GgufValueType.STRING, tokens)],
        [
            "tokenizer.ggml.scores",
            gguf.array(
                GgufValueType.FLOAT32,
                Float32Array.from({length: vocab}, (_, i) => -i)
            )
        ],
        ["tokenizer.ggml.token_type", gguf.array(GgufValueType.INT32, new Int32Array(vocab).fill(1))],
        ["tokenizer.ggml.merges", gguf.array(GgufValueType.STRING, merges)]
    ]);
    const out = join(dir, "big-vocab.gguf");
    await writeGguf(out, {metadata, tensors: [{name: "x", dims: [4], type: GgmlType.F32, data: Buffer.alloc(16)}]});
    assert.ok((await stat(out)).size > 4_000_000);
    await readGguf(out);
    const start = performance.now();
    const file = await readGguf(out);
    const ms = performance.now() - start;
    const read = getStringArray(file, "tokenizer.ggml.tokens")!;
    assert.equal(read.length, vocab);
    assert.equal(read[123_456], tokens[123_456]);
    assert.equal(getStringArray(file, "tokenizer.ggml.merges")![149_999], merges[149_999]);
    assert.ok(ms < 500, `parsing took ${ms.toFixed(0)} ms`);
    t.diagnostic(`150k-token vocabulary with scores, types and 150k merges parsed in ${ms.toFixed(1)} ms`);
});
