/**
 * The in-memory form of GGUF metadata values, shared by the reader and the writer.
 *
 * Scalars: every integer type up to 32 bits and both float types are `number`, the 64-bit integer types
 * are `bigint`, BOOL is `boolean` and STRING is `string`. An array keeps its item type: numeric arrays
 * come back from the reader as typed arrays (Uint32Array for UINT32 items, BigInt64Array for INT64 ...),
 * BOOL arrays as boolean[], STRING arrays as string[] and nested arrays as GgufArray[].
 *
 * A scalar `number` does not say which GGUF type it was stored as, so wherever the exact type matters
 * (writing a file) a value travels as a GgufTypedValue: {type, value}. The reader records every key's
 * type, which is what makes read -> write reproduce the original bytes.
 *
 * Three byte patterns do not survive a read -> write unchanged (none occurs in real models): strings that
 * are not valid UTF-8 (decoded with U+FFFD replacements), BOOL bytes other than 0 and 1 (read as true,
 * written as 1), and NaN payloads of FLOAT32/FLOAT64 scalars (numeric arrays keep their raw bytes).
 */
import {GgufValueType, ggufValueTypeName} from "./ggufTypes.ts";

/** Numeric array items as the reader returns them: the typed array class matches the GGUF item type. */
export type GgufNumericArray =
    Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | BigUint64Array | BigInt64Array;

/** Items of a GGUF array. The writer also accepts plain number[] / bigint[] for numeric item types. */
export type GgufArrayItems = GgufNumericArray | readonly number[] | readonly bigint[] | readonly boolean[] | readonly string[] | readonly GgufArray[];

/** A GGUF array value with its item type. */
export interface GgufArray {
    readonly itemType: GgufValueType;
    readonly items: GgufArrayItems;
}

/** Any GGUF metadata value. */
export type GgufValue = number | bigint | boolean | string | GgufArray;

/** A metadata value together with the GGUF type it is (or will be) stored as. */
export interface GgufTypedValue {
    readonly type: GgufValueType;
    readonly value: GgufValue;
}

/** True when a value is a GgufArray (and not a scalar). */
export function isGgufArray(value: GgufValue | undefined): value is GgufArray {
    return typeof value === "object" && value !== null && "itemType" in value && "items" in value;
}

/** Constructors for typed values, e.g. `gguf.uint32(5)`, `gguf.string("llama")`, `gguf.array(GgufValueType.STRING, tokens)`. */
export const gguf = {
    uint8: (value: number): GgufTypedValue => ({type: GgufValueType.UINT8, value}),
    int8: (value: number): GgufTypedValue => ({type: GgufValueType.INT8, value}),
    uint16: (value: number): GgufTypedValue => ({type: GgufValueType.UINT16, value}),
    int16: (value: number): GgufTypedValue => ({type: GgufValueType.INT16, value}),
    uint32: (value: number): GgufTypedValue => ({type: GgufValueType.UINT32, value}),
    int32: (value: number): GgufTypedValue => ({type: GgufValueType.INT32, value}),
    float32: (value: number): GgufTypedValue => ({type: GgufValueType.FLOAT32, value}),
    float64: (value: number): GgufTypedValue => ({type: GgufValueType.FLOAT64, value}),
    uint64: (value: bigint | number): GgufTypedValue => ({type: GgufValueType.UINT64, value: BigInt(value)}),
    int64: (value: bigint | number): GgufTypedValue => ({type: GgufValueType.INT64, value: BigInt(value)}),
    bool: (value: boolean): GgufTypedValue => ({type: GgufValueType.BOOL, value}),
    string: (value: string): GgufTypedValue => ({type: GgufValueType.STRING, value}),
    array: (itemType: GgufValueType, items: GgufArrayItems): GgufTypedValue => ({type: GgufValueType.ARRAY, value: {itemType, items}})
};

/** A short description of a value's JavaScript shape, for error messages. */
export function describeValueShape(value: unknown): string {
    if (isGgufArray(value as GgufValue)) return `an array of ${ggufValueTypeName((value as GgufArray).itemType)}`;
    if (Array.isArray(value)) return "a plain JavaScript array";
    return `a ${typeof value}`;
}
