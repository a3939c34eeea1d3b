/**
 * Test helpers: where the shared model files are (env TANDEM_MODELS_DIR, else `<repo>/../shared/models`),
 * their expected sha256 values from PROVENANCE.md, file hashing, and per-test temp folders.
 */
import {createHash} from "node:crypto";
import {mkdtemp, readFile, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

/** test/helpers/ -> ../../ is the repo root, one more ../ is its parent, which holds shared/. */
export const MODELS_DIR = resolve(process.env.TANDEM_MODELS_DIR ?? fileURLToPath(new URL("../../../shared/models", import.meta.url)));

export const STORIES = "stories260K.gguf";
export const STORIES_L4 = "stories260K-L4-earlyexit.gguf";
export const STORIES_L3 = "stories260K-L3-earlyexit.gguf";
export const TINY_RANDOM = "llama-2-tiny-random.gguf";

/** sha256 of each shared model, as recorded in PROVENANCE.md. */
export const PROVENANCE_SHA256: Readonly<Record<string, string>> = {
    [STORIES]: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
    [STORIES_L4]: "ab05d750bcedf9fc952f16d1d617ebefcdc43ce2863db4a7b96aa0cf94439803",
    [STORIES_L3]: "02c3b9ccaf133ff5eeed3d9547154c7af228a08782be6af62124486a085b8034",
    [TINY_RANDOM]: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb"
};

export function modelPath(name: string): string {
    return join(MODELS_DIR, name);
}

export async function sha256Of(path: string): Promise<string> {
    return createHash("sha256")
        .update(await readFile(path))
        .digest("hex");
}

/** A fresh temp folder and a function that removes it. */
export async function makeTempDir(prefix = "tandem-gguf-"): Promise<{dir: string; cleanup: () => Promise<void>}> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    return {dir, cleanup: () => rm(dir, {recursive: true, force: true})};
}
