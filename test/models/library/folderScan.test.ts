/**
 * A models folder as users have them: the shared models in subfolders, a text file renamed .gguf, a truncated
 * GGUF, a 0-byte .gguf, a symbolic link loop, a link to a model elsewhere, a split model (written as
 * gguf-split writes one) and a split model with a part missing. Every good model is described from its
 * header, every bad one listed with its reason in words, nothing thrown.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {copyFile, mkdir, readFile, rm, symlink, truncate, writeFile} from "node:fs/promises";
import path from "node:path";
import test from "node:test";
import {sharedModel, tempDir, testLibrary, writeSplitModel, MemoryRows} from "./libraryFixtures.ts";

test("a folder scan lists good models with their facts and bad files with their reasons", async () => {
    await using temp = await tempDir("scan");
    const folder = path.join(temp.dir, "models");
    await mkdir(path.join(folder, "story", "deeper"), {recursive: true});
    await mkdir(path.join(folder, "other"), {recursive: true});
    await copyFile(sharedModel("stories260K.gguf"), path.join(folder, "story", "stories260K.gguf"));
    await copyFile(sharedModel("stories260K-L4-earlyexit.gguf"), path.join(folder, "story", "deeper", "stories260K-L4-earlyexit.gguf"));
    await symlink(sharedModel("llama-2-tiny-random.gguf"), path.join(folder, "other", "tiny-random-link.gguf"));
    await writeFile(path.join(folder, "notes.gguf"), "These are my notes about models, not a model.\n");
    await writeFile(path.join(folder, "empty.gguf"), "");
    await copyFile(sharedModel("stories260K-L3-earlyexit.gguf"), path.join(folder, "truncated.gguf"));
    await truncate(path.join(folder, "truncated.gguf"), 400_000);
    await symlink(folder, path.join(folder, "other", "loop"));
    await writeSplitModel(sharedModel("stories260K.gguf"), folder, "story-split", 2);
    const broken = await writeSplitModel(sharedModel("stories260K-L3-earlyexit.gguf"), folder, "broken-split", 3);
    await rm(broken[1]!);

    const rows = new MemoryRows();
    rows.folders.push(folder);
    const {library, events} = testLibrary(temp.dir, {rows});
    const snapshot = await library.scan();
    await library.close();

    const byName = new Map(snapshot.models.map((m) => [m.fileName, m]));
    const story = byName.get("stories260K.gguf");
    assert.ok(story?.facts, "stories260K.gguf is described");
    assert.equal(story.facts.architecture, "llama");
    assert.equal(story.facts.vocabularySize, 512);
    assert.equal(story.facts.vocabularyType, "llama");
    assert.equal(story.facts.parameterCount, 292_800, "parameters as PROVENANCE.md counts them");
    assert.equal(story.facts.quantization, "F32");
    assert.equal(story.facts.trainingContext, 2048);
    assert.equal(story.facts.layers, 5);
    assert.equal(story.facts.chatTemplate, false);
    assert.equal(story.sizeBytes, 1_185_376);

    assert.equal(byName.get("stories260K-L4-earlyexit.gguf")?.facts?.layers, 4, "found two folders down");
    const random = byName.get("tiny-random-link.gguf");
    assert.equal(random?.facts?.vocabularySize, 32_000, "a link to a model elsewhere is followed");
    assert.equal(random.facts.quantization, "F16");

    const split = byName.get("story-split-00001-of-00002.gguf");
    assert.ok(split?.facts, `the split model is described: ${split?.problem}`);
    assert.equal(split.parts, 2);
    assert.equal(split.facts.parameterCount, 292_800, "tensors of both parts counted");
    assert.equal(byName.has("story-split-00002-of-00002.gguf"), false, "the second part is not a model of its own");

    if (process.env.SHOW_REASONS)
        console.log(
            snapshot.models
                .filter((m) => m.problem != null)
                .map((m) => `${m.fileName}: ${m.problem}`)
                .join("\n"),
            snapshot.sources.map((s) => s.notes)
        );
    const reasons = new Map(snapshot.models.filter((m) => m.problem != null).map((m) => [m.fileName, m.problem!]));
    assert.match(reasons.get("notes.gguf") ?? "", /not a GGUF/i);
    assert.match(reasons.get("empty.gguf") ?? "", /empty \(0 bytes\)/);
    assert.match(reasons.get("truncated.gguf") ?? "", /truncated/);
    assert.match(reasons.get("broken-split-00001-of-00003.gguf") ?? "", /part 2 is missing \(broken-split-00002-of-00003\.gguf\)/);
    for (const reason of reasons.values()) assert.doesNotMatch(reason, new RegExp(temp.dir), "reasons name the file, not its whole path");
    assert.equal(snapshot.models.length, 8, snapshot.models.map((m) => m.fileName).join(", "));
    assert.deepEqual(
        snapshot.models.slice(-4).map((m) => m.problem != null),
        [true, true, true, true],
        "unusable models come last"
    );

    const source = snapshot.sources.find((s) => s.id === `folder:${folder}`);
    assert.equal(source?.state, "ready");
    assert.equal(source.modelCount, 8);
    assert.ok(
        source.notes.some((n) => /symbolic link loop: .*loop leads back to/.test(n)),
        source.notes.join("\n")
    );

    const progress = events.filter((e) => e.type === "libraryScan");
    assert.equal(progress.at(0)?.type === "libraryScan" && progress[0].progress.scanning, true);
    const last = progress.at(-1);
    assert.ok(last?.type === "libraryScan" && !last.progress.scanning && last.progress.filesFound >= 10 && last.progress.headersRead === 8);
    assert.ok(events.some((e) => e.type === "library"));
    // The shared models themselves are untouched.
    assert.equal((await readFile(sharedModel("stories260K.gguf"))).length, 1_185_376);
});

test("a model reached by two paths, or copied into two folders, is listed once", async () => {
    await using temp = await tempDir("dedupe");
    const a = path.join(temp.dir, "a");
    const b = path.join(temp.dir, "b");
    await mkdir(a);
    await mkdir(b);
    await copyFile(sharedModel("stories260K.gguf"), path.join(a, "stories260K.gguf"));
    await symlink(path.join(a, "stories260K.gguf"), path.join(b, "linked.gguf"));
    await copyFile(sharedModel("stories260K.gguf"), path.join(b, "copy-of-stories.gguf"));
    const rows = new MemoryRows();
    rows.folders.push(a, b);
    const {library} = testLibrary(temp.dir, {rows});
    const snapshot = await library.scan();
    await library.close();
    assert.equal(snapshot.models.length, 1, snapshot.models.map((m) => m.path).join(", "));
    assert.deepEqual(snapshot.models[0]!.sourceIds, [`folder:${a}`, `folder:${b}`]);
});

test("a watched folder is rescanned when a model is added, renamed away or removed; reading headers loads no llama.cpp binding", async () => {
    await using temp = await tempDir("watch");
    const folder = path.join(temp.dir, "watched");
    await mkdir(path.join(folder, "sub"), {recursive: true});
    const rows = new MemoryRows();
    rows.folders.push(folder);
    const {library, events} = testLibrary(temp.dir, {rows, watch: true});
    assert.deepEqual((await library.scan()).models, []);
    const changed = async (since: number): Promise<void> => {
        for (let i = 0; i < 200 && !events.slice(since).some((e) => e.type === "library"); i++) await new Promise((r) => setTimeout(r, 25));
        while (library.isScanning) await new Promise((r) => setTimeout(r, 25));
    };
    let since = events.length;
    await copyFile(sharedModel("stories260K-L4-earlyexit.gguf"), path.join(folder, "sub", "new-model.gguf"));
    await changed(since);
    assert.deepEqual(
        library.snapshot().models.map((m) => m.fileName),
        ["new-model.gguf"],
        "a file added in a subfolder is found without a rescan request"
    );
    since = events.length;
    await rm(path.join(folder, "sub", "new-model.gguf"));
    await changed(since);
    assert.deepEqual(library.snapshot().models, []);
    await library.close();
    const maps = readFileSync("/proc/self/maps", "utf8");
    assert.doesNotMatch(maps, /llama-addon|libggml|libllama/, "node-llama-cpp's header reader ran without its native binding");
});

test("folders deeper than the limit are noted, not searched", async () => {
    await using temp = await tempDir("depth");
    let deep = path.join(temp.dir, "m");
    for (let i = 0; i < 8; i++) deep = path.join(deep, `d${i}`);
    await mkdir(deep, {recursive: true});
    await copyFile(sharedModel("stories260K-L3-earlyexit.gguf"), path.join(deep, "deep.gguf"));
    const rows = new MemoryRows();
    rows.folders.push(path.join(temp.dir, "m"));
    const {library} = testLibrary(temp.dir, {rows});
    const snapshot = await library.scan();
    await library.close();
    assert.equal(snapshot.models.length, 0);
    assert.ok(snapshot.sources.find((s) => s.kind === "folder")!.notes.some((n) => /deeper than 6 levels/.test(n)));
});
