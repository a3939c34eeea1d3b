/**
 * Access to the tensor data of a parsed GGUF file: read one tensor's bytes, stream them in chunks, or
 * turn a whole file's tensors into lazy writer inputs (for rewriting a model without loading it).
 */
import {open} from "node:fs/promises";
import {ggmlTypeName, GgufError, type GgufFile, type GgufTensorInfo} from "../../src-main/models/header/index.ts";
import type {GgufWriteTensor} from "./ggufWriter.ts";

const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Absolute file range [start, end) of a tensor's data. Throws for a tensor of unknown type (no size). */
export function tensorRange(file: GgufFile, tensor: GgufTensorInfo): {start: number; end: number} {
    if (tensor.byteSize === undefined) {
        throw new RangeError(`${file.path}: tensor ${tensor.name} has type ${ggmlTypeName(tensor.type)}, whose size is unknown`);
    }
    const start = file.dataOffset + tensor.offset;
    return {start, end: start + tensor.byteSize};
}

/** All bytes of one tensor. */
export async function readTensorBytes(file: GgufFile, tensor: GgufTensorInfo): Promise<Buffer> {
    const {start, end} = tensorRange(file, tensor);
    const bytes = Buffer.alloc(end - start);
    const handle = await open(file.path, "r");
    try {
        await readFully(handle, bytes, start, file.path);
    } finally {
        await handle.close();
    }
    return bytes;
}

/** A tensor's bytes in chunks of at most `chunkBytes` (each chunk a fresh buffer). */
export async function* streamTensorBytes(file: GgufFile, tensor: GgufTensorInfo, chunkBytes = DEFAULT_CHUNK_BYTES): AsyncGenerator<Buffer> {
    const {start, end} = tensorRange(file, tensor);
    const handle = await open(file.path, "r");
    try {
        for (let at = start; at < end; at += chunkBytes) {
            const chunk = Buffer.alloc(Math.min(chunkBytes, end - at));
            await readFully(handle, chunk, at, file.path);
            yield chunk;
        }
    } finally {
        await handle.close();
    }
}

/** One tensor as a writer input that streams its bytes from the file when written. */
export function copyTensor(file: GgufFile, tensor: GgufTensorInfo): GgufWriteTensor {
    tensorRange(file, tensor);
    return {name: tensor.name, dims: tensor.dims, type: tensor.type, data: () => streamTensorBytes(file, tensor)};
}

/** Every tensor of the file, in order, as writer inputs. */
export function copyTensors(file: GgufFile): GgufWriteTensor[] {
    return file.tensors.map((tensor) => copyTensor(file, tensor));
}

async function readFully(handle: Awaited<ReturnType<typeof open>>, into: Buffer, position: number, path: string): Promise<void> {
    let done = 0;
    while (done < into.length) {
        const {bytesRead} = await handle.read(into, done, into.length - done, position + done);
        if (bytesRead === 0) {
            throw new GgufError("truncated", path, `${path} is truncated: it ends at byte ${position + done}, inside tensor data`);
        }
        done += bytesRead;
    }
}
