/**
 * The caches other apps fill, each built in a temp home the way its app lays it out: the Hugging Face hub
 * cache (snapshots/<commit>/ symlinks into blobs/, refs/main), LM Studio (publisher/repo/file), Ollama
 * (manifests/<registry>/<namespace>/<name>/<tag> JSON naming a blobs/sha256-<hex> file) and node-llama-cpp's
 * models folder. Each model is found once and named as its app names it; each cache can be switched off.
 */
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {copyFile, mkdir, readFile, symlink, writeFile} from "node:fs/promises";
import path from "node:path";
import test from "node:test";
import {sharedModel, tempDir, testLibrary} from "./libraryFixtures.ts";

const QWEN_FILE = "qwen2.5-0.5b-instruct-q8_0.gguf";

async function sha256(file: string): Promise<string> {
    return createHash("sha256")
        .update(await readFile(file))
        .digest("hex");
}

/** hub/models--<org>--<name>/{blobs/<sha>, snapshots/<commit>/<file> → ../../blobs/<sha>, refs/main}. */
async function huggingFaceRepo(hub: string, repo: string, files: {name: string; source: string}[], commits: string[]): Promise<void> {
    const base = path.join(hub, `models--${repo.replace("/", "--")}`);
    await mkdir(path.join(base, "blobs"), {recursive: true});
    await mkdir(path.join(base, "refs"), {recursive: true});
    for (const file of files) {
        const hash = await sha256(file.source);
        await copyFile(file.source, path.join(base, "blobs", hash));
        for (const commit of commits) {
            const link = path.join(base, "snapshots", commit, file.name);
            await mkdir(path.dirname(link), {recursive: true});
            await symlink(path.relative(path.dirname(link), path.join(base, "blobs", hash)), link);
        }
    }
    await writeFile(path.join(base, "refs", "main"), commits.at(-1)!);
}

/** What `ollama pull` leaves: a blob per layer and a manifest naming them. */
async function ollamaModel(root: string, registry: string, namespace: string, name: string, tag: string, model: string): Promise<string> {
    const hash = await sha256(model);
    await mkdir(path.join(root, "blobs"), {recursive: true});
    await copyFile(model, path.join(root, "blobs", `sha256-${hash}`));
    const template = "{{ .Prompt }}";
    const templateHash = createHash("sha256").update(template).digest("hex");
    await writeFile(path.join(root, "blobs", `sha256-${templateHash}`), template);
    const manifest = {
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        config: {mediaType: "application/vnd.docker.container.image.v1+json", digest: `sha256:${"0".repeat(64)}`, size: 485},
        layers: [
            {mediaType: "application/vnd.ollama.image.model", digest: `sha256:${hash}`, size: (await readFile(model)).length},
            {mediaType: "application/vnd.ollama.image.template", digest: `sha256:${templateHash}`, size: template.length}
        ]
    };
    const dir = path.join(root, "manifests", registry, namespace, name);
    await mkdir(dir, {recursive: true});
    await writeFile(path.join(dir, tag), JSON.stringify(manifest));
    return path.join(root, "blobs", `sha256-${hash}`);
}

