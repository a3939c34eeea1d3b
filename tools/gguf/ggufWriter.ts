/**
 * GGUF writer: writes a GGUF v3 (or v2) file from typed metadata and tensors whose data is given as bytes
 * or produced lazily, one tensor at a time, so files far larger than memory can be streamed to disk.
 *
 * Layout follows llama.cpp and gguf-py exactly: header, zero padding to the alignment, then each tensor's
 * data at the next aligned offset with zero padding after every tensor (the last one included). Metadata
 * keys are written in the Map's order with their given types, so writing back what readGguf returned
 * (with typedMetadata and the original tensor bytes) reproduces the original file byte for byte.
 */
import {open, rm} from "node:fs/promises";
import type {FileHandle} from "node:fs/promises";
import {GgufValueType, ggmlTypeName, tensorByteSize, type GgufTypedValue} from "../../src-main/models/header/index.ts";
import {ByteWriter, encodeKeyValue, encodeTensorInfo} from "./headerEncoder.ts";

/** Tensor bytes: one buffer, or chunks (sync or async) that together make up the tensor's data. */
export type GgufTensorSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface GgufWriteTensor {
    readonly name: string;
    /** GGML order: dims[0] is the contiguous (row) length. */
    readonly dims: readonly (number | bigint)[];
    /** GGML type id (see GgmlType). */
    readonly type: number;
    /** The bytes, or a function called when this tensor's turn to be written comes. */
    readonly data: Uint8Array | (() => GgufTensorSource | Promise<GgufTensorSource>);
    /** Needed only for a type id that ggufTypes.ts does not know. */
    readonly byteSize?: number;
}

export interface GgufWriteSpec {
    /** 3 (default) or 2; the two share one layout. */
    readonly version?: 2 | 3;
    /** Written in iteration order. */
    readonly metadata: ReadonlyMap<string, GgufTypedValue>;
    readonly tensors: readonly GgufWriteTensor[];
    /** Defaults to general.alignment from the metadata, else 32. Must agree with general.alignment when both are set. */
    readonly alignment?: number;
}

/** Where everything goes in the file, computed before any byte is written. */
export interface GgufLayout {
    readonly header: Buffer;
    readonly alignment: number;
    readonly dataOffset: number;
    /** Per tensor, in spec order: offset relative to dataOffset and byte size. */
    readonly tensors: readonly {readonly offset: number; readonly byteSize: number}[];
    readonly fileSize: number;
}

const DEFAULT_ALIGNMENT = 32;
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

/** Encodes the header and places the tensors. Throws TypeError/RangeError for a spec that cannot be written. */
export function layoutGguf(spec: GgufWriteSpec): GgufLayout {
    const version = spec.version ?? 3;
    if (version !== 2 && version !== 3) throw new RangeError(`GGUF version ${String(version)} cannot be written (only 2 and 3)`);
    const alignment = resolveAlignment(spec);
    const out = new ByteWriter();
    out.bytes(Buffer.from("GGUF", "latin1"));
    out.u32(version);
    out.u64(spec.tensors.length);
    out.u64(spec.metadata.size);
    for (const [key, typed] of spec.metadata) encodeKeyValue(out, key, typed);

    const placed: {offset: number; byteSize: number}[] = [];
    const names = new Set<string>();
    let offset = 0;
    for (const tensor of spec.tensors) {
        if (names.has(tensor.name)) throw new RangeError(`tensor ${tensor.name} is listed twice`);
        names.add(tensor.name);
        const byteSize = expectedByteSize(tensor);
        encodeTensorInfo(out, tensor.name, tensor.dims, tensor.type, offset);
        placed.push({offset, byteSize});
        offset = alignUp(offset + byteSize, alignment);
    }
    out.padTo(alignment);
    const header = out.result();
    return {header, alignment, dataOffset: header.length, tensors: placed, fileSize: header.length + offset};
}

/**
 * Writes a GGUF file. Tensor data is pulled one tensor at a time (lazy sources are called in order) and
 * each tensor must produce exactly its byte size. On any error the partial file is removed.
 * @returns the layout that was written.
 */
