/**
 * Encodes GGUF header pieces (strings, typed metadata values, tensor infos) little-endian into a growing
 * buffer, checking that every value fits the GGUF type it is to be stored as.
 */
import {
    GgufValueType,
    ggufValueTypeName,
    ggufValueTypeSize,
    isGgufValueType,
    describeValueShape,
    isGgufArray,
    type GgufArray,
    type GgufTypedValue,
    type GgufValue
} from "../../src-main/models/header/index.ts";

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Integer ranges of the fixed-size integer types. */
const INT_RANGES: ReadonlyMap<GgufValueType, readonly [bigint, bigint]> = new Map([
    [GgufValueType.UINT8, [0n, 0xffn]],
    [GgufValueType.INT8, [-0x80n, 0x7fn]],
    [GgufValueType.UINT16, [0n, 0xffffn]],
    [GgufValueType.INT16, [-0x8000n, 0x7fffn]],
    [GgufValueType.UINT32, [0n, 0xffff_ffffn]],
    [GgufValueType.INT32, [-0x8000_0000n, 0x7fff_ffffn]],
    [GgufValueType.UINT64, [0n, 0xffff_ffff_ffff_ffffn]],
    [GgufValueType.INT64, [-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn]]
]);

/** Typed array class that stores each numeric item type byte-for-byte as GGUF does (on a little-endian host). */
const TYPED_ARRAY_OF: ReadonlyMap<GgufValueType, abstract new (...args: never[]) => ArrayBufferView> = new Map<
    GgufValueType,
    abstract new (...args: never[]) => ArrayBufferView
>([
    [GgufValueType.UINT8, Uint8Array],
    [GgufValueType.INT8, Int8Array],
    [GgufValueType.UINT16, Uint16Array],
    [GgufValueType.INT16, Int16Array],
    [GgufValueType.UINT32, Uint32Array],
    [GgufValueType.INT32, Int32Array],
    [GgufValueType.FLOAT32, Float32Array],
    [GgufValueType.FLOAT64, Float64Array],
    [GgufValueType.UINT64, BigUint64Array],
    [GgufValueType.INT64, BigInt64Array]
]);

export class ByteWriter {
    private buf = Buffer.alloc(64 * 1024);
    length = 0;

    private reserve(n: number): number {
        if (this.length + n > this.buf.length) {
            const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
            this.buf.copy(grown, 0, 0, this.length);
            this.buf = grown;
        }
        const at = this.length;
        this.length += n;
        return at;
    }

    // Each method reserves first: reserve() may replace this.buf.
    u8(v: number): void {
        const at = this.reserve(1);
        this.buf[at] = v;
    }

    u32(v: number): void {
        const at = this.reserve(4);
        this.buf.writeUInt32LE(v, at);
    }

    u64(v: number | bigint): void {
        const at = this.reserve(8);
        this.buf.writeBigUInt64LE(BigInt(v), at);
    }

    bytes(bytes: Uint8Array): void {
        const at = this.reserve(bytes.length);
        this.buf.set(bytes, at);
    }

    string(text: string): void {
        const length = Buffer.byteLength(text, "utf8");
        this.u64(length);
        const at = this.reserve(length);
        this.buf.write(text, at, length, "utf8");
    }

    /** Zero bytes up to the next multiple of `alignment`. */
    padTo(alignment: number): void {
        const pad = (alignment - (this.length % alignment)) % alignment;
        const at = this.reserve(pad);
        this.buf.fill(0, at, this.length);
    }

    /** The bytes written so far (a view, not a copy). */
    result(): Buffer {
        return this.buf.subarray(0, this.length);
    }
}

/** Writes a metadata key, its type and its value. Throws TypeError/RangeError when the value does not fit the type. */
export function encodeKeyValue(out: ByteWriter, key: string, typed: GgufTypedValue): void {
    if (!isGgufValueType(typed.type)) throw new TypeError(`metadata key "${key}" has unknown GGUF value type ${typed.type}`);
    out.string(key);
    out.u32(typed.type);
    encodeValue(out, key, typed.type, typed.value);
}

