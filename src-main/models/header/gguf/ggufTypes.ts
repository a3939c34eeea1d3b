/**
 * GGUF and GGML type tables: the metadata value types of the GGUF format, the GGML tensor type ids
 * (values from llama.cpp's ggml.h) with their block size and bytes per block, and tensor byte sizes.
 *
 * The block sizes and bytes per block were checked against the llama.cpp build bundled with
 * node-llama-cpp 3.21.1 (its `getBlockSizeForGgmlType` / `getTypeSizeForGgmlType`).
 */

/** GGUF metadata value types (`enum gguf_type` in gguf.h). */
export enum GgufValueType {
    UINT8 = 0,
    INT8 = 1,
    UINT16 = 2,
    INT16 = 3,
    UINT32 = 4,
    INT32 = 5,
    FLOAT32 = 6,
    BOOL = 7,
    STRING = 8,
    ARRAY = 9,
    UINT64 = 10,
    INT64 = 11,
    FLOAT64 = 12
}

/** Bytes one value of a fixed-size GGUF value type takes; undefined for STRING, ARRAY and unknown ids. */
export function ggufValueTypeSize(type: number): number | undefined {
    switch (type) {
        case GgufValueType.UINT8:
        case GgufValueType.INT8:
        case GgufValueType.BOOL:
            return 1;
        case GgufValueType.UINT16:
        case GgufValueType.INT16:
            return 2;
        case GgufValueType.UINT32:
        case GgufValueType.INT32:
        case GgufValueType.FLOAT32:
            return 4;
        case GgufValueType.UINT64:
        case GgufValueType.INT64:
        case GgufValueType.FLOAT64:
            return 8;
        default:
            return undefined;
    }
}

/** True for the ids 0..12 that GGUF defines. */
export function isGgufValueType(type: number): type is GgufValueType {
    return Number.isInteger(type) && type >= GgufValueType.UINT8 && type <= GgufValueType.FLOAT64;
}

/** Name of a GGUF value type ("UINT32"), or "type N" for an unknown id. */
export function ggufValueTypeName(type: number): string {
    return isGgufValueType(type) ? GgufValueType[type] : `type ${type}`;
}

/** GGML tensor type ids (`enum ggml_type` in ggml.h). Ids 4, 5, 31-33 and 36-38 were removed upstream. */
export enum GgmlType {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39
}

/** Storage layout of one GGML tensor type: `blockSize` elements are stored in `bytesPerBlock` bytes. */
export interface GgmlTypeInfo {
    readonly name: string;
    readonly blockSize: number;
    readonly bytesPerBlock: number;
}

const QK_K = 256;

/** [type, elements per block, bytes per block] for every known type. */
const TYPE_TABLE: readonly (readonly [GgmlType, number, number])[] = [
    [GgmlType.F32, 1, 4],
    [GgmlType.F16, 1, 2],
    [GgmlType.Q4_0, 32, 18],
    [GgmlType.Q4_1, 32, 20],
    [GgmlType.Q5_0, 32, 22],
    [GgmlType.Q5_1, 32, 24],
    [GgmlType.Q8_0, 32, 34],
    [GgmlType.Q8_1, 32, 36],
    [GgmlType.Q2_K, QK_K, 84],
    [GgmlType.Q3_K, QK_K, 110],
    [GgmlType.Q4_K, QK_K, 144],
    [GgmlType.Q5_K, QK_K, 176],
    [GgmlType.Q6_K, QK_K, 210],
    [GgmlType.Q8_K, QK_K, 292],
    [GgmlType.IQ2_XXS, QK_K, 66],
    [GgmlType.IQ2_XS, QK_K, 74],
    [GgmlType.IQ3_XXS, QK_K, 98],
    [GgmlType.IQ1_S, QK_K, 50],
    [GgmlType.IQ4_NL, 32, 18],
    [GgmlType.IQ3_S, QK_K, 110],
    [GgmlType.IQ2_S, QK_K, 82],
    [GgmlType.IQ4_XS, QK_K, 136],
    [GgmlType.I8, 1, 1],
    [GgmlType.I16, 1, 2],
    [GgmlType.I32, 1, 4],
    [GgmlType.I64, 1, 8],
    [GgmlType.F64, 1, 8],
    [GgmlType.IQ1_M, QK_K, 56],
    [GgmlType.BF16, 1, 2],
    [GgmlType.TQ1_0, QK_K, 54],
    [GgmlType.TQ2_0, QK_K, 66],
    [GgmlType.MXFP4, 32, 17]
];

const TYPE_INFO: ReadonlyMap<number, GgmlTypeInfo> = new Map(
    TYPE_TABLE.map(([type, blockSize, bytesPerBlock]) => [type, {name: GgmlType[type], blockSize, bytesPerBlock}])
);

/** Block layout of a GGML tensor type, or undefined for an id this table does not know. */
export function ggmlTypeInfo(type: number): GgmlTypeInfo | undefined {
    return TYPE_INFO.get(type);
}

/** Name of a GGML tensor type ("Q4_K"), or "type N" for an unknown id. */
export function ggmlTypeName(type: number): string {
    return TYPE_INFO.get(type)?.name ?? `type ${type}`;
}

/**
 * Bytes that a tensor of this type and these dims (GGML order: dims[0] is the contiguous row length)
 * occupies in a GGUF file. Undefined for an unknown type, for a row length that is not a whole number
 * of blocks, or for dims that are not non-negative safe integers or whose size is not a safe integer.
 */
export function tensorByteSize(type: number, dims: readonly (number | bigint)[]): number | undefined {
    const info = TYPE_INFO.get(type);
    if (info === undefined) return undefined;
    let elements = 1n;
    for (const dim of dims) {
        if (typeof dim === "number" && !Number.isSafeInteger(dim)) return undefined;
        const d = BigInt(dim);
        if (d < 0n) return undefined;
        elements *= d;
    }
    const rowLength = dims.length === 0 ? 1n : BigInt(dims[0]!);
    if (rowLength % BigInt(info.blockSize) !== 0n) return undefined;
    const bytes = (elements / BigInt(info.blockSize)) * BigInt(info.bytesPerBlock);
    return bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : undefined;
}
