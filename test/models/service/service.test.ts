/**
 * The service end to end on real parts: the SQLite store, the engine child process, llama.cpp and the demo
 * pair. A first send loads the demo pair (nothing is loaded at start), streams an answer, then calibrates in the background, and
 * streams an answer whose stats carry the measured speedup; then busy refusal, stop mid-answer, regenerate,
 * edit-and-resend, an incompatible pair, load-scope settings that reload, and a chat that outgrows a small
 * context and keeps answering.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {ServiceError, runsLength, type ServiceEvent} from "../../../src-shared/index.ts";
import {modelPath, randomLargeVocab} from "../../helpers/models.ts";
import {deltaText, demoPair, startService, type Harness} from "../../helpers/serviceHarness.ts";

const isCode = (code: string) => (error: unknown) => error instanceof ServiceError && error.code === code;

describe("service", () => {
    let h: Harness;
    before(async () => {
        h = await startService();
        await h.service.updateSettings({maxTokens: 40});
    });
    after(() => h.service.close());

    test("nothing is loaded at start; the first send loads the demo pair, streams an answer with stats and runs, then calibrates", async () => {
        const status = await h.service.getStatus();
        assert.deepEqual(status.engine, {state: "idle"});
        assert.equal(status.busy, false);

        const conversation = await h.service.createConversation({});
        const since = h.events.length;
        const {userMessage, assistantMessageId} = await h.service.sendMessage({conversationId: conversation.id, text: "Once upon a time"});
        assert.equal(userMessage.content, "Once upon a time");
        await assert.rejects(h.service.sendMessage({conversationId: conversation.id, text: "again"}), isCode("busy"));
        const message = await h.finished(assistantMessageId, since);

        assert.equal(message.status, "done", message.error ?? "");
        assert.ok(message.content.length > 0);
        assert.equal(deltaText(h.events.slice(since), assistantMessageId), message.content);
        assert.equal(runsLength(message.runs ?? []), message.content.length);
        assert.ok(
            message.runs!.every((r) => ["draft", "correction", "bonus", "direct"].includes(r.source)),
            JSON.stringify(message.runs)
        );
        const stats = message.stats!;
        assert.equal(stats.mode, "scd");
        assert.ok(stats.generatedTokens > 0 && stats.generatedTokens <= 40);
        assert.ok(stats.tokensPerSecond > 0 && stats.promptTokens > 0);
        assert.equal(stats.droppedTurns, 0);
        // The answer waited for the load (and says how long), never for the calibration: it has no baseline yet.
        assert.ok(stats.pairLoadMs != null && stats.pairLoadMs > 0, "the wait for the load is in the stats");
        assert.ok(stats.sendToFirstTokenMs != null && stats.sendToFirstTokenMs >= stats.pairLoadMs);
        assert.equal(stats.speedup, null);

        // What the UI saw: loading, ready on CPU, calibration done, busy then idle; the conversation titled from the message.
        const statuses = h.events.slice(since).flatMap((e) => (e.type === "status" ? [e.status] : []));
        assert.ok(statuses.some((s) => s.engine.state === "loading"));
        const final = await h.service.getStatus();
        assert.equal(final.engine.state, "ready");
        assert.ok(
            final.engine.state === "ready" && final.engine.backend === "CPU" && final.engine.contextSize === 2048,
            JSON.stringify(final.engine)
        );
        assert.equal(final.busy, false);
        // The calibration runs after the answer, in the background; the next answer is compared with it.
        await h.waitFor((e): e is ServiceEvent => e.type === "status" && e.status.calibration.state === "done", since, 120_000);
        const first = (await h.service.getStatus()).calibration.baseline!;
        assert.equal(first.device, "CPU, 1 thread per model");
        assert.ok(first.curves != null && first.curves.expertGreedy.length > 0);
        const stored = await h.service.getConversation({id: conversation.id});
        assert.equal(stored.conversation.title, "Once upon a time");
        assert.deepEqual(stored.conversation.pair, demoPair);
        assert.deepEqual(
            stored.messages.map((m) => [m.role, m.status]),
            [
                ["user", "done"],
                ["assistant", "done"]
            ]
        );
        assert.equal(stored.messages[1]!.content, message.content);

        // calibrate() re-measures and stores a new dated baseline.
        const baseline = await h.service.calibrate();
        assert.ok(baseline.expertTokensPerSecond > 0);
        assert.ok(baseline.measuredAt >= first.measuredAt);
    });

    test("stop mid-answer keeps the partial text as stopped", async () => {
        await h.service.updateSettings({maxTokens: 400});
        const conversation = await h.service.createConversation({title: "stop"});
        const since = h.events.length;
        const {assistantMessageId} = await h.service.sendMessage({conversationId: conversation.id, text: "The little dog"});
        await h.waitFor((e): e is ServiceEvent => e.type === "generation" && e.event.kind === "delta", since);
        await h.service.stopGeneration();
        const message = await h.finished(assistantMessageId, since);
        await h.service.updateSettings({maxTokens: 40});
        assert.equal(message.status, "stopped");
        assert.ok(message.content.length > 0);
        assert.equal(message.stats?.stopReason, "abort");
        assert.ok(message.stats.generatedTokens < 400);
        const stored = (await h.service.getConversation({id: conversation.id})).messages[1]!;
        assert.equal(stored.status, "stopped");
        assert.equal(stored.content, message.content);
    });

    test("regenerate replaces the last answer; edit-and-resend replaces the user message and drops what followed", async () => {
        const conversation = await h.service.createConversation({title: "edits"});
        let since = h.events.length;
        const first = await h.service.sendMessage({conversationId: conversation.id, text: "Lily went to the park"});
        await h.finished(first.assistantMessageId, since);

        since = h.events.length;
        const again = await h.service.regenerate({conversationId: conversation.id});
        assert.notEqual(again.assistantMessageId, first.assistantMessageId);
        assert.equal((await h.finished(again.assistantMessageId, since)).status, "done");
        let messages = (await h.service.getConversation({id: conversation.id})).messages;
        assert.deepEqual(
            messages.map((m) => m.id),
            [first.userMessage.id, again.assistantMessageId]
        );

        since = h.events.length;
        const edited = await h.service.editAndResend({conversationId: conversation.id, messageId: first.userMessage.id, text: "Tom saw a big cat"});
        assert.equal(edited.userMessage.id, first.userMessage.id);
        assert.equal(edited.userMessage.content, "Tom saw a big cat");
        const answer = await h.finished(edited.assistantMessageId, since);
        assert.equal(answer.status, "done");
        messages = (await h.service.getConversation({id: conversation.id})).messages;
        assert.deepEqual(
            messages.map((m) => [m.id, m.content]),
            [
                [first.userMessage.id, "Tom saw a big cat"],
                [edited.assistantMessageId, answer.content]
            ]
        );
        await assert.rejects(
            h.service.editAndResend({conversationId: conversation.id, messageId: edited.assistantMessageId, text: "x"}),
            isCode("invalidRequest")
        );
    });

    test("an incompatible pair is refused with the engine's reasons, and the loaded pair stays", async () => {
        const pair = {expertPath: demoPair.expertPath, amateurPath: modelPath(randomLargeVocab)};
        const check = await h.service.checkPair(pair);
        assert.equal(check.compatible, false);
        assert.ok(
            check.failures.some((f) => f.rule === "vocabularySize"),
            JSON.stringify(check.failures)
        );
        await assert.rejects(h.service.loadPair(pair), (error: unknown) => {
            assert.ok(isCode("incompatiblePair")(error));
            assert.match((error as Error).message, /cannot decode together: .*vocabularySize: /);
            return true;
        });
        await assert.rejects(h.service.loadPair({expertPath: "/nowhere/model.gguf", amateurPath: demoPair.amateurPath}), isCode("notFound"));
        assert.equal((await h.service.getStatus()).engine.state, "ready");
    });

    test("the model list starts with the demo pair and describes every file of the models folder", async () => {
        const models = await h.service.listModels();
        assert.deepEqual(
            models.slice(0, 2).map((m) => [m.path, m.source]),
            [
                [demoPair.expertPath, "demo"],
                [demoPair.amateurPath, "demo"]
            ]
        );
        const random = models.find((m) => m.fileName === randomLargeVocab);
        assert.ok(
            random != null && random.source === "folder" && random.architecture === "llama" && random.vocabularySize === 32000,
            JSON.stringify(random)
        );
        assert.ok(models.every((m) => m.problem != null || (m.vocabularySize ?? 0) > 0));
    });

    test("a chat that outgrows a small context drops its oldest turns, says so, and keeps answering", async () => {
        // contextSize is a load-scope option: changing it reloads the pair now.
        await h.service.updateSettings({contextSize: 128, maxTokens: 24});
        const status = await h.service.getStatus();
        // llama.cpp rounds a context up to a multiple of 256.
        assert.ok(status.engine.state === "ready" && status.engine.contextSize === 256, JSON.stringify(status.engine));

        const conversation = await h.service.createConversation({title: "long"});
        const dropped: number[] = [];
        let notices = 0;
        for (let turn = 0; turn < 8; turn++) {
            const since = h.events.length;
            const {assistantMessageId} = await h.service.sendMessage({
                conversationId: conversation.id,
                text: `Turn ${turn}: the girl and the dog played in the garden`
            });
            const message = await h.finished(assistantMessageId, since);
            assert.equal(message.status, "done", message.error ?? "");
            dropped.push(message.stats!.droppedTurns);
            notices += h.events.slice(since).filter((e) => e.type === "notice" && e.conversationId === conversation.id).length;
        }
        assert.equal(dropped[0], 0);
        assert.ok(dropped.at(-1)! > 0, `dropped turns per answer: ${dropped}`);
        assert.equal(notices, dropped.filter((d) => d > 0).length);
        assert.ok(
            dropped.every((d, i) => i === 0 || d >= dropped[i - 1]!),
            `never fewer dropped as the chat grows: ${dropped}`
        );
        await h.service.updateSettings({contextSize: 2048, maxTokens: 40});
    });
});
