/**
 * Downloads end to end with node-llama-cpp's real downloader against a local stand-in for the Hub
 * (127.0.0.1, reached through the library's HF endpoint setting): an hf: URI and a plain URL, progress with
 * speed and time left, cancel, resume after a restart of the library (from where it stopped: a range request
 * past 0), not found, a truncated transfer, no network, a full disk (a 1 MiB tmpfs, where this user may
 * mount one). A download in progress is never listed as a model, and no llama.cpp binding is loaded.
 */
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, readFileSync, rmSync} from "node:fs";
import {mkdir, mkdtemp, readdir, stat} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import test from "node:test";
import {cataloguePairs, type Download, type Library, type LibraryEvent} from "../../../src-main/library/index.ts";
import {deriveHeavyExpert} from "../../../tools/fixtures/heavyExpert.ts";
import {HubStandIn} from "./hubStandIn.ts";
import {MemoryRows, sharedModel, tempDir, testLibrary} from "./libraryFixtures.ts";

const REPO = "test-org/Tiny-GGUF";
const HF_FILE = "tiny-random-Q8_0.gguf";
const SLOW_FILE = "slow.gguf";
/** node-llama-cpp names an hf: download hf_<user>_<file> (for <repo>:<quant>: hf_<user>_<repo without -GGUF>.<quant>.gguf). */
const SAVED_HF_FILE = "hf_test-org_tiny-random-Q8_0.gguf";
const SAVED_SLOW_FILE = "hf_test-org_Tiny-GGUF_slow.gguf";
/**
 * Plain URLs are served from 127.0.0.2: node-llama-cpp reads any URL on the HF endpoint's host as a Hub URL
 * (and asks it for a manifest), so a plain URL must come from another host, as it does outside tests.
 */
const PLAIN_HOST = "127.0.0.2";

function sha(file: string): string {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * ipull writes a download in 5 MiB chunks (its resume granularity), so cancel and resume need a file past
 * that: stories260K with its feed-forward zero-padded to 3072 wide (11.9 MB), made by the project's fixture tool.
 */
let bigModel: Promise<string> | null = null;
function big(): Promise<string> {
    bigModel ??= (async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), "tandem-dl-big-"));
        const file = path.join(dir, "stories260K-ffn3072.gguf");
        await deriveHeavyExpert(sharedModel("stories260K.gguf"), file, 3072);
        process.on("exit", () => rmSync(dir, {recursive: true, force: true}));
        return file;
    })();
    return bigModel;
}

async function standIn(): Promise<HubStandIn> {
    return new HubStandIn({
        repos: {
            [REPO]: {
                quant: "Q8_0",
                files: {
                    [HF_FILE]: sharedModel("llama-2-tiny-random.gguf"),
                    [SLOW_FILE]: await big(),
                    "stories260K.gguf": sharedModel("stories260K.gguf")
                }
            }
        },
        files: {"stories260K.gguf": sharedModel("stories260K.gguf")}
    });
}

/** Waits until a download event passes `until` (or the download fails in a way `until` does not expect). */
function waitFor(events: LibraryEvent[], id: string, until: (download: Download) => boolean, timeoutMs = 60_000): Promise<Download> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
            const last = events
                .filter((e): e is Extract<LibraryEvent, {type: "download"}> => e.type === "download" && e.download.id === id)
                .at(-1)?.download;
            if (last != null && until(last)) {
                clearInterval(poll);
                resolve(last);
            } else if (Date.now() - started > timeoutMs) {
                clearInterval(poll);
                reject(new Error(`download ${id} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last)}`));
            }
        }, 20);
    });
}

async function settings(library: Library, hub: HubStandIn): Promise<void> {
    await library.updateSettings({hfEndpoint: hub.origin});
}

function llamaBindingLoaded(): string[] {
    if (!existsSync("/proc/self/maps")) return [];
    return [
        ...new Set(
            readFileSync("/proc/self/maps", "utf8")
                .split("\n")
                .map((line) => line.split(/\s+/).pop() ?? "")
                .filter((f) => /llama|ggml/i.test(f))
        )
    ];
}

