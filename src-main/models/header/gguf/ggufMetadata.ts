/**
 * Typed getters over a parsed GGUF header: each returns undefined when the key is absent and throws a
 * GgufError (kind "corrupt") when the key holds a value of the wrong kind. Also: the architecture-scoped
 * getter (`llama.block_count` via getArchNumber), tensor lookup by name, and the metadata with its
 * stored types (the input the writer needs to reproduce a file).
 */
import {GgufError} from "./ggufErrors.ts";
import {GgufValueType, ggufValueTypeName} from "./ggufTypes.ts";
import {isGgufArray} from "./ggufValues.ts";
import type {GgufArray, GgufTypedValue, GgufValue} from "./ggufValues.ts";
import type {GgufFile, GgufTensorInfo} from "./ggufFile.ts";

/** The raw value of a key, or undefined. */
export function getValue(file: GgufFile, key: string): GgufValue | undefined {
    return file.metadata.get(key);
}

export function getString(file: GgufFile, key: string): string | undefined {
    const value = file.metadata.get(key);
    if (value === undefined || typeof value === "string") return value;
    throw wrongKind(file, key, "a string");
}

/** A numeric scalar as a number; 64-bit integers are accepted when they fit in a safe integer. */
export function getNumber(file: GgufFile, key: string): number | undefined {
    const value = file.metadata.get(key);
    if (value === undefined || typeof value === "number") return value;
    if (typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) {
        return Number(value);
    }
    throw wrongKind(file, key, "a number");
}

/** An integer scalar as a bigint (any integer type). */
export function getBigInt(file: GgufFile, key: string): bigint | undefined {
    const value = file.metadata.get(key);
    if (value === undefined || typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    throw wrongKind(file, key, "an integer");
}

export function getBoolean(file: GgufFile, key: string): boolean | undefined {
    const value = file.metadata.get(key);
    if (value === undefined || typeof value === "boolean") return value;
    throw wrongKind(file, key, "a boolean");
}

/** An array value with its item type. */
export function getArray(file: GgufFile, key: string): GgufArray | undefined {
    const value = file.metadata.get(key);
    if (value === undefined || isGgufArray(value)) return value;
    throw wrongKind(file, key, "an array");
}

export function getStringArray(file: GgufFile, key: string): readonly string[] | undefined {
    const array = getArray(file, key);
    if (array === undefined) return undefined;
    if (array.itemType === GgufValueType.STRING) return array.items as readonly string[];
    throw wrongKind(file, key, "an array of strings");
}

/**
 * A numeric array as numbers: the stored typed array itself for types up to 32 bits and floats
 * (no copy), or a converted number[] for 64-bit integer items that all fit in safe integers.
 */
export function getNumberArray(file: GgufFile, key: string): (ArrayLike<number> & Iterable<number>) | undefined {
    const array = getArray(file, key);
    if (array === undefined) return undefined;
    const items = array.items;
    if (items instanceof BigInt64Array || items instanceof BigUint64Array) {
        const numbers = Array.from(items, Number);
        if (numbers.every(Number.isSafeInteger)) return numbers;
    } else if (ArrayBuffer.isView(items) || (Array.isArray(items) && items.every((item) => typeof item === "number"))) {
        return items as ArrayLike<number> & Iterable<number>;
    }
    throw wrongKind(file, key, "an array of numbers");
}

/** general.architecture ("llama"), or undefined. */
export function getArchitecture(file: GgufFile): string | undefined {
    return getString(file, "general.architecture");
}

/** A number under the architecture's prefix: getArchNumber(file, "block_count") reads "llama.block_count". */
export function getArchNumber(file: GgufFile, suffix: string): number | undefined {
    const arch = getArchitecture(file);
    return arch === undefined ? undefined : getNumber(file, `${arch}.${suffix}`);
}

/** The tensor info with this name, or undefined. */
export function findTensor(file: GgufFile, name: string): GgufTensorInfo | undefined {
    return file.tensors.find((tensor) => tensor.name === name);
}

/** The metadata with each key's stored type, in file order: what writeGguf needs to write it back unchanged. */
export function typedMetadata(file: GgufFile): Map<string, GgufTypedValue> {
    const typed = new Map<string, GgufTypedValue>();
    for (const [key, value] of file.metadata) typed.set(key, {type: file.metadataTypes.get(key)!, value});
    return typed;
}

function wrongKind(file: GgufFile, key: string, expected: string): GgufError {
    const type = file.metadataTypes.get(key);
    const actual =
        type === GgufValueType.ARRAY && isGgufArray(file.metadata.get(key))
            ? `an array of ${ggufValueTypeName((file.metadata.get(key) as GgufArray).itemType)}`
            : `a ${ggufValueTypeName(type ?? -1)}`;
    return new GgufError("corrupt", file.path, `${file.path} has metadata key "${key}" holding ${actual}, expected ${expected}`);
}
