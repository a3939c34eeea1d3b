/**
 * GGUF reader: parses the header of a GGUF v2/v3 file (metadata and tensor infos) without reading the
 * tensor data, and checks that the file is whole: magic, version, plausible counts and lengths, the
 * header inside the file, and every tensor's bytes inside the file. Problems surface as GgufError.
 *
 * "truncated" versus "corrupt": a count or length that exceeds fixed limits no real model comes near
 * (1M tensors or keys, 2^26 array items, 256 MiB strings, 4 dims) is "corrupt"; one that is plausible but
 * runs past the end of the file is "truncated". Tensor offsets must be multiples of the alignment and
 * shapes must fit their type's block size (llama.cpp refuses both), else "corrupt".
 *
 * The convenience getters (getString, getNumber ...) live in ggufMetadata.ts and are re-exported here.
 *
 * Why not node-llama-cpp's readGgufFileInfo: it parses the same header, but it does not check that the tensor
 * data is in the file (a truncated download parses fine and llama.cpp fails later), it throws generic errors
 * ("Invalid type or block size", "The number NaN cannot be converted to a BigInt") with no kind to branch on and
 * no file name, and it keeps no per-key stored type (which the writer needs to reproduce a file). So this reader
 * exists for exactly those: the error kinds, the truncation check, and the typed metadata; node-llama-cpp still
 * reads the file itself when it loads it.
 */
import {open, stat} from "node:fs/promises";
import type {FileHandle} from "node:fs/promises";
import {GgufError, quoteBytes} from "./ggufErrors.ts";
import {HeaderCursor} from "./headerCursor.ts";
import {GgufValueType, ggmlTypeInfo, ggmlTypeName, ggufValueTypeName, ggufValueTypeSize, isGgufValueType, tensorByteSize} from "./ggufTypes.ts";
import type {GgufArray, GgufArrayItems, GgufValue} from "./ggufValues.ts";
import type {GgufFile, GgufTensorInfo} from "./ggufFile.ts";

export type {GgufFile, GgufTensorInfo} from "./ggufFile.ts";

const MAGIC = Buffer.from("GGUF", "latin1");
/** Smallest possible header: magic, version, tensor count, metadata count. */
const FIXED_HEADER_BYTES = 24;
const DEFAULT_ALIGNMENT = 32;
const GGML_MAX_DIMS = 4;
/** Limits far above any real model; values beyond them can only come from a damaged file. */
const MAX_TENSORS = 1_000_000;
const MAX_METADATA_KEYS = 1_000_000;
const MAX_STRING_BYTES = 256 * 1024 * 1024;
const MAX_ARRAY_ITEMS = 2 ** 26;
const MAX_ARRAY_DEPTH = 8;
/** Smallest encodings, used to reject counts that cannot fit in what is left of the file. */
const MIN_KV_BYTES = 8 + 4 + 1;
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads and validates the header of a GGUF file. Reads only the header bytes.
 * @throws GgufError for a missing path, a directory, a non-GGUF file, an unsupported version, a
 * truncated file or a damaged header.
 */
export async function readGguf(path: string): Promise<GgufFile> {
    const fileSize = await statRegularFile(path);
    let handle: FileHandle;
    try {
        handle = await open(path, "r");
    } catch (error) {
        throw mapFsError(path, error);
    }
    try {
        return await new HeaderParser(path, new HeaderCursor(handle, fileSize)).parse();
    } finally {
        await handle.close();
    }
}

/**
 * The check to run on a model path a user gave: readGguf, whose missing-file and directory cases come
 * back as GgufError kinds "missing" and "notFile".
 */
export async function validateGgufFile(path: string): Promise<GgufFile> {
    return readGguf(path);
}

async function statRegularFile(path: string): Promise<number> {
    if (path.trim() === "") throw new GgufError("missing", path, "no model file was given (the path is empty)");
    let info;
    try {
        info = await stat(path);
    } catch (error) {
        throw mapFsError(path, error);
    }
    if (info.isDirectory()) throw new GgufError("notFile", path, `${path} is a directory, not a GGUF model file`);
    if (!info.isFile()) throw new GgufError("notFile", path, `${path} is not a regular file, so it cannot be a GGUF model file`);
    return info.size;
}

