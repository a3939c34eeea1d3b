/**
 * The screenshot harness's made-up model library (never part of the app or any test): sources of each kind, real
 * model names with their facts, one unusable file, verdicts against the chosen expert, a fit, the catalogue and a
 * download in progress, so the library view can be looked at without a service.
 */
import type {
    CatalogueEntry,
    CompatibilityCheck,
    Download,
    FitEstimate,
    LibraryModel,
    LibrarySnapshot,
    LibrarySource,
    ModelFacts,
    PairVerdicts,
    ServiceApi
} from "../../src-shared/index.ts";

const home = "/home/ada";
const demoDir = "/opt/Tandem/resources/models";
const hf = `${home}/.cache/huggingface/hub`;

function facts(extra: Partial<ModelFacts> & Pick<ModelFacts, "architecture" | "sizeLabel" | "vocabularySize">): ModelFacts {
    return {parameterCount: 0, quantization: "Q4_K_M", vocabularyType: "gpt2", trainingContext: 32768, chatTemplate: true, layers: 24, ...extra};
}

const sources: LibrarySource[] = [
    {id: "demo", kind: "demo", label: "Demo pair", path: demoDir, enabled: true, removable: false, state: "ready", modelCount: 2, notes: []},
    {
        id: `folder:${home}/models`,
        kind: "folder",
        label: "models",
        path: `${home}/models`,
        enabled: true,
        removable: true,
        state: "ready",
        modelCount: 3,
        notes: [`symlink loop: ${home}/models/loop → ${home}/models (skipped)`]
    },
    {
        id: `huggingFace:${hf}`,
        kind: "huggingFace",
        label: "Hugging Face cache",
        path: hf,
        enabled: true,
        removable: false,
        state: "ready",
        modelCount: 2,
        notes: []
    },
    {
        id: `ollama:${home}/.ollama/models`,
        kind: "ollama",
        label: "Ollama",
        path: `${home}/.ollama/models`,
        enabled: false,
        removable: false,
        state: "off",
        modelCount: 0,
        notes: []
    },
    {
        id: "downloads",
        kind: "downloads",
        label: "Downloads",
        path: `${home}/.local/share/tandem/models`,
        enabled: true,
        removable: false,
        state: "ready",
        modelCount: 0,
        notes: []
    }
];

const models: LibraryModel[] = [
    {
        path: `${hf}/models--Qwen--Qwen2.5-1.5B-Instruct-GGUF/snapshots/a1/qwen2.5-1.5b-instruct-q4_k_m.gguf`,
        displayName: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
        fileName: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
        detail: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
        sourceId: sources[2]!.id,
        sourceIds: [sources[2]!.id],
        sizeBytes: 1_117_320_000,
        parts: 1,
        facts: facts({name: "Qwen2.5 1.5B Instruct", architecture: "qwen2", sizeLabel: "1.5B", vocabularySize: 151_936, layers: 28})
    },
    {
        path: `${hf}/models--Qwen--Qwen2.5-0.5B-Instruct-GGUF/snapshots/b2/qwen2.5-0.5b-instruct-q8_0.gguf`,
        displayName: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        fileName: "qwen2.5-0.5b-instruct-q8_0.gguf",
        detail: "qwen2.5-0.5b-instruct-q8_0.gguf",
        sourceId: sources[2]!.id,
        sourceIds: [sources[2]!.id],
        sizeBytes: 531_000_000,
        parts: 1,
        facts: facts({name: "Qwen2.5 0.5B Instruct", architecture: "qwen2", sizeLabel: "0.5B", quantization: "Q8_0", vocabularySize: 151_936})
    },
    {
        path: `${home}/models/Llama-3.2-1B-Instruct-Q4_K_M.gguf`,
        displayName: "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
        fileName: "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
        sourceId: sources[1]!.id,
        sourceIds: [sources[1]!.id],
        sizeBytes: 808_000_000,
        parts: 1,
        facts: facts({
            name: "Llama 3.2 1B Instruct",
            architecture: "llama",
            sizeLabel: "1B",
            vocabularySize: 128_256,
            trainingContext: 131_072,
            layers: 16
        })
    },
    {
        path: `${demoDir}/stories260K.gguf`,
        displayName: "stories260K.gguf",
        fileName: "stories260K.gguf",
        sourceId: "demo",
        sourceIds: ["demo"],
        sizeBytes: 1_185_376,
        parts: 1,
        facts: facts({
            architecture: "llama",
            sizeLabel: "292.8K",
            quantization: "F32",
            vocabularyType: "llama",
            vocabularySize: 512,
            trainingContext: 512,
            chatTemplate: false,
            layers: 5
        })
    },
    {
        path: `${demoDir}/stories260K-L4-earlyexit.gguf`,
        displayName: "stories260K-L4-earlyexit.gguf",
        fileName: "stories260K-L4-earlyexit.gguf",
        sourceId: "demo",
        sourceIds: ["demo"],
        sizeBytes: 1_003_136,
        parts: 1,
        facts: facts({
            architecture: "llama",
            sizeLabel: "243.7K",
            quantization: "F32",
            vocabularyType: "llama",
            vocabularySize: 512,
            trainingContext: 512,
            chatTemplate: false,
            layers: 4
        })
    },
    {
        path: `${home}/models/half-downloaded.gguf`,
        displayName: "half-downloaded.gguf",
        fileName: "half-downloaded.gguf",
        sourceId: sources[1]!.id,
        sourceIds: [sources[1]!.id],
        sizeBytes: 1024,
        parts: 1,
        problem: "the file ends inside its header after 1,024 bytes (a download that stopped early?)"
    }
];

