/**
 * The built-in recommended pairs: real GGUF files that share a tokenizer and pair well. Only repository and
 * file names seen on the Hugging Face listings this project could read are used (see
 * ../shared/MODEL-FACTS.md in the checkout's parent): these machines cannot reach the Hub, so no entry was
 * downloaded here, and each says so. Sizes are as listed there (null where the listing gave none).
 *
 * Not offered: SmolLM2 135M + 1.7B (no SmolLM2 135M GGUF was seen), Qwen2.5 1.5B / 3B (no file names seen).
 */
import type {CatalogueEntry} from "./contractTypes.ts";
import {verdictOf, type MachineMemory} from "./fitEstimate.ts";

export const CATALOGUE_PROVENANCE = "seen on the Hub listing, not downloaded here";

type File = {readonly repo: string; readonly fileName: string; readonly sizeBytes: number | null};
type Pair = {readonly id: string; readonly title: string; readonly description: string; readonly expert: File; readonly amateur: File};

const qwen05Q8: File = {repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF", fileName: "qwen2.5-0.5b-instruct-q8_0.gguf", sizeBytes: 531e6};
const qwen7Q5Split: File = {repo: "Qwen/Qwen2.5-7B-Instruct-GGUF", fileName: "qwen2.5-7b-instruct-q5_k_m-00001-of-00002.gguf", sizeBytes: null};
const llama1Q4: File = {repo: "bartowski/Llama-3.2-1B-Instruct-GGUF", fileName: "Llama-3.2-1B-Instruct-Q4_K_M.gguf", sizeBytes: 808e6};
const llama1Q8: File = {repo: "bartowski/Llama-3.2-1B-Instruct-GGUF", fileName: "Llama-3.2-1B-Instruct-Q8_0.gguf", sizeBytes: 1.32e9};
const llama3Q8: File = {repo: "bartowski/Llama-3.2-3B-Instruct-GGUF", fileName: "Llama-3.2-3B-Instruct-Q8_0.gguf", sizeBytes: 3.42e9};
const llama8Q8: File = {repo: "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", fileName: "Meta-Llama-3.1-8B-Instruct-Q8_0.gguf", sizeBytes: null};

export const cataloguePairs: readonly Pair[] = [
    {
        id: "llama-3.2-3b+1b",
        title: "Llama 3.2 3B Instruct + Llama 3.2 1B Instruct",
        description: "Meta's small Llama 3.2 models share one 128k-token vocabulary; the 1B drafts for the 3B.",
        expert: llama3Q8,
        amateur: llama1Q4
    },
    {
        id: "qwen2.5-7b+0.5b",
        title: "Qwen2.5 7B Instruct + Qwen2.5 0.5B Instruct",
        description:
            "Qwen's official GGUFs; the 7B comes in two parts (one model). Their vocabularies list 152,064 and 151,936 ids: " +
            "the 128 padding ids apart, which the decoder leaves out.",
        expert: qwen7Q5Split,
        amateur: qwen05Q8
    },
    {
        id: "llama-3.1-8b+3.2-1b",
        title: "Llama 3.1 8B Instruct + Llama 3.2 1B Instruct",
        description: "A larger expert with the same tokenizer (LM Studio's docs give this pair for speculative decoding).",
        expert: llama8Q8,
        amateur: llama1Q8
    }
];

export function hfUri(file: File): string {
    return `hf:${file.repo}/${file.fileName}`;
}

/**
 * The catalogue for this machine: sizes, a memory need (the file sizes: the weights are the files; the
 * context's cache comes on top, so it is a lower bound) and whether that fits, and which files are already here.
 */
export function catalogueEntries(machine: MachineMemory, installed: (fileName: string, uri: string) => string | null): CatalogueEntry[] {
    return cataloguePairs.map((pair) => {
        const downloadBytes = pair.expert.sizeBytes != null && pair.amateur.sizeBytes != null ? pair.expert.sizeBytes + pair.amateur.sizeBytes : null;
        const file = (f: File) => ({
            uri: hfUri(f),
            repo: f.repo,
            fileName: f.fileName,
            sizeBytes: f.sizeBytes,
            installedPath: installed(f.fileName, hfUri(f))
        });
        return {
            id: pair.id,
            title: pair.title,
            description: pair.description,
            expert: file(pair.expert),
            amateur: file(pair.amateur),
            downloadBytes,
            memoryBytes: downloadBytes,
            fit: downloadBytes == null ? "unknown" : verdictOf(downloadBytes, machine),
            provenance: CATALOGUE_PROVENANCE
        };
    });
}
