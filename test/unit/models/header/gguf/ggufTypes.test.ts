// Tests for ggufTypes.ts: GGML type ids, block layouts and tensor byte sizes.
import {test} from "node:test";
import assert from "node:assert/strict";
import {
    GgmlType,
    GgufValueType,
    ggmlTypeInfo,
    ggmlTypeName,
    ggufValueTypeSize,
    tensorByteSize
} from "../../../../../src-main/models/header/gguf/ggufTypes.ts";

test("GGML type ids match ggml.h", () => {
    assert.equal(GgmlType.F32, 0);
    assert.equal(GgmlType.Q8_0, 8);
    assert.equal(GgmlType.Q6_K, 14);
    assert.equal(GgmlType.IQ4_XS, 23);
    assert.equal(GgmlType.BF16, 30);
    assert.equal(GgmlType.TQ2_0, 35);
    assert.equal(GgmlType.MXFP4, 39);
});

test("block layouts of common types", () => {
    assert.deepEqual(ggmlTypeInfo(GgmlType.Q4_0), {name: "Q4_0", blockSize: 32, bytesPerBlock: 18});
    assert.deepEqual(ggmlTypeInfo(GgmlType.Q4_K), {name: "Q4_K", blockSize: 256, bytesPerBlock: 144});
    assert.deepEqual(ggmlTypeInfo(GgmlType.Q6_K), {name: "Q6_K", blockSize: 256, bytesPerBlock: 210});
    assert.deepEqual(ggmlTypeInfo(GgmlType.MXFP4), {name: "MXFP4", blockSize: 32, bytesPerBlock: 17});
    assert.equal(ggmlTypeInfo(4), undefined, "Q4_2 was removed");
    assert.equal(ggmlTypeName(GgmlType.IQ2_XXS), "IQ2_XXS");
    assert.equal(ggmlTypeName(99), "type 99");
});

test("tensorByteSize", () => {
    assert.equal(tensorByteSize(GgmlType.F32, [64, 512]), 64 * 512 * 4);
    assert.equal(tensorByteSize(GgmlType.F16, [8, 32000]), 512000);
    assert.equal(tensorByteSize(GgmlType.Q8_0, [4096, 11008]), (4096 / 32) * 34 * 11008);
    assert.equal(tensorByteSize(GgmlType.Q4_K, [4096n, 4096n]), (4096 / 256) * 144 * 4096);
    assert.equal(tensorByteSize(GgmlType.F32, []), 4, "a scalar");
    assert.equal(tensorByteSize(GgmlType.F32, [0, 7]), 0);
    assert.equal(tensorByteSize(GgmlType.Q4_0, [33, 2]), undefined, "row not a whole number of blocks");
    assert.equal(tensorByteSize(99, [8]), undefined, "unknown type");
    assert.equal(tensorByteSize(GgmlType.F32, [-1]), undefined);
    assert.equal(tensorByteSize(GgmlType.F32, [2 ** 40, 2 ** 20]), undefined, "beyond safe integers");
});

test("GGUF value type sizes", () => {
    assert.equal(ggufValueTypeSize(GgufValueType.UINT8), 1);
    assert.equal(ggufValueTypeSize(GgufValueType.BOOL), 1);
    assert.equal(ggufValueTypeSize(GgufValueType.FLOAT32), 4);
    assert.equal(ggufValueTypeSize(GgufValueType.INT64), 8);
    assert.equal(ggufValueTypeSize(GgufValueType.STRING), undefined);
    assert.equal(ggufValueTypeSize(GgufValueType.ARRAY), undefined);
});