const catalogue: CatalogueEntry[] = [
    {
        id: "qwen-1.5b",
        title: "Qwen2.5 Instruct 1.5B + 0.5B",
        description: "Chat in many languages; the 0.5B drafts for the 1.5B.",
        expert: {
            uri: "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF:Q4_K_M",
            repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
            fileName: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
            sizeBytes: 1_117_320_000,
            installedPath: models[0]!.path
        },
        amateur: {
            uri: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0",
            repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
            fileName: "qwen2.5-0.5b-instruct-q8_0.gguf",
            sizeBytes: 531_000_000,
            installedPath: models[1]!.path
        },
        downloadBytes: 1_648_320_000,
        memoryBytes: 2_300_000_000,
        fit: "fits",
        provenance: "seen on the Hub listing, not downloaded here"
    },
    {
        id: "llama-3b",
        title: "Llama 3.2 Instruct 3B + 1B",
        description: "A general assistant; the 1B drafts for the 3B.",
        expert: {
            uri: "hf:bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
            repo: "bartowski/Llama-3.2-3B-Instruct-GGUF",
            fileName: "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
            sizeBytes: 2_020_000_000,
            installedPath: null
        },
        amateur: {
            uri: "hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
            repo: "bartowski/Llama-3.2-1B-Instruct-GGUF",
            fileName: "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
            sizeBytes: 808_000_000,
            installedPath: models[2]!.path
        },
        downloadBytes: 2_020_000_000,
        memoryBytes: 3_400_000_000,
        fit: "tight",
        provenance: "seen on the Hub listing, not downloaded here"
    }
];

const now = new Date().toISOString();
const downloads: Download[] = [
    {
        id: "d1",
        uri: "hf:bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
        fileName: "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
        dir: sources[4]!.path!,
        state: "downloading",
        downloadedBytes: 734_000_000,
        totalBytes: 2_020_000_000,
        bytesPerSecond: 11_400_000,
        etaSeconds: 113,
        createdAt: now,
        updatedAt: now
    }
];

function verdicts(expertPath: string): PairVerdicts {
    const expert = models.find((m) => m.path === expertPath);
    const others = models.filter((m) => m.path !== expertPath && m.problem == null);
    const same = (m: LibraryModel) =>
        m.facts?.vocabularySize === expert?.facts?.vocabularySize && m.facts?.vocabularyType === expert?.facts?.vocabularyType;
    return {
        expertPath,
        compatible: others.filter(same).map((m) => ({
            amateurPath: m.path,
            compatible: true,
            failures: [],
            sameFamily: true,
            notSmaller: m.sizeBytes >= (expert?.sizeBytes ?? 0),
            summary: `compatible · same family · ${((expert?.sizeBytes ?? 0) / m.sizeBytes).toFixed(1)}× smaller`
        })),
        incompatible: others
            .filter((m) => !same(m))
            .map((m) => {
                const failures = [
                    {
                        rule: "vocabularyType",
                        message: `different tokenizer family (${expert?.facts?.vocabularyType === "llama" ? "SentencePiece" : "BPE"} vs ${m.facts?.vocabularyType === "llama" ? "SentencePiece" : "BPE"})`
                    },
                    {
                        rule: "vocabularySize",
                        message: `vocabularies differ by ${Math.abs((expert?.facts?.vocabularySize ?? 0) - (m.facts?.vocabularySize ?? 0)).toLocaleString("en-US")} ids (at most 128)`
                    }
                ].filter((f) => f.rule !== "vocabularyType" || m.facts?.vocabularyType !== expert?.facts?.vocabularyType);
                return {amateurPath: m.path, compatible: false, failures, sameFamily: false, notSmaller: false, summary: failures[0]!.message};
            })
    };
}