export async function writeGguf(path: string, spec: GgufWriteSpec): Promise<GgufLayout> {
    const layout = layoutGguf(spec);
    const handle = await open(path, "w");
    try {
        const sink = new BufferedSink(handle);
        await sink.write(layout.header);
        for (let i = 0; i < spec.tensors.length; i++) {
            const tensor = spec.tensors[i]!;
            const {byteSize} = layout.tensors[i]!;
            const written = await copySource(sink, tensor, byteSize);
            if (written !== byteSize) {
                throw new RangeError(`tensor ${tensor.name} produced ${written} bytes, expected ${byteSize}`);
            }
            await sink.zeros(alignUp(byteSize, layout.alignment) - byteSize);
        }
        await sink.flush();
        await handle.close();
    } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(path, {force: true}).catch(() => undefined);
        throw error;
    }
    return layout;
}

async function copySource(sink: BufferedSink, tensor: GgufWriteTensor, byteSize: number): Promise<number> {
    const source = typeof tensor.data === "function" ? await tensor.data() : tensor.data;
    if (source instanceof Uint8Array) {
        if (source.length > byteSize) return source.length;
        await sink.write(source);
        return source.length;
    }
    let written = 0;
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
        written += chunk.length;
        if (written > byteSize) return written;
        await sink.write(chunk);
    }
    return written;
}

function expectedByteSize(tensor: GgufWriteTensor): number {
    const known = tensorByteSize(tensor.type, tensor.dims);
    if (known !== undefined) {
        if (tensor.byteSize !== undefined && tensor.byteSize !== known) {
            throw new RangeError(`tensor ${tensor.name}: byteSize ${tensor.byteSize} disagrees with its shape, which needs ${known}`);
        }
        return known;
    }
    if (tensor.byteSize !== undefined && Number.isSafeInteger(tensor.byteSize) && tensor.byteSize >= 0) return tensor.byteSize;
    throw new RangeError(
        `tensor ${tensor.name}: the size of a ${ggmlTypeName(tensor.type)} tensor of shape [${tensor.dims.join(", ")}] is unknown; pass byteSize`
    );
}

function resolveAlignment(spec: GgufWriteSpec): number {
    const stored = spec.metadata.get("general.alignment");
    if (stored !== undefined && (stored.type !== GgufValueType.UINT32 || typeof stored.value !== "number")) {
        throw new TypeError("general.alignment must be a UINT32");
    }
    const fromMetadata = stored?.value as number | undefined;
    if (spec.alignment !== undefined && fromMetadata !== undefined && spec.alignment !== fromMetadata) {
        throw new RangeError(`alignment ${spec.alignment} disagrees with general.alignment ${fromMetadata}`);
    }
    const alignment = spec.alignment ?? fromMetadata ?? DEFAULT_ALIGNMENT;
    if (!Number.isSafeInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
        throw new RangeError(`alignment ${alignment} is not a power of two`);
    }
    if (alignment !== DEFAULT_ALIGNMENT && fromMetadata === undefined) {
        throw new RangeError(`alignment ${alignment} needs general.alignment in the metadata, or readers will assume ${DEFAULT_ALIGNMENT}`);
    }
    return alignment;
}

function alignUp(offset: number, alignment: number): number {
    return Math.ceil(offset / alignment) * alignment;
}

/** Collects small writes into one buffer; large chunks go straight to the file. */
class BufferedSink {
    private readonly buf = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    private used = 0;

    constructor(private readonly handle: FileHandle) {}

    async write(chunk: Uint8Array): Promise<void> {
        if (this.used + chunk.length > this.buf.length) await this.flush();
        if (chunk.length >= this.buf.length) {
            await writeAll(this.handle, chunk);
            return;
        }
        this.buf.set(chunk, this.used);
        this.used += chunk.length;
    }

    async zeros(count: number): Promise<void> {
        if (count === 0) return;
        await this.write(Buffer.alloc(count));
    }

    async flush(): Promise<void> {
        if (this.used === 0) return;
        await writeAll(this.handle, this.buf.subarray(0, this.used));
        this.used = 0;
    }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
        const {bytesWritten} = await handle.write(bytes, done, bytes.length - done);
        done += bytesWritten;
    }
}
