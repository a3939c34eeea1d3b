// Tests for the reader's GgufError cases, on bad files written to a temp folder.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {mkdir, readFile, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {GgufError, readGguf, validateGgufFile} from "../../../../../src-main/models/header/index.ts";
import type {GgufErrorKind} from "../../../../../src-main/models/header/index.ts";
import {makeTempDir, modelPath, STORIES} from "../../../../helpers/sharedModels.ts";

let dir = "";
let cleanup: () => Promise<void> = async () => {};
let stories: Buffer = Buffer.alloc(0);

before(async () => {
    ({dir, cleanup} = await makeTempDir());
    stories = await readFile(modelPath(STORIES));
});
after(() => cleanup());

/** Writes `bytes` to a temp file and returns its path. */
async function badFile(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return path;
}

async function expectGgufError(path: string, kind: GgufErrorKind, message: RegExp | string): Promise<GgufError> {
    let caught: unknown;
    try {
        await validateGgufFile(path);
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof GgufError, `expected a GgufError, got ${String(caught)}`);
    assert.equal(caught.kind, kind, caught.message);
    assert.equal(caught.path, path);
    if (typeof message === "string") assert.equal(caught.message, message);
    else assert.match(caught.message, message);
    return caught;
}

/** Offset of the uint64 item count of the first metadata array (stories260K starts with tokenizer.ggml.tokens). */
function firstArrayCountOffset(file: Buffer): number {
    const keyLength = Number(file.readBigUInt64LE(24));
    assert.equal(file.toString("utf8", 32, 32 + keyLength), "tokenizer.ggml.tokens");
    return 32 + keyLength + 4 + 4;
}

test("a missing path", async () => {
    const path = join(dir, "nope.gguf");
    await expectGgufError(path, "missing", `${path} does not exist`);
});

test("a directory", async () => {
    const path = join(dir, "a-folder.gguf");
    await mkdir(path);
    await expectGgufError(path, "notFile", `${path} is a directory, not a GGUF model file`);
});

test("a zip file", async () => {
    const path = await badFile("model.zip", Buffer.from("PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip archive", "latin1"));
    await expectGgufError(path, "notGguf", `${path} is not a GGUF model file (it starts with "PK\\x03\\x04", expected "GGUF")`);
});

test("an empty file", async () => {
    const path = await badFile("empty.gguf", Buffer.alloc(0));
    await expectGgufError(path, "notGguf", `${path} is empty (0 bytes), not a GGUF model file`);
});

test("a file shorter than the fixed header", async () => {
    const path = await badFile("tiny.gguf", stories.subarray(0, 10));
    await expectGgufError(path, "truncated", /is truncated: it has only 10 bytes, fewer than the 24 of a GGUF header$/);
});

test("a header truncated in the middle of the metadata", async () => {
    const path = await badFile("cut-header.gguf", stories.subarray(0, 3000));
    const error = await expectGgufError(path, "truncated", /is truncated: the file ends at byte 3000, inside its header/);
    assert.match(error.message, /tokenizer\.ggml\.tokens/);
});

test("a header truncated in the tensor infos", async () => {
    const path = await badFile("cut-infos.gguf", stories.subarray(0, 13000));
    await expectGgufError(path, "truncated", /inside its header \(.*tensor info/);
});

test("stories260K cut to half its size names a tensor", async () => {
    const half = Math.floor(stories.length / 2);
    const path = await badFile("half.gguf", stories.subarray(0, half));
    const error = await expectGgufError(
        path,
        "truncated",
        new RegExp(`is truncated: tensor blk\\.4\\.ffn_norm\\.weight ends at byte 1185376 but the file has ${half} bytes`)
    );
    assert.match(error.message, /\(\d+ of its 48 tensors reach past the end\)$/);
});

test("one byte missing at the end", async () => {
    const path = await badFile("short-by-one.gguf", stories.subarray(0, stories.length - 1));
    await expectGgufError(
        path,
        "truncated",
        `${path} is truncated: tensor blk.4.ffn_norm.weight ends at byte 1185376 but the file has 1185375 bytes`
    );
});

test("an absurd array length is corrupt, not an out-of-memory crash", async () => {
    const bytes = Buffer.from(stories);
    bytes.writeBigUInt64LE(0xffff_ffff_ffffn, firstArrayCountOffset(bytes));
    const path = await badFile("absurd-array.gguf", bytes);
    await expectGgufError(
        path,
        "corrupt",
        `${path} is a damaged GGUF file: metadata key "tokenizer.ggml.tokens" claims an array of 281474976710655 items`
    );
});

test("an absurd string length, an unknown value type and absurd counts are corrupt", async () => {
    const longString = Buffer.from(stories);
    longString.writeBigUInt64LE(0x7fff_ffff_ffff_ffffn, firstArrayCountOffset(stories) + 8);
    await expectGgufError(
        await badFile("absurd-string.gguf", longString),
        "corrupt",
        /item 0 of metadata key "tokenizer\.ggml\.tokens" claims a string of more than 2\^53 bytes/
    );

    const badType = Buffer.from(stories);
    badType.writeUInt32LE(77, firstArrayCountOffset(stories) - 8);
    await expectGgufError(await badFile("bad-type.gguf", badType), "corrupt", /"tokenizer\.ggml\.tokens" has unknown value type 77/);

    const manyTensors = Buffer.from(stories);
    manyTensors.writeBigUInt64LE(1n << 40n, 8);
    await expectGgufError(await badFile("many-tensors.gguf", manyTensors), "corrupt", /claims 1099511627776 tensors/);
});

test("unsupported versions", async () => {
    const v1 = Buffer.from(stories);
    v1.writeUInt32LE(1, 4);
    const path = await badFile("v1.gguf", v1);
    await expectGgufError(path, "unsupportedVersion", `${path} is GGUF version 1, which is not supported (only versions 2 and 3 are)`);

    const bigEndian = Buffer.from(stories);
    bigEndian.writeUInt32BE(3, 4);
    await expectGgufError(await badFile("be.gguf", bigEndian), "unsupportedVersion", /is a big-endian GGUF file \(version 3\)/);
});

test("readGguf reports the same kinds as validateGgufFile", async () => {
    await assert.rejects(readGguf(join(dir, "nope.gguf")), (error: unknown) => error instanceof GgufError && error.kind === "missing");
});
