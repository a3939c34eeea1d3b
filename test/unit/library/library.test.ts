/**
 * The library's pure parts, no model files: split part names as gguf-split writes them, the caches' default
 * places per OS and environment, Ollama's tag names, download URIs and how downloader failures are worded,
 * the pair rules in a user's words (on made-up tokenizers), and the catalogue (only names seen on the Hub).
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import path from "node:path";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {
    cacheLocations,
    cataloguePairs,
    CATALOGUE_PROVENANCE,
    classifyDownloadError,
    downloadUriProblem,
    groupModelFiles,
    splitName,
    splitPartName
} from "../../../src-main/library/index.ts";
import {ollamaTag} from "../../../src-main/library/cacheLayouts.ts";
import {catalogueEntries} from "../../../src-main/library/catalogue.ts";
import {estimatePairFit, fitFromResolvers, formatBytes} from "../../../src-main/library/fitEstimate.ts";
import {formatParameterCount, quantizationName} from "../../../src-main/library/modelFacts.ts";
import {judgeAll, pairFailures, type PairCandidate} from "../../../src-main/library/pairVerdicts.ts";
import type {TokenizerFacts} from "../../../src-main/models/header/index.ts";

test("split parts: names, grouping under the first part, missing parts named", () => {
    assert.deepEqual(splitName("qwen2.5-7b-instruct-q5_k_m-00002-of-00002.gguf"), {stem: "qwen2.5-7b-instruct-q5_k_m", part: 2, parts: 2});
    assert.equal(splitName("model-00003-of-00002.gguf"), null);
    assert.equal(splitName("model.gguf"), null);
    assert.equal(splitPartName("m", 1, 12), "m-00001-of-00012.gguf");
    const groups = groupModelFiles(["/a/x.gguf", "/a/m-00002-of-00003.gguf", "/a/m-00001-of-00003.gguf", "/b/m-00001-of-00003.gguf"]);
    assert.deepEqual(groups, [
        {path: "/a/x.gguf", parts: ["/a/x.gguf"], missingParts: []},
        {
            path: "/a/m-00001-of-00003.gguf",
            parts: ["/a/m-00001-of-00003.gguf", "/a/m-00002-of-00003.gguf", "/a/m-00003-of-00003.gguf"],
            missingParts: [3]
        },
        {
            path: "/b/m-00001-of-00003.gguf",
            parts: ["/b/m-00001-of-00003.gguf", "/b/m-00002-of-00003.gguf", "/b/m-00003-of-00003.gguf"],
            missingParts: [2, 3]
        }
    ]);
});

test("cache locations: the defaults per OS, and the environment first", () => {
    const linux = cacheLocations({env: {}, home: "/home/me", platform: "linux"}).map((l) => `${l.kind} ${l.path}`);
    assert.deepEqual(linux, [
        "nodeLlamaCpp /home/me/.node-llama-cpp/models",
        "huggingFace /home/me/.cache/huggingface/hub",
        "lmStudio /home/me/.lmstudio/models",
        "lmStudio /home/me/.cache/lm-studio/models",
        "ollama /home/me/.ollama/models",
        "ollama /usr/share/ollama/.ollama/models"
    ]);
    const windows = cacheLocations({env: {OLLAMA_MODELS: "D:\\ollama"}, home: "C:\\Users\\me", platform: "win32"}).map((l) => l.path);
    assert.deepEqual(windows, [
        "C:\\Users\\me\\.node-llama-cpp\\models",
        "C:\\Users\\me\\.cache\\huggingface\\hub",
        "C:\\Users\\me\\.lmstudio\\models",
        "C:\\Users\\me\\.cache\\lm-studio\\models",
        "D:\\ollama",
        "C:\\Users\\me\\.ollama\\models"
    ]);
    const env = cacheLocations({env: {HF_HUB_CACHE: "/x/hub", HF_HOME: "/h", XDG_CACHE_HOME: "/c"}, home: "/home/me", platform: "darwin"});
    assert.deepEqual(
        env.filter((l) => l.kind === "huggingFace").map((l) => l.path),
        ["/x/hub", "/h/hub", "/c/huggingface/hub", "/home/me/.cache/huggingface/hub"]
    );
});

test("Ollama tags as Ollama shows them", () => {
    assert.equal(ollamaTag("registry.ollama.ai", "library", "qwen2.5", "0.5b"), "qwen2.5:0.5b");
    assert.equal(ollamaTag("registry.ollama.ai", "someone", "story", "latest"), "someone/story:latest");
    assert.equal(ollamaTag("hf.co", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q4_K_M"), "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M");
});

test("download URIs: hf: forms and http(s) URLs pass, anything else is refused in words", () => {
    for (const ok of [
        "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0",
        "hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf",
        "hf:org/repo",
        "https://example.com/m.gguf"
    ]) {
        assert.equal(downloadUriProblem(ok), null, ok);
    }
    assert.match(downloadUriProblem("hf:nope")!, /is not an hf: URI: write hf:org\/repo:quant/);
    assert.match(downloadUriProblem("file:///etc/passwd")!, /neither an hf: URI .* nor an http\(s\) URL/);
});

test("downloader failures: one kind and one sentence each", () => {
    const refused = new TypeError("fetch failed", {cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {code: "ECONNREFUSED"})});
    assert.deepEqual(classifyDownloadError(refused, "hf:o/r:Q8_0", "/d"), {
        kind: "network",
        message: "No network: the server for hf:o/r:Q8_0 could not be reached (ECONNREFUSED). Resume it when you are online."
    });
    const notFound = Object.assign(new Error("Url: http://x/y, Status code: 404, status text: Not Found"), {statusCode: 404});
    assert.equal(classifyDownloadError(notFound, "http://x/y", "/d").kind, "notFound");
    const gated = Object.assign(new Error("Status code: 401"), {statusCode: 401});
    assert.match(classifyDownloadError(gated, "hf:meta/x:Q8_0", "/d").message, /refused access: HTTP 401; a gated model needs a token/);
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), {code: "ENOSPC"});
    assert.deepEqual(classifyDownloadError(full, "u", "/d"), {
        kind: "diskFull",
        message: "The disk is full: there is no room left in /d for this download. Free some space and resume it."
    });
    assert.equal(classifyDownloadError(new Error("strange"), "u", "/d").kind, "other");
});

function tokenizer(tokens: string[], patch: Partial<TokenizerFacts> = {}): TokenizerFacts {
    return {vocabularyType: "llama", tokens, bosTokenId: 1, eosTokenId: 2, addBosToken: true, ...patch};
}

test("pair rules in a user's words, every failed rule at once", () => {
    const expert = tokenizer(["<unk>", "<s>", "</s>", "a", "b"]);
    const other = tokenizer(["<unk>", "<s>", "</s>", "a", "c"], {vocabularyType: "gpt2", bosTokenId: 3, eosTokenId: 2, addBosToken: false});
    assert.deepEqual(
        pairFailures(expert, other).map((f) => f.message),
        [
            "different tokenizer family: the expert uses SentencePiece (llama), the amateur byte-level BPE (gpt2)",
            'the vocabularies are different: token 4 is "b" in the expert but "c" in the amateur (1 of 5 shared ids differ)',
            "BOS/EOS differ (expert vs amateur): start-of-text (BOS) token 1 vs 3",
            "add-BOS differs: the expert starts every prompt with a BOS token, the amateur does not"
        ]
    );
    const big = tokenizer(Array.from({length: 300}, (_, i) => `t${i}`));
    const small = tokenizer(Array.from({length: 100}, (_, i) => `t${i}`));
    assert.deepEqual(
        pairFailures(big, small).map((f) => f.message),
        ["vocabularies differ by 200 ids (300 in the expert, 100 in the amateur; at most 128 apart can pair)"]
    );
});

test("amateurs sort best first: same family, then smallest; a larger one is flagged; unusable ones say why", () => {
    const tokens = ["<unk>", "<s>", "</s>", "x"];
    const facts = (architecture: string, parameterCount: number) => ({
        architecture,
        parameterCount,
        sizeLabel: formatParameterCount(parameterCount),
        quantization: "Q8_0",
        vocabularyType: "llama",
        vocabularySize: tokens.length,
        trainingContext: 4096,
        chatTemplate: true,
        layers: 8
    });
    const model = (name: string, architecture: string, parameters: number, padded = false): PairCandidate => ({
        path: `/m/${name}`,
        displayName: name,
        sizeBytes: parameters,
        facts: facts(architecture, parameters),
        tokenizer: tokenizer(padded ? [...tokens, "<pad>"] : tokens)
    });
    const expert = model("expert", "llama", 7e9);
    const result = judgeAll(expert, [
        model("big-twin", "llama", 8e9),
        model("other-arch-small", "qwen2", 0.5e9),
        model("small", "llama", 1e9),
        model("tiny-padded", "llama", 0.1e9, true),
        {path: "/m/broken", displayName: "broken", sizeBytes: 0, problem: "it is empty (0 bytes)"},
        expert
    ]);
    assert.deepEqual(
        result.compatible.map((v) => [path.basename(v.amateurPath), v.summary]),
        [
            ["small", "compatible · same family · 7× smaller"],
            ["big-twin", "compatible · same family · not smaller than the expert: it will not speed anything up"],
            ["tiny-padded", "compatible · 70× smaller"],
            ["other-arch-small", "compatible · 14× smaller"]
        ]
    );
    assert.deepEqual(
        result.incompatible.map((v) => v.summary),
        ["the amateur cannot be used: it is empty (0 bytes)"]
    );
});

test("facts' words: parameter counts, quantization names, sizes", () => {
    assert.deepEqual([292_800, 1_544_000_000, 494_032_768, 999].map(formatParameterCount), ["293K", "1.5B", "494M", "999"]);
    assert.deepEqual(["MOSTLY_Q4_K_M", "ALL_F32", "MOSTLY_BF16"].map(quantizationName), ["Q4_K_M", "F32", "BF16"]);
    assert.deepEqual([531e6, 1.32e9, 3_500, 12].map(formatBytes), ["531 MB", "1.3 GB", "4 kB", "12 bytes"]);
});

test("the header fit estimate adds weights, the KV cache at the context (capped at training) and the logits buffer", () => {
    const memory = {weightsBytes: 1_000_000, kvBytesPerToken: 640, vocabularySize: 512, trainingContext: 2048};
    const pair = {expertPath: "/e", amateurPath: "/a"};
    const fit = estimatePairFit(pair, memory, memory, 4096, {totalRamBytes: 8e9, freeRamBytes: 1e9});
    const one = 1_000_000 + 640 * 2048 + 512 * 4 * 512;
    assert.equal(fit.perModel.expert.ramBytes, one);
    assert.equal(fit.ramBytes, 2 * one);
    assert.equal(fit.verdict, "fits");
    assert.equal(estimatePairFit(pair, memory, memory, 512, {totalRamBytes: 5e6, freeRamBytes: 1e6}).verdict, "tight");
    assert.equal(estimatePairFit(pair, memory, memory, 512, {totalRamBytes: 1e6, freeRamBytes: 1e6}).verdict, "no");
});

test("the resolvers' fit: RAM and VRAM each against free and total, the worse verdict wins", () => {
    const pair = {expertPath: "/e", amateurPath: "/a"};
    const machine = {totalRamBytes: 16e9, freeRamBytes: 8e9};
    const resolved = (vramBytes: number, vram: {totalBytes: number; freeBytes: number} | null) => ({
        expert: {ramBytes: 1e9, vramBytes},
        amateur: {ramBytes: 0.5e9, vramBytes: vramBytes / 4},
        gpu: vram == null ? (false as const) : "cuda",
        vram,
        ram: {totalBytes: 16e9, freeBytes: 8e9}
    });
    const cpu = fitFromResolvers(pair, 4096, resolved(0, null), machine);
    assert.deepEqual([cpu.method, cpu.ramBytes, cpu.vramBytes, cpu.verdict, cpu.machine.totalVramBytes], ["llama.cpp", 1.5e9, 0, "fits", null]);
    assert.equal(
        cpu.summary,
        "Needs about 1.5 GB of memory at 4096 tokens of context; 8.0 GB free of 16.0 GB: it fits (node-llama-cpp's estimate for the CPU)."
    );
    const gpu = fitFromResolvers(pair, 4096, resolved(8e9, {totalBytes: 12e9, freeBytes: 6e9}), machine);
    assert.deepEqual([gpu.vramBytes, gpu.verdict], [10e9, "tight"]);
    assert.match(gpu.summary, /and 10\.0 GB of GPU memory \(6\.0 GB free\).*more than is free now \(node-llama-cpp's estimate for CUDA\)/);
    assert.equal(fitFromResolvers(pair, 4096, resolved(16e9, {totalBytes: 12e9, freeBytes: 6e9}), machine).verdict, "no");
});

test("the catalogue names only files listed in MODEL-FACTS.md, each marked as not downloaded here", () => {
    const factsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/MODEL-FACTS.md");
    let facts: string;
    try {
        facts = readFileSync(factsFile, "utf8");
    } catch {
        facts = "";
    }
    const entries = catalogueEntries({totalRamBytes: 8e9, freeRamBytes: 4e9}, (name) =>
        name === "Llama-3.2-1B-Instruct-Q4_K_M.gguf" ? "/m/x.gguf" : null
    );
    assert.equal(entries.length, cataloguePairs.length);
    for (const entry of entries) {
        assert.equal(entry.provenance, CATALOGUE_PROVENANCE);
        for (const file of [entry.expert, entry.amateur]) {
            assert.equal(file.uri, `hf:${file.repo}/${file.fileName}`);
            if (facts !== "") {
                assert.ok(facts.includes(file.repo), `${file.repo} is in MODEL-FACTS.md`);
                assert.ok(
                    facts.includes(file.fileName) || facts.includes(file.fileName.replace(/^.*-(Q\w+\.gguf)$/, "-$1")),
                    `${file.fileName} is in MODEL-FACTS.md`
                );
            }
        }
    }
    const llama = entries.find((e) => e.id === "llama-3.2-3b+1b")!;
    assert.equal(llama.amateur.installedPath, "/m/x.gguf");
    assert.equal(llama.downloadBytes, 3.42e9 + 808e6);
    assert.equal(llama.fit, "tight");
    assert.equal(entries.find((e) => e.id === "qwen2.5-7b+0.5b")!.fit, "unknown", "the 7B's size was not listed");
});
