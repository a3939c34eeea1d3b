/**
 * Model downloads through node-llama-cpp's createModelDownloader (`hf:` URIs, http(s) URLs, split models),
 * in the service process: the downloader is plain JavaScript (ipull) and loads no llama.cpp binding.
 *
 * - Progress: the downloader's own bytes, speed and time left, sent at most every PROGRESS_INTERVAL_MS.
 * - Never a half-written model: ipull writes `<file>.gguf.ipull` and renames it when complete, and the
 *   library skips the files of a download still running (a split model's finished parts).
 * - Cancel deletes the partial file. Closing the app pauses: the partial file and its resume data stay,
 *   the row is stored as "paused", and resumeDownload continues from where it stopped.
 * - Failures end as one sentence of one kind: no network (checked before starting, and a transfer that
 *   makes no progress for `stallMs`, since ipull retries a lost connection for minutes), not found,
 *   disk full (checked against the free space once the size is known, and ENOSPC while writing).
 */
import {randomUUID} from "node:crypto";
import type {LibraryStore} from "../store/libraryStore.ts";
import {mkdir, rm, stat, statfs} from "node:fs/promises";
import path from "node:path";
import type {Download, DownloadErrorKind} from "./contractTypes.ts";
import {formatBytes} from "./fitEstimate.ts";
import {nodeLlamaCpp} from "./llamaPackage.ts";

export const PROGRESS_INTERVAL_MS = 250;
const SAVE_INTERVAL_MS = 2000;
const DEFAULT_STALL_MS = 60_000;
const PROBE_TIMEOUT_MS = 15_000;
export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

/** Where download rows are remembered across restarts. */
/** The store's download rows, all the download manager needs of it. */
export type DownloadRows = Pick<LibraryStore, "listDownloads" | "saveDownload" | "deleteDownload">;

export type DownloadSettings = {readonly hfEndpoint: string; readonly downloadDir: string};

export type DownloadManagerOptions = {
    readonly rows: DownloadRows;
    readonly settings: () => DownloadSettings;
    /** Every change of a download (progress included, throttled). */
    readonly onChange: (download: Download) => void;
    /** A download finished: its model is on disk. */
    readonly onFinished: (download: Download) => void;
    /** No progress for this long while downloading counts as a lost network (default 60 s). */
    readonly stallMs?: number;
};

type Live = {
    cancelled: boolean;
    paused: boolean;
    controller: AbortController;
    downloader: {cancel(options?: {deleteTempFile?: boolean}): Promise<void>; filesInfo: {filePath: string}[]} | null;
};

