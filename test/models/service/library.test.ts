/**
 * The library through the real service (SQLite store, engine process, llama.cpp on the demo pair): the first
 * scan runs in the background with events; web mode's "Add folder" path is checked (missing, a file, fine) and
 * remembered across a restart; a bad file's reason is in its row; verdicts come from headers, the fit from
 * node-llama-cpp's resolvers (run in the engine process, which loads nothing for it); and a
 * send uses the pair the picker shows, loading it first (and saying so) when another pair is loaded.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {copyFile, mkdir, mkdtemp, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ServiceError, type ServiceEvent} from "../../../src-shared/index.ts";
import {modelPath, randomLargeVocab, storyAmateurL3, storyExpert} from "../../helpers/models.ts";
import {demoPair, startService, type Harness} from "../../helpers/serviceHarness.ts";
import {HubStandIn} from "../library/hubStandIn.ts";

const refused = (code: string, pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
};

describe("the library in the service", () => {
    let h: Harness;
    let dataDir: string;
    let folder: string;
    before(async () => {
        dataDir = await mkdtemp(path.join(os.tmpdir(), "tandem-service-library-"));
        folder = path.join(dataDir, "my models");
        await mkdir(path.join(folder, "story"), {recursive: true});
        await copyFile(modelPath(storyAmateurL3), path.join(folder, "story", "tiny-L3.gguf"));
        await writeFile(path.join(folder, "readme.gguf"), "# not a model\n");
        h = await startService({dataDir, watchModelFolders: false});
        await h.service.updateSettings({maxTokens: 16});
    });
    after(() => h.service.close());

    test("the first scan runs in the background and ends with a library event", async () => {
        await h.waitFor((e): e is ServiceEvent => e.type === "libraryScan" && !e.progress.scanning);
        assert.ok(h.events.some((e) => e.type === "library"));
        const snapshot = await h.service.listLibrary();
        assert.deepEqual(
            snapshot.sources.map((s) => s.kind),
            ["demo", "env", "downloads"]
        );
        assert.equal(snapshot.models[0]!.path, demoPair.expertPath);
        assert.equal(snapshot.models.filter((m) => m.fileName === storyExpert).length, 1, "the demo copy in the models folder is listed once");
    });

    test("Add folder checks the path, lists its models and a bad file's reason, and remembers it", async () => {
        await assert.rejects(h.service.addModelFolder({path: path.join(dataDir, "nowhere")}), refused("invalidRequest", /nowhere does not exist$/));
        await assert.rejects(
            h.service.addModelFolder({path: path.join(folder, "readme.gguf")}),
            refused("invalidRequest", /is a file, not a folder$/)
        );
        await assert.rejects(h.service.addModelFolder({path: "relative/models"}), refused("invalidRequest", /not an absolute path/));
        const source = await h.service.addModelFolder({path: folder});
        assert.deepEqual([source.kind, source.state, source.modelCount, source.removable], ["folder", "ready", 2, true]);
        // tiny-L3.gguf is a copy of the shared L3 model: listed once, under the source that found it first, with both sources.
        const models = (await h.service.listLibrary()).models.filter((m) => m.sourceIds.includes(source.id));
        assert.deepEqual(
            models.map((m) => [m.fileName, m.problem ?? "usable"]),
            [
                [storyAmateurL3, "usable"],
                ["readme.gguf", 'readme.gguf is not a GGUF model file (it starts with "# no", expected "GGUF")']
            ]
        );
    });

    test("verdicts from headers, checkPair in the same words, and the fit by node-llama-cpp's resolvers in the engine process", async () => {
        const verdicts = await h.service.pairVerdicts({expertPath: demoPair.expertPath});
        assert.deepEqual(
            verdicts.compatible.map((v) => path.basename(v.amateurPath)),
            [storyAmateurL3, "stories260K-L4-earlyexit.gguf"]
        );
        assert.ok(verdicts.compatible.every((v) => v.sameFamily));
        assert.deepEqual(
            verdicts.incompatible.map((v) => path.basename(v.amateurPath)),
            [randomLargeVocab, "readme.gguf"]
        );
        const check = await h.service.checkPair({expertPath: demoPair.expertPath, amateurPath: modelPath(randomLargeVocab)});
        assert.deepEqual(
            check.failures.map((f) => f.rule),
            ["vocabularySize", "tokenTexts"]
        );
        assert.match(check.failures[0]!.message, /^vocabularies differ by 31,488 ids/);
        const fit = await h.service.estimateFit({pair: demoPair});
        if (process.env.SHOW_FIT) console.log(JSON.stringify(fit));
        assert.equal(fit.method, "llama.cpp", fit.summary);
        assert.equal(fit.contextSize, (await h.service.getSettings()).contextSize);
        assert.equal(fit.verdict, "fits");
        assert.ok(
            fit.perModel.expert.ramBytes > fit.perModel.amateur.ramBytes && fit.perModel.amateur.ramBytes > 800_000,
            JSON.stringify(fit.perModel)
        );
        assert.match(fit.summary, /node-llama-cpp's estimate for the CPU/);
        await assert.rejects(
            h.service.estimateFit({pair: {...demoPair, amateurPath: path.join(folder, "readme.gguf")}}),
            refused("invalidRequest", /the amateur readme\.gguf cannot be used/)
        );
    });

    test("a send uses the pair the picker shows: another loaded pair is replaced first, and a notice says so", async () => {
        await h.service.loadPair(demoPair);
        const conversation = await h.service.createConversation({});
        const picked = {expertPath: demoPair.expertPath, amateurPath: path.join(folder, "story", "tiny-L3.gguf")};
        const since = h.events.length;
        const {assistantMessageId} = await h.service.sendMessage({conversationId: conversation.id, text: "Once upon a time", pair: picked});
        const message = await h.finished(assistantMessageId, since);
        assert.equal(message.status, "done", message.error ?? "");
        const notice = h.events.slice(since).find((e) => e.type === "notice");
        assert.equal(notice?.type === "notice" && notice.text, "Loading stories260K.gguf + tiny-L3.gguf before answering…");
        const status = await h.service.getStatus();
        assert.ok(status.engine.state === "ready" && status.engine.pair.amateurPath === picked.amateurPath, JSON.stringify(status.engine));
        assert.deepEqual((await h.service.getConversation({id: conversation.id})).conversation.pair, picked);

        // The same pair again: nothing to load, no notice.
        const again = h.events.length;
        const second = await h.service.sendMessage({conversationId: conversation.id, text: "The end", pair: picked});
        await h.finished(second.assistantMessageId, again);
        assert.equal(
            h.events.slice(again).some((e) => e.type === "notice"),
            false
        );
    });

    test("a download cut by closing the app is paused in the database, and resumes after the restart", async () => {
        await using hub = await new HubStandIn({repos: {"test-org/Story-GGUF": {files: {"story.gguf": modelPath(storyExpert)}}}}).start();
        hub.bytesPerSecond = 150_000;
        await h.service.updateLibrarySettings({hfEndpoint: hub.origin});
        const started = await h.service.startDownload({uri: "hf:test-org/Story-GGUF/story.gguf"});
        await h.waitFor((e): e is ServiceEvent => e.type === "download" && e.download.id === started.id && e.download.downloadedBytes > 100_000);
        await h.service.close();
        hub.bytesPerSecond = 0;
        h = await startService({dataDir, watchModelFolders: false});
        const [paused] = await h.service.listDownloads();
        assert.deepEqual([paused?.id, paused?.state], [started.id, "paused"]);
        assert.equal((await h.service.getLibrarySettings()).hfEndpoint, hub.origin, "the endpoint setting is kept too");
        await h.service.resumeDownload({id: started.id});
        const done = await h.waitFor(
            (e): e is ServiceEvent & {type: "download"} =>
                e.type === "download" && e.download.id === started.id && (e.download.state === "done" || e.download.state === "failed")
        );
        assert.equal(done.download.state, "done", done.download.error);
        assert.deepEqual(readFileSync(done.download.modelPath!), readFileSync(modelPath(storyExpert)));
        await assert.rejects(h.service.resumeDownload({id: "nope"}), refused("notFound", /there is no download "nope"/));
    });

    test("after a restart the folder is still there", async () => {
        await h.service.close();
        h = await startService({dataDir, watchModelFolders: false});
        const snapshot = await h.service.rescanLibrary();
        const source = snapshot.sources.find((s) => s.kind === "folder");
        assert.deepEqual([source?.path, source?.modelCount], [folder, 2]);
        await h.service.removeModelFolder({path: folder});
        assert.equal(
            (await h.service.listLibrary()).sources.some((s) => s.kind === "folder"),
            false
        );
        await assert.rejects(h.service.removeModelFolder({path: folder}), refused("invalidRequest", /is not one of your model folders/));
        // Scans (node-llama-cpp's header reader), downloads (its downloader) and the fit (asked of the engine process)
        // never loaded llama.cpp's native binding into this, the service's, process.
        assert.doesNotMatch(readFileSync("/proc/self/maps", "utf8"), /llama-addon|libggml|libllama/);
    });
});