function encodeValue(out: ByteWriter, key: string, type: GgufValueType, value: GgufValue): void {
    switch (type) {
        case GgufValueType.STRING:
            if (typeof value !== "string") throw mismatch(key, type, value);
            out.string(value);
            return;
        case GgufValueType.BOOL:
            if (typeof value !== "boolean") throw mismatch(key, type, value);
            out.u8(value ? 1 : 0);
            return;
        case GgufValueType.ARRAY:
            if (!isGgufArray(value)) throw mismatch(key, type, value);
            encodeArray(out, key, value);
            return;
        default:
            encodeScalar(out, key, type, value);
    }
}

function encodeScalar(out: ByteWriter, key: string, type: GgufValueType, value: unknown): void {
    const size = ggufValueTypeSize(type)!;
    const scratch = new DataView(new ArrayBuffer(8));
    if (type === GgufValueType.FLOAT32 || type === GgufValueType.FLOAT64) {
        if (typeof value !== "number") throw mismatch(key, type, value);
        if (type === GgufValueType.FLOAT32) scratch.setFloat32(0, value, true);
        else scratch.setFloat64(0, value, true);
    } else {
        const big = checkedInteger(key, type, value);
        switch (type) {
            case GgufValueType.UINT8:
                scratch.setUint8(0, Number(big));
                break;
            case GgufValueType.INT8:
                scratch.setInt8(0, Number(big));
                break;
            case GgufValueType.UINT16:
                scratch.setUint16(0, Number(big), true);
                break;
            case GgufValueType.INT16:
                scratch.setInt16(0, Number(big), true);
                break;
            case GgufValueType.UINT32:
                scratch.setUint32(0, Number(big), true);
                break;
            case GgufValueType.INT32:
                scratch.setInt32(0, Number(big), true);
                break;
            case GgufValueType.UINT64:
                scratch.setBigUint64(0, big, true);
                break;
            default:
                scratch.setBigInt64(0, big, true);
        }
    }
    out.bytes(new Uint8Array(scratch.buffer, 0, size));
}

function checkedInteger(key: string, type: GgufValueType, value: unknown): bigint {
    let big: bigint;
    if (typeof value === "bigint") big = value;
    else if (typeof value === "number" && Number.isSafeInteger(value)) big = BigInt(value);
    else throw mismatch(key, type, value);
    const [min, max] = INT_RANGES.get(type)!;
    if (big < min || big > max) throw new RangeError(`metadata key "${key}": ${big} does not fit in a ${ggufValueTypeName(type)}`);
    return big;
}

function encodeArray(out: ByteWriter, key: string, array: GgufArray): void {
    const {itemType, items} = array;
    if (!isGgufValueType(itemType)) throw new TypeError(`metadata key "${key}" is an array of unknown GGUF value type ${itemType}`);
    out.u32(itemType);
    out.u64(items.length);
    const Exact = TYPED_ARRAY_OF.get(itemType);
    if (Exact !== undefined && items instanceof Exact) {
        if (LITTLE_ENDIAN_HOST) {
            out.bytes(new Uint8Array(items.buffer, items.byteOffset, items.byteLength));
            return;
        }
    } else if (ArrayBuffer.isView(items) && itemType !== GgufValueType.ARRAY) {
        throw new TypeError(`metadata key "${key}": a ${items.constructor.name} cannot hold ${ggufValueTypeName(itemType)} items`);
    }
    for (const item of items as Iterable<GgufValue>) encodeValue(out, key, itemType, item);
}

function mismatch(key: string, type: GgufValueType, value: unknown): TypeError {
    return new TypeError(`metadata key "${key}" is typed ${ggufValueTypeName(type)} but its value is ${describeValueShape(value)}`);
}

/** Writes one tensor info: name, dims, type and data offset. */
export function encodeTensorInfo(out: ByteWriter, name: string, dims: readonly (number | bigint)[], type: number, offset: number): void {
    out.string(name);
    out.u32(dims.length);
    for (const dim of dims) out.u64(dim);
    out.u32(type);
    out.u64(offset);
}