function mapFsError(path: string, error: unknown): unknown {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT") return new GgufError("missing", path, `${path} does not exist`, {cause: error});
    if (code === "ENOTDIR") return new GgufError("missing", path, `${path} does not exist (a parent of it is not a folder)`, {cause: error});
    if (code === "EISDIR") return new GgufError("notFile", path, `${path} is a directory, not a GGUF model file`, {cause: error});
    if (code === "ELOOP")
        return new GgufError("missing", path, `${path} cannot be opened: its symbolic links loop back on themselves`, {cause: error});
    if (code === "ENAMETOOLONG") return new GgufError("missing", path, `${path.slice(0, 80)}… is too long to be a file path`, {cause: error});
    if (code === "EACCES" || code === "EPERM") {
        return new GgufError("notFile", path, `${path} cannot be read (permission denied)`, {cause: error});
    }
    return error;
}

class HeaderParser {
    /** What is being read, for truncation messages. */
    private context = "the file header";

    constructor(
        private readonly path: string,
        private readonly c: HeaderCursor
    ) {}

    async parse(): Promise<GgufFile> {
        const {c, path} = this;
        const version = await this.readMagicAndVersion();
        await this.need(16);
        const tensorCount = c.u64Length();
        const kvCount = c.u64Length();
        if (tensorCount > MAX_TENSORS) this.corrupt(`its header claims ${formatCount(tensorCount)} tensors`);
        if (kvCount > MAX_METADATA_KEYS) this.corrupt(`its header claims ${formatCount(kvCount)} metadata keys`);
        this.checkFits(kvCount, MIN_KV_BYTES, "metadata keys");

        const metadata = new Map<string, GgufValue>();
        const metadataTypes = new Map<string, GgufValueType>();
        for (let i = 0; i < kvCount; i++) {
            this.context = `metadata entry ${i + 1} of ${kvCount}`;
            const key = await this.readString("a metadata key");
            this.context = `metadata key "${key}"`;
            await this.need(4);
            const type = c.u32();
            if (!isGgufValueType(type)) this.corrupt(`metadata key "${key}" has unknown value type ${type}`);
            if (metadata.has(key)) this.corrupt(`metadata key "${key}" appears twice`);
            metadata.set(key, await this.readValue(type, key, 0));
            metadataTypes.set(key, type);
        }

        const alignment = this.alignmentOf(metadata, metadataTypes);
        this.checkFits(tensorCount, MIN_TENSOR_INFO_BYTES, "tensor infos");
        const tensors: GgufTensorInfo[] = [];
        const names = new Set<string>();
        for (let i = 0; i < tensorCount; i++) {
            this.context = `tensor info ${i + 1} of ${tensorCount}`;
            const tensor = await this.readTensorInfo(alignment);
            if (names.has(tensor.name)) this.corrupt(`tensor ${tensor.name} appears twice`);
            names.add(tensor.name);
            tensors.push(tensor);
        }
        const headerEnd = c.pos;
        const dataOffset = alignUp(headerEnd, alignment);
        this.checkTensorsInFile(tensors, dataOffset);
        return {path, version, fileSize: c.fileSize, metadata, metadataTypes, tensors, alignment, dataOffset, headerEnd};
    }

    private async readMagicAndVersion(): Promise<number> {
        const {c, path} = this;
        if (c.fileSize === 0) throw new GgufError("notGguf", path, `${path} is empty (0 bytes), not a GGUF model file`);
        const head = Math.min(c.fileSize, 8);
        await c.fill(head);
        const start = new Uint8Array(c.copyBytes(head));
        const magic = start.subarray(0, 4);
        if (!MAGIC.subarray(0, magic.length).equals(magic)) {
            throw new GgufError("notGguf", path, `${path} is not a GGUF model file (it starts with ${quoteBytes(magic)}, expected "GGUF")`);
        }
        if (c.fileSize < FIXED_HEADER_BYTES) {
            throw new GgufError(
                "truncated",
                path,
                `${path} is truncated: it has only ${c.fileSize} bytes, fewer than the ${FIXED_HEADER_BYTES} of a GGUF header`
            );
        }
        const version = Buffer.from(start).readUInt32LE(4);
        if (version === 2 || version === 3) return version;
        const swapped = Buffer.from(start).readUInt32BE(4);
        if (swapped === 2 || swapped === 3) {
            throw new GgufError(
                "unsupportedVersion",
                path,
                `${path} is a big-endian GGUF file (version ${swapped}); only little-endian files are supported`
            );
        }
        throw new GgufError("unsupportedVersion", path, `${path} is GGUF version ${version}, which is not supported (only versions 2 and 3 are)`);
    }

