/**
 * HeaderCursor: sequential little-endian reads over the start of a file through a growing window buffer,
 * filled with FileHandle reads in chunks that double in size. Only the bytes the header parser asks for
 * are read, so the tensor data of a multi-GB model is never touched.
 *
 * The primitive reads (u32, u64Length, utf8 ...) are synchronous and assume the caller made the bytes
 * available first with `available()` / `fill()`. This keeps the hot loops (150k vocabulary strings) free
 * of an await per item: they await only when the window runs dry.
 */
import type {FileHandle} from "node:fs/promises";

const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 16 * 1024 * 1024;

export class HeaderCursor {
    /** Absolute file offset of the next byte to parse. */
    pos = 0;
    private buf: Buffer = Buffer.alloc(0);
    /** Absolute file offset of buf[0]. */
    private bufStart = 0;
    /** Absolute file offset one past the last valid byte in buf. */
    private bufEnd = 0;
    private chunk = FIRST_CHUNK;

    constructor(
        private readonly handle: FileHandle,
        readonly fileSize: number
    ) {}

    /** Bytes that can be parsed right now without a fill. */
    available(): number {
        return this.bufEnd - this.pos;
    }

    /**
     * Makes at least `n` bytes after `pos` available. Returns false, reading nothing, when the file
     * (as measured when it was opened) ends before that, or when the file turns out shorter while reading.
     */
    async fill(n: number): Promise<boolean> {
        if (this.bufEnd - this.pos >= n) return true;
        if (this.pos + n > this.fileSize) return false;
        const keep = this.bufEnd - this.pos;
        const want = Math.min(Math.max(n, keep + this.chunk), this.fileSize - this.pos);
        this.chunk = Math.min(this.chunk * 2, MAX_CHUNK);
        let target = this.buf;
        if (want > this.buf.length) target = Buffer.allocUnsafe(want);
        this.buf.copy(target, 0, this.pos - this.bufStart, this.bufEnd - this.bufStart);
        this.buf = target;
        this.bufStart = this.pos;
        let filled = keep;
        while (filled < want) {
            const {bytesRead} = await this.handle.read(this.buf, filled, want - filled, this.bufStart + filled);
            if (bytesRead === 0) break;
            filled += bytesRead;
        }
        this.bufEnd = this.bufStart + filled;
        return filled >= n;
    }

    private at(): number {
        return this.pos - this.bufStart;
    }

    u8(): number {
        const v = this.buf[this.at()]!;
        this.pos += 1;
        return v;
    }

    u32(): number {
        const v = this.buf.readUInt32LE(this.at());
        this.pos += 4;
        return v;
    }

    /**
     * A uint64 used as a length or count: returned as a number when it is at most 2^53 - 1,
     * otherwise as Infinity (callers treat that as an absurd value).
     */
    u64Length(): number {
        const i = this.at();
        const lo = this.buf.readUInt32LE(i);
        const hi = this.buf.readUInt32LE(i + 4);
        this.pos += 8;
        return hi > 0x1fffff ? Infinity : hi * 0x1_0000_0000 + lo;
    }

    /** Decodes `length` bytes as UTF-8. */
    utf8(length: number): string {
        const i = this.at();
        this.pos += length;
        return this.buf.toString("utf8", i, i + length);
    }

    /** A fresh copy of the next `length` bytes (its own ArrayBuffer, offset 0, so typed views are aligned). */
    copyBytes(length: number): ArrayBuffer {
        const i = this.at();
        this.pos += length;
        const out = new ArrayBuffer(length);
        new Uint8Array(out).set(this.buf.subarray(i, i + length));
        return out;
    }

    /** A DataView over the next `length` bytes, valid until the next fill; advances past them. */
    view(length: number): DataView {
        const i = this.at();
        this.pos += length;
        return new DataView(this.buf.buffer, this.buf.byteOffset + i, length);
    }
}
