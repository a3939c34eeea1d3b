/**
 * The engine process end to end: the real child process (forked with tsx), the demo pair loaded in it by
 * llama.cpp, a generation streamed back in batches, abort, and a model file that makes llama.cpp abort:
 * the child dies of SIGABRT, every request in flight is rejected with the reason, and the next request
 * starts a fresh engine that works.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {after, describe, test} from "node:test";
import {fileURLToPath} from "node:url";
import {ServiceError, runsLength} from "../../../src-shared/index.ts";
import {nodeEngineLauncher} from "../../../src-main/engineHost/engineLauncher.ts";
import type {EngineLoadOptions} from "../../../src-main/engineHost/engineProtocol.ts";
import {EngineSupervisor, type EngineProgress} from "../../../src-main/engineHost/engineSupervisor.ts";
import type {DecodingParams} from "../../../src-main/engine/types.ts";
import {abortingEngineEntry} from "../../helpers/abortingEngineMain.ts";
import {writeZeroHeadModel} from "../../helpers/abortingModel.ts";

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../resources/models");
const demoExpert = path.join(demoDir, "stories260K.gguf");
const demoAmateur = path.join(demoDir, "stories260K-L4-earlyexit.gguf");
const defaultDecodingParams: DecodingParams = {mode: "scd", temperature: 0, alpha: 0.1, beta: 0.5, gamma: 4, maxTokens: 64, seed: 1};
const loadOptions: EngineLoadOptions = {threads: 1, cpu: true, contextSize: 256, topK: 64, exact: false};

test("an engine process that exits before it is ready rejects the request with how it ended", async () => {
    const crashes: string[] = [];
    const broken = new EngineSupervisor(nodeEngineLauncher({echoStderr: false, entryPath: path.join(demoDir, "no-such-engine.ts")}), (m) =>
        crashes.push(m)
    );
    const error = await broken.request({type: "unload"}, "unloading").result.then(
        () => null,
        (e: unknown) => e
    );
    assert.ok(error instanceof ServiceError && error.code === "engineCrashed", String(error));
    assert.match(error.message, /^the engine process could not start \(exit code 1\)/);
    assert.equal(crashes.length, 1);
    assert.equal(broken.running, false);
});

describe("engine process", () => {
    const crashes: string[] = [];
    const supervisor = new EngineSupervisor(nodeEngineLauncher({echoStderr: false}), (message) => crashes.push(message));
    after(() => supervisor.close());

    test("loads the demo pair in the child and streams a generation back in batches", async () => {
        const progress: number[] = [];
        const loaded = await supervisor.request(
            {type: "load", expertPath: demoExpert, amateurPath: demoAmateur, options: loadOptions},
            "loading the demo pair",
            (event) => event.type === "progress" && progress.push(event.progress)
        ).result;
        assert.equal(loaded.backend, "CPU");
        assert.equal(loaded.contextSize, 256);
        assert.equal(loaded.threads, 1);
        assert.equal(loaded.chatTemplate, false);
        assert.ok(loaded.memoryBytes != null && loaded.memoryBytes > 1_000_000, `memory ${loaded.memoryBytes}`);
        // llama.cpp's own load progress, both files: from 0 to 1, never backwards, with steps between.
        assert.equal(progress[0], 0);
        assert.equal(progress.at(-1), 1);
        assert.ok(progress.length > 2, `progress steps: ${progress.join(", ")}`);
        assert.ok(
            progress.every((p, i) => i === 0 || p >= progress[i - 1]!),
            `progress never goes back: ${progress.join(", ")}`
        );

        const events: EngineProgress[] = [];
        const done = await supervisor.request(
            {type: "generate", messages: [{role: "user", text: "Once upon a time"}], params: {...defaultDecodingParams, maxTokens: 60}},
            "answering",
            (event) => events.push(event)
        ).result;
        const prompt = events.find((e) => e.type === "prompt");
        assert.ok(prompt?.type === "prompt" && prompt.promptTokens === done.promptTokens && prompt.droppedTurns === 0);
        const batches = events.filter((e) => e.type === "tokens");
        const text = batches.map((b) => (b.type === "tokens" ? b.text : "")).join("");
        assert.ok(text.length > 20, `streamed ${JSON.stringify(text)}`);
        // Batched: fewer messages than tokens; runs cover the text exactly.
        assert.ok(batches.length < done.stats.generatedTokens, `${batches.length} batches for ${done.stats.generatedTokens} tokens`);
        for (const batch of batches) if (batch.type === "tokens") assert.equal(runsLength(batch.runs), batch.text.length);
        assert.equal(done.stats.mode, "scd");
        assert.ok(done.stats.generatedTokens > 0 && done.stats.generatedTokens <= 60);
    });

    test("abort stops a running generation", async () => {
        let aborted = false;
        const request = supervisor.request(
            {type: "generate", messages: [{role: "user", text: "The dog"}], params: {...defaultDecodingParams, maxTokens: 200}},
            "answering",
            (event) => {
                if (event.type === "tokens" && !aborted) {
                    aborted = true;
                    supervisor.abort(request.id);
                }
            }
        );
        const done = await request.result;
        assert.equal(done.stats.stopReason, "abort");
        assert.ok(done.stats.generatedTokens < 200);
    });

    test("a second exclusive request while one runs is refused as busy", async () => {
        const first = supervisor.request(
            {type: "generate", messages: [{role: "user", text: "A cat"}], params: {...defaultDecodingParams, maxTokens: 100}},
            "answering"
        );
        const second = supervisor.request({type: "calibrate", positions: [1], tokens: 8, runs: 1}, "calibrating");
        await assert.rejects(second.result, (error: unknown) => error instanceof ServiceError && error.code === "busy");
        await first.result;
    });

    test("calibration measures the expert alone and cd at each position asked, greedy and sampled", async () => {
        const {curves} = await supervisor.request({type: "calibrate", positions: [1, 150], tokens: 16, runs: 1}, "calibrating").result;
        for (const curve of [curves.expertGreedy, curves.expertSampled, curves.cdGreedy, curves.cdSampled]) {
            assert.deepEqual(
                curve.map((point) => point.position),
                [1 + 1 + 7, 150 + 1 + 7] // a run's steps centred half a run past its prompt
            );
            assert.ok(curve.every((point) => point.msPerToken > 0 && Number.isFinite(point.msPerToken)));
        }
    });

    test("a model file that makes llama.cpp abort kills only the child; the next request starts a fresh engine", async () => {
        // The header preflight refuses this file in loadModelPair; this test engine hands it to llama.cpp first.
        const aborting = await writeZeroHeadModel();
        const abortCrashes: string[] = [];
        const abortingSupervisor = new EngineSupervisor(
            nodeEngineLauncher({echoStderr: false, entryPath: abortingEngineEntry, env: {...process.env, TANDEM_TEST_ABORTING_MODEL: aborting}}),
            (message) => abortCrashes.push(message)
        );
        try {
            const crash = abortingSupervisor.request(
                {type: "load", expertPath: demoExpert, amateurPath: demoAmateur, options: loadOptions},
                "loading the demo pair"
            );
            const error = await crash.result.then(
                () => null,
                (e: unknown) => e
            );
            assert.ok(error instanceof ServiceError && error.code === "engineCrashed", String(error));
            assert.match(
                error.message,
                /^the engine process stopped \(signal SIGABRT\) while loading the demo pair: llama\.cpp: GGML_ASSERT\(t_meta\.ne\[dim\] >= 1\) failed \(llama-model-loader\.cpp\)$/
            );
            assert.deepEqual(abortCrashes, [error.message]);
            assert.equal(abortingSupervisor.running, false);
            // The next request starts a fresh engine process, which answers (no pair is loaded in it).
            await assert.rejects(
                abortingSupervisor.request({type: "generate", messages: [{role: "user", text: "x"}], params: defaultDecodingParams}, "answering")
                    .result,
                (e: unknown) => e instanceof ServiceError && e.code === "noPair"
            );
            assert.equal(abortCrashes.length, 1);
        } finally {
            await abortingSupervisor.close();
        }

        // The real engine's own load refuses the file in words (the process stays up).
        await assert.rejects(
            supervisor.request({type: "load", expertPath: aborting, amateurPath: aborting, options: loadOptions}, "loading").result,
            (e: unknown) => e instanceof ServiceError && /head_count is 0/.test(e.message)
        );
        assert.equal(crashes.length, 0);
        // A fresh load after a refusal: no pair is loaded, and the demo pair loads and answers.
        await assert.rejects(
            supervisor.request({type: "generate", messages: [{role: "user", text: "x"}], params: defaultDecodingParams}, "answering").result,
            (error: unknown) => error instanceof ServiceError && error.code === "noPair"
        );
        await supervisor.request({type: "load", expertPath: demoExpert, amateurPath: demoAmateur, options: loadOptions}, "loading the demo pair")
            .result;
        const done = await supervisor.request(
            {type: "generate", messages: [{role: "user", text: "Once upon a time"}], params: {...defaultDecodingParams, maxTokens: 10}},
            "answering"
        ).result;
        assert.ok(done.stats.generatedTokens > 0);
    });
});