    private async readTensorInfo(alignment: number): Promise<GgufTensorInfo> {
        const {c} = this;
        const name = await this.readString("a tensor name");
        this.context = `tensor info for ${name}`;
        await this.need(4);
        const nDims = c.u32();
        if (nDims > GGML_MAX_DIMS) this.corrupt(`tensor ${name} claims ${nDims} dimensions (at most ${GGML_MAX_DIMS} are allowed)`);
        await this.need(8 * nDims + 4 + 8);
        const dims: number[] = [];
        let elements = 1n;
        for (let d = 0; d < nDims; d++) {
            const dim = c.u64Length();
            if (!Number.isFinite(dim)) this.corrupt(`tensor ${name} has an absurd dimension`);
            dims.push(dim);
            elements *= BigInt(dim);
        }
        if (elements > 2n ** 63n - 1n) this.corrupt(`tensor ${name} has an absurd shape [${dims.join(", ")}]`);
        const type = c.u32();
        const offset = c.u64Length();
        if (!Number.isFinite(offset)) this.corrupt(`tensor ${name} has an absurd data offset`);
        if (offset % alignment !== 0) {
            this.corrupt(`tensor ${name} has data offset ${offset}, which is not a multiple of the alignment ${alignment}`);
        }
        const byteSize = tensorByteSize(type, dims);
        if (byteSize === undefined && isKnownType(type)) {
            this.corrupt(`tensor ${name} has shape [${dims.join(", ")}], which does not fit type ${ggmlTypeName(type)}`);
        }
        return {name, dims, type, offset, byteSize};
    }

    private checkTensorsInFile(tensors: readonly GgufTensorInfo[], dataOffset: number): void {
        const {c, path} = this;
        let worst: {name: string; end: number} | undefined;
        let outside = 0;
        for (const tensor of tensors) {
            const end = dataOffset + tensor.offset + (tensor.byteSize ?? 0);
            if (end <= c.fileSize) continue;
            outside++;
            if (worst === undefined || end > worst.end) worst = {name: tensor.name, end};
        }
        if (worst === undefined) return;
        const others = outside > 1 ? ` (${outside} of its ${tensors.length} tensors reach past the end)` : "";
        throw new GgufError(
            "truncated",
            path,
            `${path} is truncated: tensor ${worst.name} ends at byte ${worst.end} but the file has ${c.fileSize} bytes${others}`
        );
    }

    private alignmentOf(metadata: Map<string, GgufValue>, types: Map<string, GgufValueType>): number {
        const value = metadata.get("general.alignment");
        if (value === undefined) return DEFAULT_ALIGNMENT;
        if (types.get("general.alignment") !== GgufValueType.UINT32 || typeof value !== "number") {
            this.corrupt(`general.alignment is a ${ggufValueTypeName(types.get("general.alignment")!)}, expected a UINT32`);
        }
        if (value === 0 || (value & (value - 1)) !== 0) this.corrupt(`general.alignment is ${value}, not a power of two`);
        return value;
    }

    private async readValue(type: GgufValueType, key: string, depth: number): Promise<GgufValue> {
        const {c} = this;
        if (type === GgufValueType.STRING) return this.readString(`the value of "${key}"`);
        if (type === GgufValueType.ARRAY) return this.readArray(key, depth);
        const size = ggufValueTypeSize(type)!;
        await this.need(size);
        const view = c.view(size);
        switch (type) {
            case GgufValueType.UINT8:
                return view.getUint8(0);
            case GgufValueType.INT8:
                return view.getInt8(0);
            case GgufValueType.UINT16:
                return view.getUint16(0, true);
            case GgufValueType.INT16:
                return view.getInt16(0, true);
            case GgufValueType.UINT32:
                return view.getUint32(0, true);
            case GgufValueType.INT32:
                return view.getInt32(0, true);
            case GgufValueType.FLOAT32:
                return view.getFloat32(0, true);
            case GgufValueType.FLOAT64:
                return view.getFloat64(0, true);
            case GgufValueType.UINT64:
                return view.getBigUint64(0, true);
            case GgufValueType.INT64:
                return view.getBigInt64(0, true);
            default:
                return view.getUint8(0) !== 0;
        }
    }

