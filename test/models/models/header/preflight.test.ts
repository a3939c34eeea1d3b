/**
 * GGUF files our reader accepts but llama.cpp cannot load. The header values llama.cpp asserts on (which
 * abort the process with SIGABRT) are refused by checkLoadable with the file and the key; llama.cpp's own load
 * errors come back from loadModelPair as one GgufError naming the file and llama.cpp's reason, with nothing
 * printed. Fixtures: stories260K with one thing changed, written to a temp folder.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import {join} from "node:path";
import {GgufError, getStringArray, readGguf} from "../../../../src-main/models/header/index.ts";
import {GgufValueType} from "../../../../src-main/models/header/gguf/ggufTypes.ts";
import {loadModelPair} from "../../../../src-main/models/runtime/modelPair.ts";
import {checkLoadable, loadProblems} from "../../../../src-main/models/header/preflight.ts";
import {writeEditedModel, type ModelEdit} from "../../../helpers/editedModels.ts";
import {makeTempDir, modelPath, STORIES, STORIES_L4} from "../../../helpers/sharedModels.ts";

let dir = "";
let cleanup: () => Promise<void> = async () => {};
before(async () => ({dir, cleanup} = await makeTempDir("tandem-preflight-")));
after(() => cleanup());

async function edited(name: string, edit: ModelEdit): Promise<string> {
    return writeEditedModel(modelPath(STORIES), join(dir, `${name}.gguf`), edit);
}

async function refusal(path: string): Promise<string> {
    const file = await readGguf(path);
    try {
        checkLoadable(file);
    } catch (error) {
        assert.ok(error instanceof GgufError);
        assert.equal(error.kind, "unloadable");
        assert.equal(error.path, path);
        return error.message;
    }
    assert.fail(`${path} passed the preflight`);
}

test("the shared models pass", async () => {
    for (const name of [STORIES, STORIES_L4]) assert.deepEqual(loadProblems(await readGguf(modelPath(name))), []);
});

test("header values llama.cpp asserts on are refused with the file and the key", async () => {
    // A vocabulary with one text twice (id 300 renamed to id 260's text): GGML_ASSERT in llama-vocab.cpp.
    const duplicatedTokens = [...getStringArray(await readGguf(modelPath(STORIES)), "tokenizer.ggml.tokens")!];
    duplicatedTokens[300] = "he";
    assert.equal(duplicatedTokens.indexOf("he"), 260);
    const cases: [string, ModelEdit, RegExp][] = [
        ["heads0", {set: {"llama.attention.head_count": 0}}, /llama\.attention\.head_count is 0, but the layer has attention weights$/],
        ["kvheads0", {set: {"llama.attention.head_count_kv": 0}}, /llama\.attention\.head_count_kv is 0/],
        ["blocks0", {set: {"llama.block_count": 0}}, /llama\.block_count is 0; llama\.cpp takes 1 to 512 layers$/],
        ["blocks-absurd", {set: {"llama.block_count": 4_000_000}}, /llama\.block_count is 4000000/],
        [
            "eps-nan",
            {set: {"llama.attention.layer_norm_rms_epsilon": NaN}},
            /layer_norm_rms_epsilon is NaN; a norm's epsilon must be a finite number ≥ 0$/
        ],
        ["eps-negative", {set: {"llama.attention.layer_norm_rms_epsilon": -1}}, /layer_norm_rms_epsilon is -1/],
        ["context-huge", {set: {"llama.context_length": 2 ** 32 - 1}}, /llama\.context_length is 4294967295; llama\.cpp reads 1 to 2147483647$/],
        [
            "heads-too-many",
            {set: {"llama.attention.head_count": 100}},
            /head_count is 100, more than llama\.embedding_length 64, so each head would have 0 dimensions/
        ],
        [
            "unknown-type",
            {retype: {tensor: "output_norm.weight", type: 99}},
            /tensor output_norm\.weight has GGML type 99, which llama\.cpp does not know$/
        ],
        ["no-vocabulary", {remove: ["tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"]}, /it has no vocabulary/],
        [
            "duplicate-token",
            {set: {"tokenizer.ggml.tokens": {itemType: GgufValueType.STRING, items: duplicatedTokens}}},
            /its vocabulary lists the token "he" twice \(ids 260 and 300\)$/
        ]
    ];
    for (const [name, edit, pattern] of cases) {
        const path = await edited(name, edit);
        const message = await refusal(path);
        assert.ok(message.startsWith(`${path}: llama.cpp cannot load this model: `), message);
        assert.match(message, pattern);
    }
});

test("llama.cpp's own load errors come back as one line with the file and the reason", async () => {
    const cases: [string, ModelEdit, RegExp][] = [
        ["unknown-arch", {set: {"general.architecture": "frobnicate"}}, /unknown model architecture: 'frobnicate'$/],
        ["missing-tensor", {dropTensors: ["blk.2.attn_q.weight"]}, /missing tensor 'blk\.2\.attn_q\.weight'$/]
    ];
    for (const [name, edit, pattern] of cases) {
        const path = await edited(name, edit);
        const load = loadModelPair({expertPath: path, amateurPath: path, gpu: false, threads: 1, contextSize: 64});
        await assert.rejects(load, (error: unknown) => {
            assert.ok(error instanceof GgufError, String(error));
            assert.equal(error.kind, "unloadable");
            assert.ok(error.message.startsWith(`${path}: llama.cpp cannot load this model: `), error.message);
            assert.match(error.message, pattern);
            assert.doesNotMatch(error.message, /\n/);
            return true;
        });
    }
});
