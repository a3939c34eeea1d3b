/// <reference types="svelte" />
/**
 * The library store (src-renderer/lib/stores/libraryStore.svelte.ts) compiled with Svelte's runes as the page gets
 * it, on a scripted connection: the listing and the remembered pair at start, choosing an expert (every other
 * model compared, the pair checked and its memory fit asked before anything loads), an answer to an older choice
 * never replacing a newer one, the first-run flag, the demo pair in one call, folders and switches, downloads
 * merged from their events, and refusals as alerts in words.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {
    AppStatus,
    CompatibilityCheck,
    Download,
    FitEstimate,
    LibraryModel,
    LibrarySnapshot,
    LibrarySource,
    PairRef,
    PairVerdicts
} from "../../../src-shared/index.ts";
import {importRunes} from "../../helpers/svelteRunes.ts";
import {refusal, ScriptedConnection} from "./scriptedConnection.ts";

type StatusModule = typeof import("../../../src-renderer/lib/stores/statusStore.svelte.ts");
type LibraryModule = typeof import("../../../src-renderer/lib/stores/libraryStore.svelte.ts");
const {StatusStore} = await importRunes<StatusModule>(new URL("../../../src-renderer/lib/stores/statusStore.svelte.ts", import.meta.url));
const {LibraryStore, demoPairOf, mergeDownload} = await importRunes<LibraryModule>(
    new URL("../../../src-renderer/lib/stores/libraryStore.svelte.ts", import.meta.url)
);

function model(path: string, sizeBytes: number, extra: Partial<LibraryModel> = {}): LibraryModel {
    const fileName = path.split("/").pop()!;
    return {
        path,
        displayName: fileName,
        fileName,
        sourceId: "folder:/m",
        sourceIds: ["folder:/m"],
        sizeBytes,
        parts: 1,
        facts: {
            architecture: "llama",
            parameterCount: sizeBytes,
            sizeLabel: "1K",
            quantization: "F32",
            vocabularyType: "llama",
            vocabularySize: 512,
            trainingContext: 512,
            chatTemplate: false,
            layers: 4
        },
        ...extra
    };
}

const demoExpert = model("/app/demo/stories260K.gguf", 1_185_376, {sourceId: "demo", sourceIds: ["demo"]});
const demoAmateur = model("/app/demo/stories260K-L4-earlyexit.gguf", 812_000, {sourceId: "demo", sourceIds: ["demo"]});
const other = model("/m/llama-2-tiny-random.gguf", 4_400_000);
const broken = model("/m/broken.gguf", 0, {facts: undefined, problem: "the file is empty (0 bytes)"});

const folderSource: LibrarySource = {
    id: "folder:/m",
    kind: "folder",
    label: "Models folder",
    path: "/m",
    enabled: true,
    removable: true,
    state: "ready",
    modelCount: 2,
    notes: []
};
const demoSource: LibrarySource = {
    id: "demo",
    kind: "demo",
    label: "Demo pair",
    path: "/app/demo",
    enabled: true,
    removable: false,
    state: "ready",
    modelCount: 2,
    notes: []
};

function snapshot(models: LibraryModel[], sources: LibrarySource[] = [demoSource, folderSource]): LibrarySnapshot {
    return {sources, models, scan: {scanning: false, entriesSeen: 10, filesFound: models.length, headersRead: models.length}};
}

function idleStatus(): AppStatus {
    return {engine: {state: "idle"}, busy: false, calibration: {state: "none"}, version: "0.1.0"};
}

function verdictsFor(expertPath: string): PairVerdicts {
    return {
        expertPath,
        compatible: [
            {
                amateurPath: demoAmateur.path,
                compatible: true,
                failures: [],
                sameFamily: true,
                notSmaller: false,
                summary: "compatible · same family · 1.5× smaller"
            }
        ],
        incompatible: [
            {
                amateurPath: other.path,
                compatible: false,
                sameFamily: false,
                notSmaller: true,
                failures: [{rule: "vocabularySize", message: "vocabularies differ by 31,488 ids (at most 128)"}],
                summary: "vocabularies differ by 31,488 ids (at most 128)"
            }
        ]
    };
}

function fitFor(pair: PairRef): FitEstimate {
    return {
        pair,
        contextSize: 2048,
        method: "header",
        ramBytes: 3_000_000,
        vramBytes: 0,
        perModel: {expert: {ramBytes: 2_000_000, vramBytes: 0}, amateur: {ramBytes: 1_000_000, vramBytes: 0}},
        machine: {totalRamBytes: 8e9, freeRamBytes: 4e9, totalVramBytes: null, freeVramBytes: null},
        verdict: "fits",
        summary: "Needs about 2.9 MB of memory; 3.7 GB free of 7.5 GB (estimate from the model headers)."
    };
}

function checkFor(pair: PairRef): CompatibilityCheck {
    return pair.amateurPath === other.path
        ? {compatible: false, failures: [{rule: "vocabularySize", message: "vocabularies differ by 31,488 ids (at most 128)"}]}
        : {compatible: true, failures: []};
}

async function setUp(handlers: ConstructorParameters<typeof ScriptedConnection>[0] = {}, remembered: PairRef | null = null) {
    const status = idleStatus();
    const connection = new ScriptedConnection({
        getStatus: async () => status,
        listLibrary: async () => snapshot([demoExpert, demoAmateur, other, broken]),
        listDownloads: async () => [],
        catalogue: async () => [],
        pairVerdicts: async ({expertPath}) => verdictsFor(expertPath),
        checkPair: async (pair) => checkFor(pair),
        estimateFit: async ({pair}) => fitFor(pair),
        getLibrarySettings: async () => ({hfEndpoint: "https://huggingface.co", downloadDir: "/data/models"}),
        ...handlers
    });
    const session = new StatusStore();
    await session.connect(async () => connection);
    await session.refresh();
    const library = new LibraryStore(session, {contextSize: () => 1024, rememberedPair: () => remembered});
    return {connection, session, library};
}

test("the demo pair is the demo source's two usable models, the larger as the expert", () => {
    assert.deepEqual(demoPairOf([demoAmateur, other, demoExpert]), {expertPath: demoExpert.path, amateurPath: demoAmateur.path});
    assert.equal(demoPairOf([demoExpert, other]), null);
});

test("first run: nothing chosen and the engine idle; the listing splits usable from unusable", async () => {
    const {library} = await setUp();
    assert.equal(library.firstRun, true);
    await library.start();
    assert.equal(library.listed, true);
    assert.deepEqual(
        library.usable.map((m) => m.fileName),
        ["stories260K.gguf", "stories260K-L4-earlyexit.gguf", "llama-2-tiny-random.gguf"]
    );
    assert.deepEqual(
        library.unusable.map((m) => m.problem),
        ["the file is empty (0 bytes)"]
    );
    assert.equal(library.firstRun, true, "still nothing chosen");
    assert.equal(library.chosen, null);
});

test("the pair of the latest chat is chosen at start, checked, and the first-run screen does not show", async () => {
    const remembered = {expertPath: demoExpert.path, amateurPath: demoAmateur.path};
    const {library} = await setUp({}, remembered);
    await library.start();
    assert.deepEqual(library.chosen, remembered);
    assert.equal(library.firstRun, false);
    assert.equal(library.check?.compatible, true);
    assert.equal(library.chosenUsable, true);
    assert.deepEqual(library.pairForAnswer(), remembered);
});

test("choosing an expert compares every other model; an incompatible amateur is explained and not usable", async () => {
    const {connection, library} = await setUp();
    await library.start();
    await library.chooseExpert(demoExpert.path);
    assert.deepEqual(
        library.verdicts?.compatible.map((v) => v.amateurPath),
        [demoAmateur.path]
    );
    assert.deepEqual(
        library.verdicts?.incompatible[0]!.failures.map((f) => f.rule),
        ["vocabularySize"]
    );
    const checkNow = (): CompatibilityCheck | null => library.check;
    assert.equal(checkNow(), null, "no amateur yet");

    await library.chooseAmateur(other.path);
    assert.equal(checkNow()?.compatible, false);
    assert.equal(library.chosenUsable, false);
    assert.equal(library.pairForAnswer(), null, "an unusable choice is not sent with answers");

    await library.chooseAmateur(demoAmateur.path);
    assert.equal(library.chosenUsable, true);
    assert.equal(library.fit?.verdict, "fits");
    assert.deepEqual(connection.callsTo("estimateFit").at(-1)!.args[0], {
        pair: {expertPath: demoExpert.path, amateurPath: demoAmateur.path},
        contextSize: 1024
    });
    assert.equal(connection.callsTo("loadPair").length, 0, "nothing loads while choosing");

    // Choosing the amateur as the expert clears the amateur.
    await library.chooseExpert(demoAmateur.path);
    assert.equal(library.amateurPath, "");
});

test("a slow check of an older choice does not replace the newer one", async () => {
    const pending: {pair: PairRef; resolve: (c: CompatibilityCheck) => void}[] = [];
    const {library} = await setUp({checkPair: (pair) => new Promise((resolve) => pending.push({pair, resolve}))});
    await library.start();
    library.expertPath = demoExpert.path;
    const first = library.chooseAmateur(other.path);
    const second = library.chooseAmateur(demoAmateur.path);
    pending[1]!.resolve(checkFor(pending[1]!.pair));
    pending[0]!.resolve(checkFor(pending[0]!.pair));
    await Promise.all([first, second]);
    assert.equal(library.check?.compatible, true);
});

test("the demo pair in one call: chosen and loaded", async () => {
    const {connection, library, session} = await setUp({
        loadPair: async (pair): Promise<AppStatus> => ({
            engine: {state: "loading", pair, progress: 0},
            busy: false,
            calibration: {state: "none"},
            version: "0.1.0"
        })
    });
    await library.start();
    assert.equal(await library.useDemoPair(), true);
    assert.deepEqual(connection.callsTo("loadPair")[0]!.args[0], {expertPath: demoExpert.path, amateurPath: demoAmateur.path});
    assert.equal(session.engine?.state, "loading");
    assert.equal(library.firstRun, false);
});

test("folders: added and removed through the service, the listing re-read; a refusal says why", async () => {
    let models = [demoExpert, demoAmateur];
    const {connection, library, session} = await setUp({
        listLibrary: async () => snapshot(models),
        addModelFolder: async ({path}) => {
            if (path === "/nope") throw refusal("invalidRequest", "/nope does not exist");
            models = [...models, other];
            return folderSource;
        },
        removeModelFolder: async () => {
            models = [demoExpert, demoAmateur];
        },
        setSourceEnabled: async ({id, enabled}) => ({...folderSource, id, enabled})
    });
    await library.start();
    assert.equal(await library.addFolder("  /m  "), true);
    assert.deepEqual(connection.callsTo("addModelFolder")[0]!.args[0], {path: "/m"});
    assert.equal(library.models.length, 3);
    assert.equal(await library.addFolder("/nope"), false);
    assert.deepEqual(
        session.alerts.map((a) => a.text),
        ["Could not add the folder /nope: /nope does not exist."]
    );
    assert.equal(await library.addFolder("   "), false, "an empty path is not sent");
    assert.equal(connection.callsTo("addModelFolder").length, 2);
    assert.equal(await library.setSourceEnabled("folder:/m", false), true);
    assert.equal(await library.removeFolder("/m"), true);
    assert.equal(library.models.length, 2);
});

test("downloads: started, updated by events in place, newest first; cancel and a recommended pair's missing files", async () => {
    const at = (s: number) => `2026-01-01T00:00:0${s}.000Z`;
    const base: Download = {
        id: "d1",
        uri: "hf:org/repo/a.gguf",
        fileName: "a.gguf",
        dir: "/data/models",
        state: "resolving",
        downloadedBytes: 0,
        totalBytes: null,
        bytesPerSecond: 0,
        etaSeconds: null,
        createdAt: at(1),
        updatedAt: at(1)
    };
    const {connection, library} = await setUp({
        startDownload: async ({uri}) => ({...base, id: uri === base.uri ? "d1" : "d2", uri, createdAt: uri === base.uri ? at(1) : at(2)}),
        cancelDownload: async ({id}) => ({...base, id, state: "cancelled"})
    });
    await library.start();
    assert.equal(await library.startDownload(" hf:org/repo/a.gguf "), true);
    library.onDownload({...base, state: "downloading", downloadedBytes: 500, totalBytes: 1000, bytesPerSecond: 100, etaSeconds: 5, updatedAt: at(3)});
    assert.equal(library.downloads.length, 1);
    assert.equal(library.downloads[0]!.downloadedBytes, 500);

    await library.downloadPair({
        id: "p",
        title: "t",
        description: "",
        downloadBytes: 2,
        memoryBytes: 2,
        fit: "fits",
        provenance: "",
        expert: {uri: "hf:org/repo/big.gguf", repo: "org/repo", fileName: "big.gguf", sizeBytes: 1, installedPath: null},
        amateur: {uri: "hf:org/repo/a.gguf", repo: "org/repo", fileName: "a.gguf", sizeBytes: 1, installedPath: null}
    });
    assert.deepEqual(
        connection.callsTo("startDownload").map((c) => (c.args[0] as {uri: string}).uri),
        ["hf:org/repo/a.gguf", "hf:org/repo/big.gguf"],
        "the file already downloading is not started twice"
    );
    assert.deepEqual(
        library.downloads.map((d) => d.id),
        ["d2", "d1"]
    );
    await library.cancelDownload("d1");
    assert.equal(library.downloads.find((d) => d.id === "d1")?.state, "cancelled");
    assert.deepEqual(
        mergeDownload([], base).map((d) => d.id),
        ["d1"]
    );
});

test("download settings: read at start, the Hugging Face address saved through the service, a refusal in words", async () => {
    const {connection, library, session} = await setUp({
        updateLibrarySettings: async (changes) => {
            if (changes.hfEndpoint === "ftp://mirror")
                throw refusal("invalidRequest", 'the Hugging Face endpoint must be an http(s) address, not "ftp://mirror"');
            return {hfEndpoint: changes.hfEndpoint ?? "https://huggingface.co", downloadDir: "/data/models"};
        }
    });
    await library.start();
    assert.equal(library.settings?.hfEndpoint, "https://huggingface.co");
    assert.equal(await library.setHfEndpoint(" http://127.0.0.1:9000 "), true);
    assert.deepEqual(connection.callsTo("updateLibrarySettings")[0]!.args[0], {hfEndpoint: "http://127.0.0.1:9000"});
    assert.equal(library.settings?.hfEndpoint, "http://127.0.0.1:9000");
    assert.equal(await library.setHfEndpoint("ftp://mirror"), false);
    assert.match(session.alerts.at(-1)!.text, /^Could not save the Hugging Face address: The Hugging Face endpoint must be an http\(s\) address/);
    assert.equal(library.settings?.hfEndpoint, "http://127.0.0.1:9000", "the saved address stays");
});