/** The URI forms createModelDownloader takes; anything else is refused before a download row exists. */
export function downloadUriProblem(uri: string): string | null {
    const text = uri.trim();
    if (text.startsWith("hf:") || text.startsWith("huggingface:")) {
        const rest = text.slice(text.indexOf(":") + 1);
        if (/^[\w.-]+\/[\w.-]+(:[\w.-]+|\/.+\.gguf(#[\w.-]+)?)?$/i.test(rest)) return null;
        return `"${text.slice(0, 100)}" is not an hf: URI: write hf:org/repo:quant (hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0) or hf:org/repo/file.gguf`;
    }
    try {
        const url = new URL(text);
        if (url.protocol === "https:" || url.protocol === "http:") return null;
    } catch {
        // fall through
    }
    return `"${text.slice(0, 100)}" is neither an hf: URI (hf:org/repo:quant or hf:org/repo/file.gguf) nor an http(s) URL`;
}

/** The free space was measured and is too small (before any byte was written). */
class SpaceError extends Error {
    readonly code = "ENOSPC";
}

/** Every error and cause in a chain. */
function causes(error: unknown): unknown[] {
    const chain: unknown[] = [];
    let current: unknown = error;
    while (current != null && chain.length < 8 && !chain.includes(current)) {
        chain.push(current);
        current = (current as {cause?: unknown}).cause;
    }
    return chain;
}

const NETWORK_CODES = new Set([
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EPIPE",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_SOCKET",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT"
]);

/** Sorts a downloader failure into a kind and one sentence. */
export function classifyDownloadError(error: unknown, uri: string, dir: string): {kind: DownloadErrorKind; message: string} {
    const chain = causes(error);
    const code = chain.map((e) => (e as {code?: unknown}).code).find((c): c is string => typeof c === "string");
    const status = chain.map((e) => (e as {statusCode?: unknown}).statusCode).find((s): s is number => typeof s === "number");
    const text = chain.map((e) => (e instanceof Error ? e.message : String(e))).join(" — ");
    if (code === "ENOSPC" || /ENOSPC|no space left/i.test(text)) {
        const measured = chain.find((e): e is SpaceError => e instanceof SpaceError);
        const detail = measured?.message ?? `there is no room left in ${dir} for this download`;
        return {kind: "diskFull", message: `The disk is full: ${detail}. Free some space and resume it.`};
    }
    if (status === 404 || status === 401 || status === 403 || /\b404\b|does not exist|not found/i.test(text)) {
        const why = status === 401 || status === 403 ? ` (the server refused access: HTTP ${status}; a gated model needs a token)` : "";
        return {kind: "notFound", message: `Not found: ${uri} does not exist on the server${why}.`};
    }
    if ((code != null && NETWORK_CODES.has(code)) || /fetch failed|network|socket|ECONN|ENOTFOUND|EAI_AGAIN/i.test(text)) {
        return {
            kind: "network",
            message: `No network: the server for ${uri} could not be reached (${code ?? "connection failed"}). Resume it when you are online.`
        };
    }
    return {kind: "other", message: `The download failed: ${text.slice(0, 300)}`};
}

export class DownloadManager {
    private readonly live = new Map<string, Live>();
    private readonly downloads = new Map<string, Download>();
    private readonly stallMs: number;

    constructor(private readonly options: DownloadManagerOptions) {
        this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
        for (const download of options.rows.listDownloads()) {
            // A download running when the app last stopped continues from its partial file on resume.
            const interrupted = download.state === "downloading" || download.state === "resolving";
            const row: Download = interrupted ? {...download, state: "paused", bytesPerSecond: 0, etaSeconds: null} : download;
            this.downloads.set(row.id, row);
            if (interrupted) options.rows.saveDownload(row);
        }
    }

    list(): Download[] {
        return [...this.downloads.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    }

    isRunning(id: string): boolean {
        return this.live.has(id);
    }

    get(id: string): Download | undefined {
        return this.downloads.get(id);
    }

    /** Final paths of files still being written (a split model's finished parts among them): the library skips these. */
    pendingFiles(): Set<string> {
        const files = new Set<string>();
        for (const [id, live] of this.live) {
            for (const info of live.downloader?.filesInfo ?? []) files.add(path.resolve(info.filePath));
            const download = this.downloads.get(id);
            if (download?.fileName != null) files.add(path.resolve(download.dir, download.fileName));
        }
        return files;
    }

    async start(uri: string): Promise<Download> {
        const now = new Date().toISOString();
        const download: Download = {
            id: randomUUID(),
            uri: uri.trim(),
            fileName: null,
            dir: this.options.settings().downloadDir,
            state: "resolving",
            downloadedBytes: 0,
            totalBytes: null,
            bytesPerSecond: 0,
            etaSeconds: null,
            createdAt: now,
            updatedAt: now
        };
        this.update(download, true);
        this.run(download.id);
        return download;
    }

    async resume(id: string): Promise<Download> {
        const download = this.require(id);
        if (this.live.has(id)) return download;
        if (download.state === "done") return download;
        const resumed = this.update(
            {...download, state: "resolving", bytesPerSecond: 0, etaSeconds: null, error: undefined, errorKind: undefined},
            true
        );
        this.run(id);
        return resumed;
    }

    /** Stops a download and deletes its partial file. */
    async cancel(id: string): Promise<Download> {
        const download = this.require(id);
        const live = this.live.get(id);
        if (live != null) {
            live.cancelled = true;
            live.controller.abort();
            await live.downloader?.cancel({deleteTempFile: true}).catch(() => undefined);
        } else if (download.state !== "done" && download.fileName != null) {
            await rm(path.join(download.dir, `${download.fileName}.ipull`), {force: true});
        }
        if (download.state === "done") return download;
        return this.update({...this.require(id), state: "cancelled", bytesPerSecond: 0, etaSeconds: null}, true);
    }

    dismiss(id: string): void {
        const download = this.require(id);
        if (this.live.has(id)) throw new Error("a running download cannot be dismissed; cancel it first");
        this.downloads.delete(download.id);
        this.options.rows.deleteDownload(download.id);
    }

    /** Pauses every running download (partial files kept for resume), for shutdown. */
    async close(): Promise<void> {
        const running = [...this.live.entries()];
        for (const [id, live] of running) {
            live.paused = true;
            live.controller.abort();
            await live.downloader?.cancel({deleteTempFile: false}).catch(() => undefined);
            const download = this.downloads.get(id);
            if (download != null) this.update({...download, state: "paused", bytesPerSecond: 0, etaSeconds: null}, true);
        }
        this.live.clear();
    }

    private require(id: string): Download {
        const download = this.downloads.get(id);
        if (download == null) throw new Error(`no download with id ${id}`);
        return download;
    }

    private update(download: Download, save: boolean): Download {
        const row = {...download, updatedAt: new Date().toISOString()};
        // Drop keys set to undefined (a cleared error).
        for (const key of Object.keys(row) as (keyof Download)[]) if (row[key] === undefined) delete row[key];
        this.downloads.set(row.id, row);
        if (save) this.options.rows.saveDownload(row);
        this.options.onChange(row);
        return row;
    }

    private run(id: string): void {
        const live: Live = {cancelled: false, paused: false, controller: new AbortController(), downloader: null};
        this.live.set(id, live);
        void this.runNow(id, live).finally(() => {
            if (this.live.get(id) === live) this.live.delete(id);
        });
    }

    private async runNow(id: string, live: Live): Promise<void> {
        const start = this.require(id);
        const {hfEndpoint} = this.options.settings();
        const dir = start.dir;
        const fail = (error: unknown) => {
            if (live.cancelled || live.paused) return;
            const {kind, message} = classifyDownloadError(error, start.uri, dir);
            void live.downloader?.cancel({deleteTempFile: kind !== "network" && kind !== "diskFull"}).catch(() => undefined);
            this.update({...this.require(id), state: "failed", error: message, errorKind: kind, bytesPerSecond: 0, etaSeconds: null}, true);
        };
        let lastBytes = -1;
        let lastProgressAt = Date.now();
        // ipull retries a lost connection for minutes (resolving included): no progress for stallMs is a lost network.
        const stallTimer = setInterval(
            () => {
                if (Date.now() - lastProgressAt <= this.stallMs || live.cancelled || live.paused) return;
                clearInterval(stallTimer);
                const error = Object.assign(new Error(`no data arrived for ${Math.round(this.stallMs / 1000)} s`), {code: "ETIMEDOUT"});
                fail(error);
                live.paused = true;
                live.controller.abort();
                // Resumable at once, even while the downloader is still retrying its first request.
                if (this.live.get(id) === live) this.live.delete(id);
            },
            Math.min(1000, this.stallMs)
        );
        try {
            await mkdir(dir, {recursive: true});
            await probe(start.uri, hfEndpoint, live.controller.signal);
            if (live.cancelled || live.paused) return;
            const {createModelDownloader} = await nodeLlamaCpp();
            let lastEmit = 0;
            let lastSave = 0;
            const downloader = await createModelDownloader({
                modelUri: start.uri,
                dirPath: dir,
                endpoints: {huggingFace: hfEndpoint},
                deleteTempFileOnCancel: false,
                parallelDownloads: 2,
                onProgress: (status) => {
                    const now = Date.now();
                    if (status.downloadedSize !== lastBytes) {
                        lastBytes = status.downloadedSize;
                        lastProgressAt = now;
                    }
                    if (now - lastEmit < PROGRESS_INTERVAL_MS || live.cancelled || live.paused) return;
                    lastEmit = now;
                    const save = now - lastSave >= SAVE_INTERVAL_MS;
                    if (save) lastSave = now;
                    this.update(
                        {
                            ...this.require(id),
                            state: "downloading",
                            downloadedBytes: status.downloadedSize,
                            totalBytes: status.totalSize,
                            bytesPerSecond: Math.max(0, status.averageSpeed),
                            etaSeconds: Number.isFinite(status.estimatedTimeLeft) ? status.estimatedTimeLeft / 1000 : null
                        },
                        save
                    );
                }
            });
            live.downloader = downloader;
            if (live.cancelled || live.paused) {
                await downloader.cancel({deleteTempFile: live.cancelled});
                return;
            }
            const fileName = downloader.entrypointFilename;
            const totalBytes = downloader.totalSize;
            const already = downloader.downloadedSize;
            this.update({...this.require(id), fileName, state: "downloading", totalBytes, downloadedBytes: already}, true);
            await checkFreeSpace(dir, totalBytes - already, fileName);
            lastProgressAt = Date.now();
            const modelPath = await downloader.download({signal: live.controller.signal});
            if (live.cancelled || live.paused) return;
            const size = await stat(modelPath).then(
                (info) => info.size,
                () => -1
            );
            if (size < 0) throw new Error(`the downloaded file ${modelPath} is not there`);
            // Off the running list first, so the library's scan lists the finished file.
            this.live.delete(id);
            this.update(
                {
                    ...this.require(id),
                    state: "done",
                    modelPath,
                    downloadedBytes: downloader.totalSize,
                    totalBytes: downloader.totalSize,
                    bytesPerSecond: 0,
                    etaSeconds: 0
                },
                true
            );
            this.options.onFinished(this.require(id));
        } catch (error) {
            fail(error);
        } finally {
            clearInterval(stallTimer);
        }
    }
}

/**
 * A quick look at the server before handing the URI to the downloader, which retries a refused connection
 * for minutes: any HTTP answer (even 404) means the network is there.
 */
async function probe(uri: string, hfEndpoint: string, signal: AbortSignal): Promise<void> {
    const target = uri.startsWith("hf:") || uri.startsWith("huggingface:") ? hfEndpoint : uri;
    const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const response = await fetch(target, {method: "HEAD", signal: AbortSignal.any([signal, timeout]), redirect: "manual"});
    await response.body?.cancel().catch(() => undefined);
}

async function checkFreeSpace(dir: string, needBytes: number, fileName: string): Promise<void> {
    if (!(needBytes > 0)) return;
    const info = await statfs(dir).catch(() => null);
    if (info == null) return;
    const free = Number(info.bavail) * Number(info.bsize);
    if (free < needBytes) {
        throw new SpaceError(`${fileName} needs ${formatBytes(needBytes)} more but ${dir} has ${formatBytes(free)} free`);
    }
}
