/**
 * Test fixtures: copies of a real GGUF model with one thing changed (a metadata value set or removed, a
 * tensor dropped, retyped or overwritten), written with the project's own GGUF writer into a temp folder.
 * They model files our reader accepts but llama.cpp asserts on or refuses.
 */
import {readGguf, typedMetadata, type GgufTensorInfo, type GgufValue} from "../../src-main/models/header/index.ts";
import {GgufValueType} from "../../src-main/models/header/gguf/ggufTypes.ts";
import {writeGguf, type GgufWriteTensor} from "../../tools/gguf/ggufWriter.ts";
import {copyTensor, readTensorBytes} from "../../tools/gguf/ggufTensorData.ts";
import {setMetadata} from "../../tools/fixtures/metadataEdit.ts";

export type ModelEdit = {
    /** Keys to set: an existing key keeps its stored type; a new one is stored as `newKeyType` (default STRING). */
    readonly set?: Readonly<Record<string, GgufValue>>;
    readonly newKeyType?: GgufValueType;
    /** Keys to drop. */
    readonly remove?: readonly string[];
    /** Tensors to leave out. */
    readonly dropTensors?: readonly string[];
    /** A tensor whose GGML type id is replaced (its bytes are kept as they are). */
    readonly retype?: {readonly tensor: string; readonly type: number};
    /** A tensor whose every float32 value is replaced by this one (NaN weights). */
    readonly fillTensor?: {readonly tensor: string; readonly value: number};
};

/** Writes `out`: `base` with `edit` applied. */
export async function writeEditedModel(base: string, out: string, edit: ModelEdit): Promise<string> {
    const file = await readGguf(base);
    let metadata = typedMetadata(file);
    for (const key of edit.remove ?? []) metadata.delete(key);
    for (const [key, value] of Object.entries(edit.set ?? {})) {
        metadata = setMetadata(metadata, key, value, edit.newKeyType ?? GgufValueType.STRING);
    }
    const tensors: GgufWriteTensor[] = [];
    for (const tensor of file.tensors) {
        if (edit.dropTensors?.includes(tensor.name)) continue;
        tensors.push(await editedTensor(file, tensor, edit));
    }
    await writeGguf(out, {metadata, tensors, alignment: file.alignment});
    return out;
}

async function editedTensor(file: Awaited<ReturnType<typeof readGguf>>, tensor: GgufTensorInfo, edit: ModelEdit): Promise<GgufWriteTensor> {
    const copy = copyTensor(file, tensor);
    if (edit.retype?.tensor === tensor.name) {
        const bytes = await readTensorBytes(file, tensor);
        return {...copy, type: edit.retype.type, data: bytes, byteSize: bytes.length};
    }
    if (edit.fillTensor?.tensor === tensor.name) {
        const bytes = await readTensorBytes(file, tensor);
        new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).fill(edit.fillTensor.value);
        return {...copy, data: bytes};
    }
    return copy;
}