function fit(pair: {expertPath: string; amateurPath: string}): FitEstimate {
    const size = (p: string) => models.find((m) => m.path === p)?.sizeBytes ?? 0;
    const ram = Math.round((size(pair.expertPath) + size(pair.amateurPath)) * 1.15);
    return {
        pair,
        contextSize: 2048,
        method: "header",
        ramBytes: ram,
        vramBytes: 0,
        perModel: {expert: {ramBytes: size(pair.expertPath), vramBytes: 0}, amateur: {ramBytes: size(pair.amateurPath), vramBytes: 0}},
        machine: {totalRamBytes: 16e9, freeRamBytes: 9.2e9, totalVramBytes: null, freeVramBytes: null},
        verdict: "fits",
        summary: `Needs about ${(ram / 1e9).toFixed(1)} GB of memory; 9.2 GB free of 16 GB (estimate from the model headers).`
    };
}

/** The canned verdict on a pair, from the same rules as the amateurs' list. */
export function cannedCheckPair(pair: {expertPath: string; amateurPath: string}): CompatibilityCheck {
    const bad = verdicts(pair.expertPath).incompatible.find((v) => v.amateurPath === pair.amateurPath);
    return bad == null ? {compatible: true, failures: []} : {compatible: false, failures: bad.failures};
}

/** The library part of the canned service. */
export function cannedLibrary(): Pick<
    ServiceApi,
    | "listLibrary"
    | "addModelFolder"
    | "removeModelFolder"
    | "addModelFile"
    | "removeModelFile"
    | "setSourceEnabled"
    | "rescanLibrary"
    | "pairVerdicts"
    | "estimateFit"
    | "catalogue"
    | "startDownload"
    | "cancelDownload"
    | "resumeDownload"
    | "listDownloads"
    | "dismissDownload"
    | "getLibrarySettings"
    | "updateLibrarySettings"
> {
    const snapshot = (): LibrarySnapshot => ({
        sources,
        models,
        scan: {scanning: false, entriesSeen: 214, filesFound: models.length, headersRead: models.length}
    });
    const refuse = (message: string): never => {
        throw Object.assign(new Error(message), {code: "invalidRequest"});
    };
    return {
        listLibrary: async () => snapshot(),
        rescanLibrary: async () => snapshot(),
        addModelFolder: async ({path}) => refuse(`${path} does not exist`),
        removeModelFolder: async () => undefined,
        addModelFile: async ({path}) => refuse(`${path} does not exist`),
        removeModelFile: async () => undefined,
        setSourceEnabled: async ({id, enabled}) => {
            const i = sources.findIndex((s) => s.id === id);
            sources[i] = {...sources[i]!, enabled, state: enabled ? "ready" : "off"};
            return sources[i]!;
        },
        pairVerdicts: async ({expertPath}) => verdicts(expertPath),
        estimateFit: async ({pair}) => fit(pair),
        catalogue: async () => catalogue,
        listDownloads: async () => downloads,
        startDownload: async ({uri}) => ({
            ...downloads[0]!,
            id: `d${downloads.length + 1}`,
            uri,
            fileName: null,
            state: "resolving",
            downloadedBytes: 0,
            totalBytes: null
        }),
        cancelDownload: async ({id}) => ({...downloads.find((d) => d.id === id)!, state: "cancelled"}),
        resumeDownload: async ({id}) => downloads.find((d) => d.id === id)!,
        dismissDownload: async () => undefined,
        getLibrarySettings: async () => ({hfEndpoint: "https://huggingface.co", downloadDir: sources[4]!.path!}),
        updateLibrarySettings: async (changes) => ({hfEndpoint: "https://huggingface.co", downloadDir: sources[4]!.path!, ...changes})
    };
}
