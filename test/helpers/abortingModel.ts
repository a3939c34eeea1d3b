/**
 * A model file that makes llama.cpp abort the whole process (SIGABRT): the story model with
 * `llama.attention.head_count` = 0 (found by fuzzing; every tensor copied unchanged by the project's GGUF
 * writer). llama.cpp's loader fails `GGML_ASSERT(t_meta.ne[dim] >= 1)`. The header preflight
 * (src-main/models/header/preflight.ts) refuses it before llama.cpp sees it, so the crash tests load it with
 * `skipPreflight` (EngineLoadOptions; ServiceOptions.unsafeSkipPreflight), which hands the file to llama.cpp
 * in the engine process first: the engine process really dies of SIGABRT.
 */
import {mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {readGguf, typedMetadata} from "../../src-main/models/header/index.ts";
import {GgufValueType} from "../../src-main/models/header/gguf/ggufTypes.ts";
import {copyTensor} from "../../tools/gguf/ggufTensorData.ts";
import {writeGguf} from "../../tools/gguf/ggufWriter.ts";
import {setMetadata} from "../../tools/fixtures/metadataEdit.ts";
import {modelPath, storyExpert} from "./models.ts";

/** Writes the zero-head model into a fresh temporary folder; returns its path. */
export async function writeZeroHeadModel(): Promise<string> {
    const file = await readGguf(modelPath(storyExpert));
    const metadata = setMetadata(typedMetadata(file), "llama.attention.head_count", 0, GgufValueType.UINT32);
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), "tandem-abort-")), "stories260K-zero-heads.gguf");
    await writeGguf(out, {
        version: file.version as 2 | 3,
        metadata,
        tensors: file.tensors.map((t) => copyTensor(file, t)),
        alignment: file.alignment
    });
    return out;
}
