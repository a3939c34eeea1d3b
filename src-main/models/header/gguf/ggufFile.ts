/** The parsed shape of a GGUF header: what ggufReader.ts returns and ggufMetadata.ts reads. Types only. */
import type {GgufValueType} from "./ggufTypes.ts";
import type {GgufValue} from "./ggufValues.ts";

/** One tensor's entry in the header. `offset` is relative to the start of the data section. */
export interface GgufTensorInfo {
    readonly name: string;
    /** GGML order: dims[0] is the contiguous (row) length. */
    readonly dims: readonly number[];
    /** GGML type id (see GgmlType). */
    readonly type: number;
    readonly offset: number;
    /** Bytes of tensor data; undefined when the type id is unknown to ggufTypes.ts. */
    readonly byteSize: number | undefined;
}

/** A parsed GGUF header. */
export interface GgufFile {
    readonly path: string;
    readonly version: number;
    readonly fileSize: number;
    /** Metadata in file order. */
    readonly metadata: ReadonlyMap<string, GgufValue>;
    /** The GGUF type each metadata key is stored as (same keys, same order). */
    readonly metadataTypes: ReadonlyMap<string, GgufValueType>;
    /** Tensor infos in file order. */
    readonly tensors: readonly GgufTensorInfo[];
    /** general.alignment, or 32 when absent. */
    readonly alignment: number;
    /** Absolute file offset where the tensor data section starts (headerEnd rounded up to the alignment). */
    readonly dataOffset: number;
    /** Absolute file offset one past the last header byte (the last tensor info). */
    readonly headerEnd: number;
}