    private async readArray(key: string, depth: number): Promise<GgufArray> {
        const {c} = this;
        if (depth >= MAX_ARRAY_DEPTH) this.corrupt(`metadata key "${key}" nests arrays more than ${MAX_ARRAY_DEPTH} deep`);
        await this.need(12);
        const itemType = c.u32();
        const count = c.u64Length();
        if (!isGgufValueType(itemType)) this.corrupt(`metadata key "${key}" is an array of unknown value type ${itemType}`);
        if (count > MAX_ARRAY_ITEMS) {
            this.corrupt(`metadata key "${key}" claims an array of ${formatCount(count)} items`);
        }
        const itemSize = ggufValueTypeSize(itemType);
        const minItemBytes = itemSize ?? (itemType === GgufValueType.STRING ? 8 : 12);
        if (count * minItemBytes > c.fileSize - c.pos) {
            this.truncated(`its ${count} items need at least ${count * minItemBytes} bytes`);
        }
        let items: GgufArrayItems;
        if (itemType === GgufValueType.STRING) items = await this.readStringItems(key, count);
        else if (itemType === GgufValueType.ARRAY) {
            const nested: GgufArray[] = [];
            for (let i = 0; i < count; i++) nested.push(await this.readArray(key, depth + 1));
            items = nested;
        } else {
            await this.need(count * itemSize!);
            items = decodeNumericItems(itemType, count, c);
        }
        return {itemType, items};
    }

    /** The hot loop for vocabularies: awaits only when the window runs dry. */
    private async readStringItems(key: string, count: number): Promise<string[]> {
        const {c} = this;
        const items = new Array<string>(count);
        for (let i = 0; i < count; i++) {
            if (c.available() < 8) await this.need(8);
            const length = c.u64Length();
            if (length > MAX_STRING_BYTES) this.corrupt(`item ${i} of metadata key "${key}" claims a string of ${formatCount(length)} bytes`);
            if (c.available() < length) await this.need(length);
            items[i] = c.utf8(length);
        }
        return items;
    }

    private async readString(what: string): Promise<string> {
        const {c} = this;
        await this.need(8);
        const length = c.u64Length();
        if (length > MAX_STRING_BYTES) this.corrupt(`${what} in ${this.context} claims a string of ${formatCount(length)} bytes`);
        await this.need(length);
        return c.utf8(length);
    }

    private async need(n: number): Promise<void> {
        if (!(await this.c.fill(n))) this.truncated();
    }

    private checkFits(count: number, minBytes: number, what: string): void {
        if (count * minBytes > this.c.fileSize - this.c.pos) {
            this.truncated(`${count} ${what} need at least ${count * minBytes} bytes`);
        }
    }

    private truncated(detail?: string): never {
        const {path, c} = this;
        const why = detail === undefined ? `while reading ${this.context}` : `while reading ${this.context}: ${detail}`;
        throw new GgufError("truncated", path, `${path} is truncated: the file ends at byte ${c.fileSize}, inside its header (${why})`);
    }

    private corrupt(detail: string): never {
        throw new GgufError("corrupt", this.path, `${this.path} is a damaged GGUF file: ${detail}`);
    }
}

function decodeNumericItems(itemType: GgufValueType, count: number, c: HeaderCursor): GgufArrayItems {
    if (itemType === GgufValueType.BOOL) {
        const view = c.view(count);
        const bools = new Array<boolean>(count);
        for (let i = 0; i < count; i++) bools[i] = view.getUint8(i) !== 0;
        return bools;
    }
    const size = ggufValueTypeSize(itemType)!;
    const bytes = c.copyBytes(count * size);
    if (!LITTLE_ENDIAN_HOST && size > 1) swapBytes(new Uint8Array(bytes), size);
    switch (itemType) {
        case GgufValueType.UINT8:
            return new Uint8Array(bytes);
        case GgufValueType.INT8:
            return new Int8Array(bytes);
        case GgufValueType.UINT16:
            return new Uint16Array(bytes);
        case GgufValueType.INT16:
            return new Int16Array(bytes);
        case GgufValueType.UINT32:
            return new Uint32Array(bytes);
        case GgufValueType.INT32:
            return new Int32Array(bytes);
        case GgufValueType.FLOAT32:
            return new Float32Array(bytes);
        case GgufValueType.FLOAT64:
            return new Float64Array(bytes);
        case GgufValueType.UINT64:
            return new BigUint64Array(bytes);
        default:
            return new BigInt64Array(bytes);
    }
}

/** Reverses each `size`-byte group in place (little-endian file data on a big-endian host). */
function swapBytes(bytes: Uint8Array, size: number): void {
    for (let i = 0; i + size <= bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

function isKnownType(type: number): boolean {
    return ggmlTypeInfo(type) !== undefined;
}

function alignUp(offset: number, alignment: number): number {
    return Math.ceil(offset / alignment) * alignment;
}

function formatCount(n: number): string {
    return Number.isFinite(n) ? String(n) : "more than 2^53";
}
