/**
 * Prompt formatting: raw completion (BOS + text) for models without a chat
 * template, and node-llama-cpp's chat wrappers for models with one. The templated model is the story model
 * rewritten with a ChatML template in its metadata (our GGUF writer), so the real wrapper code runs.
 */
import assert from "node:assert/strict";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, test} from "node:test";
import {LlamaCompletion, type LlamaModel} from "node-llama-cpp";
import {readGguf} from "../../../../src-main/models/header/index.ts";
import {typedMetadata} from "../../../../src-main/models/header/gguf/ggufMetadata.ts";
import {copyTensors} from "../../../../tools/gguf/ggufTensorData.ts";
import {gguf} from "../../../../src-main/models/header/gguf/ggufValues.ts";
import {writeGguf} from "../../../../tools/gguf/ggufWriter.ts";
import {getRuntime} from "../../../../src-main/models/runtime/llamaRuntime.ts";
import {chatPrompt, hasChatTemplate, rawPrompt} from "../../../../src-main/models/runtime/promptFormat.ts";
import {modelPath, storyExpert} from "../../../helpers/models.ts";

const chatMlTemplate =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let plain: LlamaModel;
let templated: LlamaModel;
before(async () => {
    const llama = await getRuntime(false, 1);
    plain = await llama.loadModel({modelPath: modelPath(storyExpert)});
    const source = await readGguf(modelPath(storyExpert));
    const metadata = typedMetadata(source);
    metadata.set("tokenizer.chat_template", gguf.string(chatMlTemplate));
    const templatedPath = path.join(mkdtempSync(path.join(tmpdir(), "tandem-chat-")), "stories-chatml.gguf");
    await writeGguf(templatedPath, {metadata, tensors: copyTensors(source), alignment: source.alignment});
    templated = await llama.loadModel({modelPath: templatedPath});
});
after(async () => {
    await plain.dispose();
    await templated.dispose();
});

test("raw completion is BOS + llama.cpp's own SentencePiece tokenization of the text", async () => {
    const {tokens, format} = rawPrompt(plain, "Once upon a time");
    assert.equal(format, "raw");
    assert.equal(tokens[0], plain.tokens.bos);
    // llama.cpp adds SentencePiece's dummy-prefix space, as in training: "▁Once" is one token.
    assert.deepEqual(tokens.slice(1), plain.tokenize("Once upon a time"));
    assert.equal(tokens.length, 5);
    assert.equal(plain.detokenize(tokens.slice(1) as never[]), "Once upon a time");
    // LlamaCompletion prepends the same BOS (it trims the dummy-prefix space, spelling "Once" as O·n·ce).
    const context = await plain.createContext({contextSize: 64, threads: 1});
    try {
        const sequence = context.getSequence();
        const completion = new LlamaCompletion({contextSequence: sequence});
        await completion.generateCompletion("Once upon a time", {maxTokens: 1, temperature: 0});
        assert.equal(sequence.contextTokens[0], tokens[0]);
        completion.dispose();
    } finally {
        await context.dispose();
    }
});

test("a model without a chat template gets raw completion for chat messages", () => {
    assert.equal(hasChatTemplate(plain), false);
    const prompt = chatPrompt(plain, [{role: "user", text: "Once upon a time"}]);
    assert.equal(prompt.format, "raw");
    assert.deepEqual(prompt.tokens, rawPrompt(plain, "Once upon a time").tokens);
});

test("a model with a chat template is formatted by node-llama-cpp's chat wrapper, with its stop triggers", () => {
    assert.equal(hasChatTemplate(templated), true);
    const prompt = chatPrompt(templated, [
        {role: "system", text: "Tell stories."},
        {role: "user", text: "Hello"},
        {role: "assistant", text: "Hi!"},
        {role: "user", text: "A story please"}
    ]);
    assert.equal(prompt.format, "chat");
    const text = templated.detokenize(prompt.tokens as never[], true);
    for (const part of ["<|im_start|>system", "Tell stories.", "<|im_start|>user", "Hello", "Hi!", "A story please"]) {
        assert.ok(text.includes(part), `${JSON.stringify(part)} in ${JSON.stringify(text)}`);
    }
    assert.ok(text.trimEnd().endsWith("<|im_start|>assistant"), text);
    assert.ok(prompt.stopStrings.includes("<|im_end|>"), JSON.stringify(prompt.stopStrings));
});
