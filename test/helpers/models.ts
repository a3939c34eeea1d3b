/**
 * Where the tests find the shared GGUF models (TANDEM_MODELS_DIR, default ../shared/models beside the
 * repo), and a loader for a story pair with the exact-numerics settings the exactness tests need.
 */
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import path from "node:path";
import {loadModelPair, type LoadPairOptions, type ModelPair} from "../../src-main/models/runtime/modelPair.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const modelsDir = path.resolve(repoRoot, process.env.TANDEM_MODELS_DIR ?? "../shared/models");

/** A shared model by file name, or any model by absolute path (derived fixtures). */
export function modelPath(name: string): string {
    const file = path.isAbsolute(name) ? name : path.join(modelsDir, name);
    if (!existsSync(file)) throw new Error(`test model ${file} is missing: set TANDEM_MODELS_DIR to the folder holding the shared models`);
    return file;
}

export const storyExpert = "stories260K.gguf";
export const storyAmateurL4 = "stories260K-L4-earlyexit.gguf";
export const storyAmateurL3 = "stories260K-L3-earlyexit.gguf";
export const randomLargeVocab = "llama-2-tiny-random.gguf";

/** CPU, one thread per model (this machine has 2 cores), exact numerics, full-vocabulary heads. */
export function loadTestPair(expert: string, amateur: string, options: Partial<LoadPairOptions> = {}): Promise<ModelPair> {
    return loadModelPair({
        expertPath: modelPath(expert),
        amateurPath: modelPath(amateur),
        gpu: false,
        threads: 1,
        contextSize: 512,
        exactNumerics: true,
        topK: 100_000,
        ...options
    });
}