test("an hf: URI downloads through the HF endpoint setting, with progress, and the model is then in the library", async () => {
    await using temp = await tempDir("dl-hf");
    await using hub = await (await standIn()).start();
    hub.bytesPerSecond = 2_000_000;
    const {library, events} = testLibrary(temp.dir);
    await settings(library, hub);
    const started = await library.startDownload(`hf:${REPO}:Q8_0`);
    assert.equal(started.state, "resolving");
    const done = await waitFor(events, started.id, (d) => d.state === "done" || d.state === "failed");
    assert.equal(done.state, "done", done.error);
    assert.equal(done.fileName, "hf_test-org_Tiny.Q8_0.gguf");
    assert.equal(done.modelPath, path.join(temp.dir, "downloads", done.fileName!));
    assert.equal(sha(done.modelPath), sha(sharedModel("llama-2-tiny-random.gguf")));
    assert.equal(done.totalBytes, 1_750_560);

    const progress = events
        .filter((e) => e.type === "download" && e.download.state === "downloading")
        .map((e) => (e as {download: Download}).download);
    assert.ok(progress.length >= 2, `${progress.length} progress events`);
    assert.ok(
        progress.some((d) => d.downloadedBytes > 0 && d.downloadedBytes < 1_750_560 && d.bytesPerSecond > 0 && d.etaSeconds != null),
        JSON.stringify(progress.slice(0, 3))
    );
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.downloadedBytes >= progress[i - 1]!.downloadedBytes);

    assert.deepEqual(
        hub.requests.filter((r) => r.url.startsWith("/v2/")).map((r) => [r.url, r.userAgent]),
        [[`/v2/${REPO}/manifests/Q8_0`, "llama-cpp"]]
    );
    assert.ok(hub.requests.some((r) => r.url === `/${REPO}/resolve/main/${HF_FILE}`));
    // The finished download is scanned into the library (the downloads source).
    const listed = await waitForModel(library, done.fileName!);
    assert.equal(listed.sourceId, "downloads");
    assert.equal(listed.facts?.vocabularySize, 32_000);
    assert.deepEqual(llamaBindingLoaded(), [], "downloading loads no llama.cpp binding");
    await library.close();
});

