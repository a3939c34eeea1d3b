/**
 * The engine process dies; the app does not. A model file that makes llama.cpp abort (SIGABRT, see
 * test/helpers/abortingModel.ts), handed to llama.cpp by a test engine entry (test/helpers/abortingEngineMain.ts)
 * when the service loads a pair, kills only the engine child: the service stays up, reports the reason in words,
 * keeps the history, and then loads the demo pair in a fresh (real) engine and answers. An engine killed
 * mid-answer ends that answer as "error" with the reason and its partial text kept; the next send restarts the
 * engine. In the app such a file is refused by the header preflight before any engine process sees it.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {ServiceError, type ServiceEvent} from "../../../src-shared/index.ts";
import {nodeEngineLauncher, type EngineLauncher} from "../../../src-main/service/index.ts";
import {abortingEngineEntry} from "../../helpers/abortingEngineMain.ts";
import {writeZeroHeadModel} from "../../helpers/abortingModel.ts";
import {demoPair, startService, type Harness} from "../../helpers/serviceHarness.ts";

/**
 * The real Node launcher, remembering the pid of the engine it started last (from the process's hello). Given an
 * aborting model, its first engine is the test entry that hands that file to llama.cpp on the first load.
 */
function trackingLauncher(abortingModel?: string): EngineLauncher & {pid: () => number | null} {
    const real = nodeEngineLauncher({echoStderr: false});
    const aborting =
        abortingModel == null
            ? null
            : nodeEngineLauncher({
                  echoStderr: false,
                  entryPath: abortingEngineEntry,
                  env: {...process.env, TANDEM_TEST_ABORTING_MODEL: abortingModel}
              });
    let launched = 0;
    let pid: number | null = null;
    return {
        pid: () => pid,
        launch() {
            const child = (launched++ === 0 && aborting != null ? aborting : real).launch();
            child.onMessage((message) => {
                if (message.type === "hello") pid = message.pid;
            });
            return child;
        }
    };
}

describe("engine crashes", () => {
    let h: Harness;
    let launcher: ReturnType<typeof trackingLauncher>;
    before(async () => {
        launcher = trackingLauncher(await writeZeroHeadModel());
        h = await startService({engineLauncher: launcher});
        await h.service.updateSettings({maxTokens: 40});
    });
    after(() => h.service.close());

    test("in the app, the header preflight refuses such a file before any engine process starts", async () => {
        const appLauncher = trackingLauncher();
        const app = await startService({engineLauncher: appLauncher});
        try {
            const file = await writeZeroHeadModel();
            await assert.rejects(app.service.loadPair({expertPath: file, amateurPath: file}), (error: unknown) => {
                assert.ok(error instanceof ServiceError && error.code === "incompatiblePair", String(error));
                assert.match(error.message, /llama\.cpp cannot load this model: llama\.attention\.head_count is 0/);
                return true;
            });
            assert.deepEqual((await app.service.getStatus()).engine, {state: "idle"});
            assert.equal(appLauncher.pid(), null, "no engine process was started");
        } finally {
            await app.service.close();
        }
    });

    test("a model file that makes llama.cpp abort leaves the app serving, with the reason shown", async () => {
        const conversation = await h.service.createConversation({title: "kept"});
        const since = h.events.length;
        const error = await h.service.loadPair(demoPair).then(
            () => null,
            (e: unknown) => e
        );
        assert.ok(error instanceof ServiceError && error.code === "engineCrashed", String(error));
        assert.match(
            error.message,
            /^the engine process stopped \(signal SIGABRT\) while loading the pair stories260K\.gguf \+ stories260K-L4-earlyexit\.gguf: llama\.cpp: GGML_ASSERT\(t_meta\.ne\[dim\] >= 1\) failed \(llama-model-loader\.cpp\)$/
        );

        const status = await h.service.getStatus();
        assert.equal(status.lastEngineCrash, error.message);
        assert.ok(status.engine.state === "error" && status.engine.message === error.message);
        assert.ok(
            h.events.slice(since).some((e) => e.type === "status" && e.status.lastEngineCrash === error.message),
            "the UI was told"
        );
        // The service still serves: the history is there.
        assert.deepEqual(
            (await h.service.listConversations()).map((c) => c.id),
            [conversation.id]
        );

        // Then the demo pair loads in a fresh engine and answers.
        const ready = await h.service.loadPair(demoPair);
        assert.equal(ready.engine.state, "ready");
        assert.equal(ready.lastEngineCrash, undefined);
        const sent = h.events.length;
        const {assistantMessageId} = await h.service.sendMessage({conversationId: conversation.id, text: "Once upon a time"});
        const message = await h.finished(assistantMessageId, sent);
        assert.equal(message.status, "done", message.error ?? "");
        assert.ok(message.content.length > 0);
    });

    test("an engine killed mid-answer ends the answer as error with its partial text; the next send restarts the engine", async () => {
        await h.service.updateSettings({maxTokens: 2000});
        const conversation = await h.service.createConversation({title: "killed"});
        let since = h.events.length;
        const {assistantMessageId} = await h.service.sendMessage({conversationId: conversation.id, text: "The big red ball"});
        await h.waitFor((e): e is ServiceEvent => e.type === "generation" && e.event.kind === "delta", since);
        process.kill(launcher.pid()!, "SIGKILL");
        const message = await h.finished(assistantMessageId, since);
        assert.equal(message.status, "error");
        assert.match(message.error ?? "", /^the engine process stopped \(signal SIGKILL\) while writing an answer/);
        assert.ok(message.content.length > 0, "the partial text is kept");
        const stored = (await h.service.getConversation({id: conversation.id})).messages[1]!;
        assert.deepEqual([stored.status, stored.content, stored.error], ["error", message.content, message.error]);
        assert.equal((await h.service.getStatus()).busy, false);

        await h.service.updateSettings({maxTokens: 40});
        since = h.events.length;
        const again = await h.service.sendMessage({conversationId: conversation.id, text: "The cat"});
        const answer = await h.finished(again.assistantMessageId, since);
        assert.equal(answer.status, "done", answer.error ?? "");
        assert.equal((await h.service.getStatus()).engine.state, "ready");
    });
});