test("the four caches are found in their default places, each model once, named as its app names it", async () => {
    await using temp = await tempDir("caches");
    const home = temp.dir;
    await huggingFaceRepo(
        path.join(home, ".cache", "huggingface", "hub"),
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        [
            {name: QWEN_FILE, source: sharedModel("stories260K.gguf")},
            {name: "q3/other-quant.gguf", source: sharedModel("llama-2-tiny-random.gguf")}
        ],
        ["0123456789abcdef0123456789abcdef01234567", "89abcdef0123456789abcdef0123456789abcdef"]
    );
    const lmStudio = path.join(home, ".lmstudio", "models", "lmstudio-community", "Stories-GGUF");
    await mkdir(lmStudio, {recursive: true});
    await copyFile(sharedModel("stories260K-L4-earlyexit.gguf"), path.join(lmStudio, "stories-L4-Q8_0.gguf"));
    const ollama = path.join(home, ".ollama", "models");
    const blob = await ollamaModel(ollama, "registry.ollama.ai", "library", "stories", "260k-l3", sharedModel("stories260K-L3-earlyexit.gguf"));
    await ollamaModel(ollama, "hf.co", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q4_K_M", sharedModel("stories260K-L3-earlyexit.gguf"));
    await mkdir(path.join(ollama, "manifests", "registry.ollama.ai", "library", "broken"), {recursive: true});
    await writeFile(path.join(ollama, "manifests", "registry.ollama.ai", "library", "broken", "latest"), "{not json");
    const nlc = path.join(home, ".node-llama-cpp", "models");
    await mkdir(nlc, {recursive: true});
    await copyFile(sharedModel("llama-2-tiny-random.gguf"), path.join(nlc, "hf_aladar_llama-2-tiny-random.gguf"));

    const {library} = testLibrary(home);
    const snapshot = await library.scan();

    const kinds = snapshot.sources.map((s) => `${s.kind}:${s.modelCount}`);
    assert.deepEqual(
        kinds.filter((k) => !k.startsWith("downloads") && !k.startsWith("demo")),
        ["nodeLlamaCpp:1", "huggingFace:2", "lmStudio:1", "ollama:1"]
    );
    const rows = snapshot.models.map((m) => `${m.displayName} | ${m.detail ?? ""} | ${m.sourceId.split(":")[0]}`);
    assert.deepEqual(
        rows.sort(),
        [
            `Qwen/Qwen2.5-0.5B-Instruct-GGUF | ${QWEN_FILE} | huggingFace`,
            "hf_aladar_llama-2-tiny-random.gguf |  | nodeLlamaCpp",
            "lmstudio-community/Stories-GGUF | stories-L4-Q8_0.gguf | lmStudio",
            `stories:260k-l3 | ${path.basename(blob)} | ollama`
        ].sort(),
        "the tiny-random copy in the HF cache and node-llama-cpp's folder is one model; the two Ollama tags on one blob are one model"
    );
    const random = snapshot.models.find((m) => m.sourceId.startsWith("nodeLlamaCpp"))!;
    assert.deepEqual(
        random.sourceIds.map((id) => id.split(":")[0]),
        ["nodeLlamaCpp", "huggingFace"],
        "one model, found in both caches"
    );
    const ollamaModelRow = snapshot.models.find((m) => m.sourceId.startsWith("ollama"))!;
    assert.equal(ollamaModelRow.facts?.layers, 3, "the Ollama blob (no .gguf name) is read as a GGUF");
    assert.equal(ollamaModelRow.path, blob);
    const qwen = snapshot.models.find((m) => m.detail === QWEN_FILE)!;
    assert.match(qwen.path, /snapshots\/89abcdef/, "the snapshot refs/main names");
    assert.equal(qwen.facts?.vocabularySize, 512);
    const ollamaSource = snapshot.sources.find((s) => s.kind === "ollama")!;
    assert.ok(
        ollamaSource.notes.some((n) => /broken:latest.*not JSON/.test(n)),
        ollamaSource.notes.join("\n")
    );

    // Switched off: its models go, the source stays listed as off; on again: back.
    const off = await library.setSourceEnabled(ollamaSource.id, false);
    assert.equal(off.state, "off");
    assert.equal(
        library.snapshot().models.some((m) => m.sourceIds.some((id) => id.startsWith("ollama"))),
        false
    );
    await library.setSourceEnabled(ollamaSource.id, true);
    assert.equal(library.snapshot().models.filter((m) => m.sourceId.startsWith("ollama")).length, 1);
    await library.close();
});

test("cache locations from the environment: HF_HUB_CACHE, HF_HOME and OLLAMA_MODELS", async () => {
    await using temp = await tempDir("cache-env");
    const hubCache = path.join(temp.dir, "elsewhere", "hub");
    const hfHome = path.join(temp.dir, "hf-home");
    const ollamaModels = path.join(temp.dir, "ollama-models");
    await huggingFaceRepo(hubCache, "karpathy/tinyllamas", [{name: "stories260K.gguf", source: sharedModel("stories260K.gguf")}], ["aaaa"]);
    await huggingFaceRepo(path.join(hfHome, "hub"), "org/random", [{name: "tiny.gguf", source: sharedModel("llama-2-tiny-random.gguf")}], ["bbbb"]);
    await ollamaModel(ollamaModels, "registry.ollama.ai", "someone", "story", "latest", sharedModel("stories260K-L4-earlyexit.gguf"));
    const {library} = testLibrary(temp.dir, {
        cacheEnvironment: {env: {HF_HUB_CACHE: hubCache, HF_HOME: hfHome, OLLAMA_MODELS: ollamaModels}, home: temp.dir, platform: "linux"}
    });
    const snapshot = await library.scan();
    await library.close();
    assert.deepEqual(snapshot.models.map((m) => m.displayName).sort(), ["karpathy/tinyllamas", "org/random", "someone/story:latest"]);
    assert.deepEqual(
        snapshot.sources.filter((s) => s.kind !== "downloads" && s.kind !== "demo").map((s) => s.path),
        [hubCache, path.join(hfHome, "hub"), ollamaModels]
    );
});