async function waitForModel(library: Library, fileName: string): Promise<import("../../../src-main/library/index.ts").LibraryModel> {
    for (let i = 0; i < 200; i++) {
        const model = library.snapshot().models.find((m) => m.fileName === fileName);
        if (model != null && !library.isScanning) return model;
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${fileName} never appeared in the library`);
}

test("a plain URL downloads; an hf: file path too", async () => {
    await using temp = await tempDir("dl-url");
    await using hub = await (await standIn()).start();
    await using files = await (await standIn()).start(PLAIN_HOST);
    const {library, events} = testLibrary(temp.dir);
    await settings(library, hub);
    const plain = await library.startDownload(`${files.origin}/files/stories260K.gguf`);
    const plainDone = await waitFor(events, plain.id, (d) => d.state === "done" || d.state === "failed");
    assert.equal(plainDone.state, "done", plainDone.error);
    assert.equal(sha(plainDone.modelPath!), sha(sharedModel("stories260K.gguf")));
    const byPath = await library.startDownload(`hf:${REPO}/${HF_FILE}`);
    const byPathDone = await waitFor(events, byPath.id, (d) => d.state === "done" || d.state === "failed");
    assert.equal(byPathDone.state, "done", byPathDone.error);
    assert.equal(byPathDone.fileName, SAVED_HF_FILE);
    assert.equal(hub.requests.filter((r) => r.url.startsWith("/v2/")).length, 0, "hf:<repo>/<file> needs no manifest");
    assert.deepEqual(
        library.downloads.list().map((d) => d.id),
        [byPath.id, plain.id],
        "newest first"
    );
    await library.close();
});

test("a recommended pair's file, downloaded (from the stand-in), shows as installed in the catalogue", async () => {
    await using temp = await tempDir("dl-catalogue");
    const entry = cataloguePairs.find((p) => p.id === "llama-3.2-3b+1b")!;
    // The stand-in serves a shared model under the catalogue's Hub name: no real Llama file is reachable here.
    await using hub = await new HubStandIn({
        repos: {[entry.amateur.repo]: {files: {[entry.amateur.fileName]: sharedModel("stories260K-L3-earlyexit.gguf")}}}
    }).start();
    const {library, events} = testLibrary(temp.dir);
    await settings(library, hub);
    const before = (await library.catalogue()).find((e) => e.id === entry.id)!;
    assert.equal(before.amateur.installedPath, null);
    const download = await library.startDownload(before.amateur.uri);
    const done = await waitFor(events, download.id, (d) => d.state === "done" || d.state === "failed");
    assert.equal(done.state, "done", done.error);
    await waitForModel(library, done.fileName!);
    const after = (await library.catalogue()).find((e) => e.id === entry.id)!;
    assert.equal(after.amateur.installedPath, done.modelPath);
    assert.equal(after.expert.installedPath, null);
    await library.close();
});

test("cancel stops the download and leaves no partial file; the half-written file is never listed", async () => {
    await using temp = await tempDir("dl-cancel");
    await using hub = await (await standIn()).start();
    hub.bytesPerSecond = 2_000_000;
    const {library, events} = testLibrary(temp.dir);
    await settings(library, hub);
    const download = await library.startDownload(`hf:${REPO}/${SLOW_FILE}`);
    await waitFor(events, download.id, (d) => d.downloadedBytes > 6_000_000);
    const files = await readdir(path.join(temp.dir, "downloads"));
    assert.deepEqual(files, [`${SAVED_SLOW_FILE}.ipull`], "only the temporary file exists while downloading");
    const snapshot = await library.scan();
    assert.equal(snapshot.models.length, 0, "nothing half-written is listed");
    const cancelled = await library.downloads.cancel(download.id);
    assert.equal(cancelled.state, "cancelled");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await readdir(path.join(temp.dir, "downloads")), [], "the partial file is deleted");
    assert.equal(library.downloads.get(download.id)?.state, "cancelled");
    await library.close();
});

test("a download interrupted by closing the app resumes after a restart from where it stopped", async () => {
    await using temp = await tempDir("dl-resume");
    await using hub = await (await standIn()).start();
    hub.bytesPerSecond = 2_000_000;
    const rows = new MemoryRows();
    const first = testLibrary(temp.dir, {rows});
    await settings(first.library, hub);
    const download = await first.library.startDownload(`hf:${REPO}/${SLOW_FILE}`);
    await waitFor(first.events, download.id, (d) => d.downloadedBytes > 6_000_000);
    await first.library.close();
    const paused = rows.downloads.get(download.id)!;
    assert.equal(paused.state, "paused");
    assert.ok(paused.downloadedBytes > 0);
    assert.ok(existsSync(path.join(temp.dir, "downloads", `${SAVED_SLOW_FILE}.ipull`)), "the partial file stays for the resume");
    assert.equal(existsSync(path.join(temp.dir, "downloads", SAVED_SLOW_FILE)), false);

    hub.bytesPerSecond = 0;
    hub.requests.length = 0;
    const second = testLibrary(temp.dir, {rows});
    assert.equal(second.library.downloads.get(download.id)?.state, "paused", "after the restart the download shows as paused");
    await second.library.downloads.resume(download.id);
    const done = await waitFor(second.events, download.id, (d) => d.state === "done" || d.state === "failed");
    assert.equal(done.state, "done", done.error);
    assert.equal(sha(done.modelPath!), sha(await big()));
    // ipull keeps whole 5 MiB chunks: the ones finished before the restart are not fetched again.
    const ranges = hub.requests
        .filter((r) => r.method === "GET" && r.range != null)
        .map((r) => /bytes=(\d+)-(\d+)/.exec(r.range!)!.slice(1).map(Number) as [number, number]);
    const refetched = ranges.reduce((sum, [from, to]) => sum + to - from + 1, 0);
    const size = (await stat(await big())).size;
    assert.ok(ranges.length > 0 && refetched < size, `after the restart ${refetched} of ${size} bytes were fetched (${JSON.stringify(ranges)})`);
    await second.library.close();
});

test("not found: a missing file and a missing quant each end with one clear message", async () => {
    await using temp = await tempDir("dl-404");
    await using hub = await (await standIn()).start();
    await using files = await (await standIn()).start(PLAIN_HOST);
    const {library, events} = testLibrary(temp.dir);
    await settings(library, hub);
    for (const uri of [`${files.origin}/files/nothing-here.gguf`, `hf:${REPO}:Q2_K`, `hf:${REPO}/missing.gguf`]) {
        const download = await library.startDownload(uri);
        const failed = await waitFor(events, download.id, (d) => d.state === "failed" || d.state === "done");
        assert.equal(failed.state, "failed");
        assert.equal(failed.errorKind, "notFound", failed.error);
        assert.equal(failed.error, `Not found: ${uri} does not exist on the server.`);
    }
    assert.deepEqual(await readdir(path.join(temp.dir, "downloads")), []);
    await library.close();
});

test("a truncated transfer: a dropped connection is picked up again and the file is whole; a connection gone quiet fails as no network", async () => {
    await using temp = await tempDir("dl-truncated");
    await using hub = await (await standIn()).start();
    const {library, events} = testLibrary(temp.dir, {downloadStallMs: 3000});
    await settings(library, hub);
    hub.truncateAfter = 300_000;
    hub.truncateNext = 1;
    const once = await library.startDownload(`hf:${REPO}/${SLOW_FILE}`);
    const onceDone = await waitFor(events, once.id, (d) => d.state === "done" || d.state === "failed");
    assert.equal(onceDone.state, "done", onceDone.error);
    assert.equal(sha(onceDone.modelPath!), sha(await big()), "the bytes after the drop were fetched again, not left as zeros");

    hub.truncateNext = 0;
    hub.stallAfter = 100_000;
    const never = await library.startDownload(`hf:${REPO}/stories260K.gguf`);
    const failed = await waitFor(events, never.id, (d) => d.state === "failed" || d.state === "done", 30_000);
    assert.equal(failed.state, "failed");
    assert.equal(failed.errorKind, "network", failed.error);
    assert.match(failed.error!, /^No network: /);
    const listed = (await library.scan()).models.map((m) => m.fileName);
    assert.deepEqual(listed, [SAVED_SLOW_FILE], "the incomplete file is not listed");
    await library.close();
});

test("no network: a server that cannot be reached fails at once with one message", async () => {
    await using temp = await tempDir("dl-offline");
    const hub = await (await standIn()).start();
    const origin = hub.origin;
    await hub.close();
    const {library, events} = testLibrary(temp.dir);
    await library.updateSettings({hfEndpoint: origin});
    const started = Date.now();
    for (const uri of [`${origin}/files/stories260K.gguf`, `hf:${REPO}:Q8_0`]) {
        const download = await library.startDownload(uri);
        const failed = await waitFor(events, download.id, (d) => d.state === "failed" || d.state === "done");
        assert.equal(failed.errorKind, "network", failed.error);
        assert.match(failed.error!, /^No network: the server for .* could not be reached \(ECONNREFUSED\)\. Resume it when you are online\.$/);
    }
    assert.ok(Date.now() - started < 10_000, "without waiting for the downloader's minutes of retries");
    await library.close();
});

test("a full disk: a download bigger than the free space fails with one message", async (t) => {
    await using temp = await tempDir("dl-full");
    const disk = path.join(temp.dir, "small-disk");
    await mkdir(disk);
    try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk], {stdio: "pipe"});
    } catch (error) {
        t.skip(
            `a 1 MiB tmpfs could not be mounted here (${
                String((error as {stderr?: Buffer}).stderr ?? error)
                    .trim()
                    .split("\n")[0]
            }), so a full disk cannot be made`
        );
        return;
    }
    try {
        await using hub = await (await standIn()).start();
        const rows = new MemoryRows();
        const {library, events} = testLibrary(temp.dir, {rows});
        await library.updateSettings({hfEndpoint: hub.origin, downloadDir: disk});
        const download = await library.startDownload(`hf:${REPO}/${HF_FILE}`);
        const failed = await waitFor(events, download.id, (d) => d.state === "failed" || d.state === "done");
        assert.equal(failed.errorKind, "diskFull", failed.error);
        assert.match(
            failed.error!,
            /^The disk is full: hf_test-org_tiny-random-Q8_0\.gguf needs 1\.8 MB more but .*small-disk has [\d.]+ [kM]B free\. Free some space and resume it\.$/
        );
        assert.deepEqual(
            (await readdir(disk)).filter((f) => f.endsWith(".gguf")),
            []
        );
        await library.close();
    } finally {
        execFileSync("umount", [disk]);
    }
});

test("download URIs are checked before anything starts", async () => {
    await using temp = await tempDir("dl-uri");
    const {library} = testLibrary(temp.dir);
    await assert.rejects(library.startDownload("ftp://example.com/x.gguf"), /neither an hf: URI .* nor an http\(s\) URL/);
    await assert.rejects(library.startDownload("hf:just-a-name"), /is not an hf: URI/);
    assert.deepEqual(library.downloads.list(), []);
    await library.close();
});
