/**
 * The model library: every place models are found (the demo pair, TANDEM_MODELS_DIR, folders and files the
 * user added, Tandem's downloads, and the caches other apps fill), scanned in the background with counts,
 * rescanned on demand and when a watched folder changes; each model described once (deduplicated by its
 * real path), split parts listed as one model, and every unusable file listed with its reason. On top: pair
 * verdicts, the fit estimate, the catalogue and downloads.
 */
import {watch, type FSWatcher} from "node:fs";
import {createHash} from "node:crypto";
import {access, constants, open, realpath, stat} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {ModelEntry, PairRef} from "./contractTypes.ts";
import {catalogueEntries} from "./catalogue.ts";
import {readCacheLayout, type FoundFile} from "./cacheLayouts.ts";
import {cacheKinds, cacheLabels, cacheLocations, type CacheEnvironment, type CacheKind} from "./cacheLocations.ts";
import type {
    CatalogueEntry,
    Download,
    FitEstimate,
    LibraryModel,
    LibrarySettings,
    LibrarySnapshot,
    LibrarySource,
    LibrarySourceKind,
    PairVerdicts,
    ScanProgress
} from "./contractTypes.ts";
import type {LibraryStore} from "../store/libraryStore.ts";
import {DEFAULT_HF_ENDPOINT, DownloadManager, downloadUriProblem} from "./downloads.ts";
import {estimatePairFit, fitFromResolvers, machineMemory, type ResolverFit} from "./fitEstimate.ts";
import {errorCode, isGgufName, scanFolder} from "./folderScan.ts";
import {describeModel, type DescribedModel} from "./modelFacts.ts";
import {judgeAll, judgeAmateur, type PairCandidate} from "./pairVerdicts.ts";
import {groupModelFiles, type ModelFileGroup} from "./splitParts.ts";

/** What the library remembers: the store's library rows (schema version 2). */
export type LibraryRows = LibraryStore;

export type LibraryEvent =
    | {readonly type: "library"}
    | {readonly type: "libraryScan"; readonly progress: ScanProgress}
    | {readonly type: "download"; readonly download: Download};

export type LibraryOptions = {
    readonly rows: LibraryRows;
    /** resources/models: the built-in demo pair. */
    readonly demoModelsDir: string;
    /** TANDEM_MODELS_DIR (and any folder given at start). */
    readonly envModelsDirs: readonly string[];
    /** Default download folder (<dataDir>/models). */
    readonly defaultDownloadDir: string;
    readonly emit: (event: LibraryEvent) => void;
    /** Where to look for other apps' caches (default: this process's environment, home and OS). */
    readonly cacheEnvironment?: CacheEnvironment;
    /** Watch scanned folders and rescan on change (default true). */
    readonly watch?: boolean;
    /** Tests: a download making no progress this long fails as "no network". */
    readonly downloadStallMs?: number;
    /** Default HF endpoint when the setting is unset (default: HF_ENDPOINT, MODEL_ENDPOINT, then huggingface.co). */
    readonly env?: Readonly<Record<string, string | undefined>>;
};

/** A model as the library keeps it: what the UI sees, plus what the pair rules and the fit estimate need. */
type Entry = {model: LibraryModel; described: DescribedModel; real: string; identity: string | null};

type SourceState = {
    source: Omit<LibrarySource, "state" | "modelCount" | "notes" | "problem" | "enabled">;
    state: LibrarySource["state"];
    notes: string[];
    problem?: string;
};

const SCAN_EVENT_INTERVAL_MS = 200;
const WATCH_DEBOUNCE_MS = 1000;

export class LibraryError extends Error {}

function collator(a: string, b: string): number {
    return a.localeCompare(b, undefined, {sensitivity: "base", numeric: true});
}

export class Library {
    private entries: Entry[] = [];
    private sourceStates = new Map<string, SourceState>();
    private readonly describedCache = new Map<string, {key: string; described: DescribedModel}>();
    private progress: ScanProgress = {scanning: false, entriesSeen: 0, filesFound: 0, headersRead: 0};
    private scanning: Promise<void> | null = null;
    private rescanWanted = false;
    private watchers = new Map<string, FSWatcher>();
    private watchTimer: NodeJS.Timeout | null = null;
    private closed = false;
    private lastScanEvent = 0;
    readonly downloads: DownloadManager;
    private readonly cacheEnv: CacheEnvironment;

    constructor(private readonly options: LibraryOptions) {
        this.cacheEnv = options.cacheEnvironment ?? {env: process.env, home: os.homedir(), platform: process.platform};
        this.downloads = new DownloadManager({
            rows: options.rows,
            settings: () => this.settings(),
            onChange: (download) => options.emit({type: "download", download}),
            onFinished: () => void this.scan(),
            ...(options.downloadStallMs != null ? {stallMs: options.downloadStallMs} : {})
        });
    }

    // ---------- settings ----------

    settings(): LibrarySettings {
        const env = this.options.env ?? process.env;
        const fromEnv = [env.HF_ENDPOINT, env.MODEL_ENDPOINT].find((value) => value != null && /^https?:\/\//.test(value));
        return {
            hfEndpoint: this.options.rows.getLibrarySetting("hfEndpoint") ?? fromEnv ?? DEFAULT_HF_ENDPOINT,
            downloadDir: this.options.rows.getLibrarySetting("downloadDir") ?? this.options.defaultDownloadDir
        };
    }

    async updateSettings(changes: Partial<LibrarySettings>): Promise<LibrarySettings> {
        if (changes.hfEndpoint != null) {
            let url: URL | null = null;
            try {
                url = new URL(changes.hfEndpoint);
            } catch {
                url = null;
            }
            if (url == null || (url.protocol !== "https:" && url.protocol !== "http:")) {
                throw new LibraryError(`the Hugging Face endpoint must be an http(s) address, not "${changes.hfEndpoint.slice(0, 100)}"`);
            }
            this.options.rows.setLibrarySetting("hfEndpoint", changes.hfEndpoint.replace(/\/+$/, ""));
        }
        if (changes.downloadDir != null) {
            const dir = path.resolve(changes.downloadDir);
            await checkFolder(dir, {mayNotExist: true});
            this.options.rows.setLibrarySetting("downloadDir", dir);
            void this.scan();
        }
        return this.settings();
    }

    // ---------- sources ----------

    /** Every source the library has, enabled or not, in display order. */
    private sourceList(): SourceState["source"][] {
        const sources: SourceState["source"][] = [];
        const add = (id: string, kind: LibrarySourceKind, label: string, folder: string | null, removable: boolean) => {
            if (!sources.some((s) => s.id === id)) sources.push({id, kind, label, path: folder, removable});
        };
        add("demo", "demo", "Demo pair", this.options.demoModelsDir, false);
        for (const dir of this.options.envModelsDirs) add(`env:${dir}`, "env", "TANDEM_MODELS_DIR", dir, false);
        for (const dir of this.options.rows.listModelFolders()) add(`folder:${dir}`, "folder", "Models folder", dir, true);
        if (this.options.rows.listModelFiles().length > 0) add("files", "files", "Files you opened", null, false);
        add("downloads", "downloads", "Downloads", this.settings().downloadDir, false);
        for (const location of cacheLocations(this.cacheEnv)) {
            add(`${location.kind}:${location.path}`, location.kind, cacheLabels[location.kind], location.path, false);
        }
        return sources;
    }

    private disabled(): Set<string> {
        return new Set(this.options.rows.listDisabledSources());
    }

    snapshot(): LibrarySnapshot {
        const disabled = this.disabled();
        const sources: LibrarySource[] = [];
        for (const source of this.sourceList()) {
            const state = this.sourceStates.get(source.id);
            const enabled = source.kind === "demo" || !disabled.has(source.id);
            // Other apps' caches that are not on this machine are not shown at all.
            if (isCache(source.kind) && state?.state === "missing") continue;
            if (isCache(source.kind) && state == null && enabled) continue;
            const modelCount = this.entries.filter((e) => e.model.sourceIds.includes(source.id)).length;
            sources.push({
                ...source,
                enabled,
                state: !enabled ? "off" : (state?.state ?? "scanning"),
                modelCount,
                notes: state?.notes ?? [],
                ...(state?.problem != null ? {problem: state.problem} : {})
            });
        }
        // Usable models first, the demo pair first among them (its expert, the larger, before its amateur), then by name.
        const demo = (m: LibraryModel) => m.sourceId === "demo";
        const models = this.entries
            .map((e) => e.model)
            .sort(
                (a, b) =>
                    Number(a.problem != null) - Number(b.problem != null) ||
                    Number(demo(b)) - Number(demo(a)) ||
                    (demo(a) && demo(b) ? b.sizeBytes - a.sizeBytes : 0) ||
                    collator(a.displayName, b.displayName) ||
                    collator(a.detail ?? "", b.detail ?? "")
            );
        return {sources, models, scan: this.progress};
    }

    async addFolder(folder: string): Promise<LibrarySource> {
        const dir = this.userPath(folder);
        await checkFolder(dir);
        this.options.rows.addModelFolder(dir);
        this.options.rows.setSourceEnabled(`folder:${dir}`, true);
        this.options.emit({type: "library"});
        await this.scan();
        return this.snapshot().sources.find((s) => s.id === `folder:${dir}`)!;
    }

    async removeFolder(folder: string): Promise<void> {
        const dir = path.resolve(folder);
        if (!this.options.rows.listModelFolders().includes(dir)) throw new LibraryError(`${dir} is not one of your model folders`);
        this.options.rows.removeModelFolder(dir);
        await this.scan();
    }

    async addFile(file: string): Promise<LibraryModel> {
        const resolved = this.userPath(file);
        await checkModelFile(resolved);
        this.options.rows.addModelFile(resolved);
        await this.scan();
        const real = await realpath(resolved);
        const entry = this.entries.find((e) => e.real === real || e.model.path === resolved);
        if (entry == null) throw new LibraryError(`${resolved} was added but could not be listed`);
        return entry.model;
    }

    async removeFile(file: string): Promise<void> {
        const resolved = path.resolve(file);
        if (!this.options.rows.listModelFiles().includes(resolved)) throw new LibraryError(`${resolved} is not one of the files you opened`);
        this.options.rows.removeModelFile(resolved);
        await this.scan();
    }

    /** A path typed by the user: "~" is their home; anything else must be absolute (the service's working folder means nothing to them). */
    private userPath(typed: string): string {
        const text = typed.trim();
        if (text === "~" || text.startsWith("~/")) return path.join(this.cacheEnv.home, text.slice(1));
        if (!path.isAbsolute(text))
            throw new LibraryError(`${text} is not an absolute path: give the whole path, starting with / (or ~ for your home folder)`);
        return path.resolve(text);
    }

    async setSourceEnabled(id: string, enabled: boolean): Promise<LibrarySource> {
        const source = this.sourceList().find((s) => s.id === id);
        if (source == null) throw new LibraryError(`there is no model source "${id.slice(0, 200)}"`);
        if (source.kind === "demo" && !enabled) throw new LibraryError("the demo pair cannot be switched off");
        this.options.rows.setSourceEnabled(id, enabled);
        await this.scan();
        return this.snapshot().sources.find((s) => s.id === id) ?? {...source, enabled, state: enabled ? "missing" : "off", modelCount: 0, notes: []};
    }

    // ---------- scanning ----------

    /** Rescans every enabled source; concurrent calls share one scan (and one more runs if asked for during it). */
    async scan(): Promise<LibrarySnapshot> {
        if (this.closed) return this.snapshot();
        if (this.scanning != null) {
            this.rescanWanted = true;
            while (this.scanning != null) await this.scanning;
            return this.snapshot();
        }
        this.scanning = (async () => {
            do {
                this.rescanWanted = false;
                await this.scanOnce().catch((error: unknown) => console.error("library scan failed:", error));
            } while (this.rescanWanted && !this.closed);
        })().finally(() => {
            this.scanning = null;
        });
        await this.scanning;
        return this.snapshot();
    }

    /** Resolves when no scan runs (without asking for another one). */
    async settled(): Promise<void> {
        while (this.scanning != null) await this.scanning;
    }

    get isScanning(): boolean {
        return this.scanning != null;
    }

    private emitProgress(force: boolean): void {
        const now = Date.now();
        if (!force && now - this.lastScanEvent < SCAN_EVENT_INTERVAL_MS) return;
        this.lastScanEvent = now;
        this.options.emit({type: "libraryScan", progress: this.progress});
    }

    private async scanOnce(): Promise<void> {
        this.progress = {scanning: true, entriesSeen: 0, filesFound: 0, headersRead: 0};
        this.emitProgress(true);
        const onEntry = () => {
            this.progress = {...this.progress, entriesSeen: this.progress.entriesSeen + 1};
            this.emitProgress(false);
        };
        const disabled = this.disabled();
        const pending = this.downloads.pendingFiles();
        const states = new Map<string, SourceState>();
        const found: {sourceId: string; file: FoundFile}[] = [];
        const userFiles = this.options.rows.listModelFiles();

        for (const source of this.sourceList()) {
            const enabled = source.kind === "demo" || !disabled.has(source.id);
            if (!enabled) {
                states.set(source.id, {source, state: "off", notes: []});
                continue;
            }
            const state: SourceState = {source, state: "ready", notes: []};
            states.set(source.id, state);
            if (source.kind === "files") {
                for (const file of userFiles) found.push({sourceId: source.id, file: {path: file}});
                continue;
            }
            const root = source.path!;
            const info = await stat(root).catch((error: unknown) => error as NodeJS.ErrnoException);
            if (info instanceof Error) {
                state.state = info.code === "ENOENT" ? "missing" : "error";
                if (state.state === "error") state.problem = `${root} cannot be read (${errorCode(info)})`;
                // Caches of apps not installed are not listed; an empty download folder is normal.
                else if (!isCache(source.kind) && source.kind !== "downloads") state.problem = `${root} does not exist`;
                continue;
            }
            if (!info.isDirectory()) {
                state.state = "error";
                state.problem = `${root} is a file, not a folder`;
                continue;
            }
            let files: FoundFile[];
            if (isCache(source.kind)) {
                const layout = await readCacheLayout(source.kind as CacheKind, root, onEntry);
                files = layout.files;
                state.notes.push(...layout.notes);
            } else if (source.kind === "demo") {
                files = (await scanFolder(root, {maxDepth: 0, onEntry})).files.map((file) => ({path: file}));
            } else {
                const scan = await scanFolder(root, {onEntry});
                files = scan.files.map((file) => ({path: file}));
                state.notes.push(...scan.notes);
            }
            for (const file of files) {
                if (pending.has(path.resolve(file.path))) continue;
                found.push({sourceId: source.id, file});
            }
            this.watchSource(source.id, root);
        }
        this.progress = {...this.progress, filesFound: found.length};
        this.emitProgress(true);

        // Group split parts (per source and folder), then dedupe by the real path of the file to load.
        const entries: Entry[] = [];
        const byReal = new Map<string, Entry>();
        const sourceIds = [...new Set(found.map((f) => f.sourceId))];
        for (const sourceId of sourceIds) {
            const files = found.filter((f) => f.sourceId === sourceId);
            const byPath = new Map(files.map((f) => [f.file.path, f.file]));
            const groups = groupModelFiles(files.map((f) => f.file.path));
            for (const group of groups) {
                const file = byPath.get(group.path) ?? byPath.get(group.parts.find((p) => byPath.has(p))!)!;
                const real = await realpath(group.path).catch(() => path.resolve(group.path));
                // One model reached by two paths (a link and its target) or copied into two folders (the demo
                // pair in a models folder) is listed once: same real path, or same size and same bytes at both ends.
                const identity = byReal.has(real) ? real : await this.identityCached(group.path, real);
                const existing = byReal.get(real) ?? (identity != null ? byReal.get(identity) : undefined);
                if (existing != null) {
                    if (!existing.model.sourceIds.includes(sourceId))
                        existing.model = {...existing.model, sourceIds: [...existing.model.sourceIds, sourceId]};
                    continue;
                }
                const described = await this.describeCached(group, real);
                this.progress = {...this.progress, headersRead: this.progress.headersRead + 1};
                this.emitProgress(false);
                const entry: Entry = {model: toModel(group, file, sourceId, described), described, real, identity};
                byReal.set(real, entry);
                if (identity != null) byReal.set(identity, entry);
                entries.push(entry);
            }
        }
        this.entries = entries;
        this.sourceStates = states;
        this.progress = {...this.progress, scanning: false};
        this.unwatchGone(new Set([...states.values()].filter((s) => s.state === "ready").map((s) => s.source.id)));
        this.emitProgress(true);
        this.options.emit({type: "library"});
    }

    private readonly identities = new Map<string, {key: string; identity: string | null}>();

    /** contentIdentity, read again only when the file's size or time changed. */
    private async identityCached(file: string, real: string): Promise<string | null> {
        const key = await stat(real).then(
            (s) => `${s.size}:${s.mtimeMs}`,
            () => "missing"
        );
        const cached = this.identities.get(real);
        if (cached != null && cached.key === key) return cached.identity;
        const identity = await contentIdentity(file).catch(() => null);
        this.identities.set(real, {key, identity});
        return identity;
    }

    private async describeCached(group: ModelFileGroup, real: string): Promise<DescribedModel> {
        const stats = await Promise.all(
            group.parts.map((part) =>
                stat(part).then(
                    (s) => `${s.size}:${s.mtimeMs}`,
                    () => "missing"
                )
            )
        );
        const key = `${group.parts.join("|")}#${stats.join("|")}`;
        const cached = this.describedCache.get(real);
        if (cached != null && cached.key === key) return cached.described;
        const described = await describeModel(group);
        this.describedCache.set(real, {key, described});
        return described;
    }

    private watchSource(id: string, root: string): void {
        if (this.options.watch === false || this.watchers.has(id) || this.closed) return;
        try {
            const watcher = watch(root, {recursive: true, persistent: false}, (_event, name) => {
                // Download temp files change many times a second; their final rename is what counts.
                if (name != null && String(name).endsWith(".ipull")) return;
                this.scheduleRescan();
            });
            watcher.on("error", () => {
                watcher.close();
                this.watchers.delete(id);
            });
            this.watchers.set(id, watcher);
        } catch {
            // A folder that cannot be watched is still rescanned on demand.
        }
    }

    private unwatchGone(active: Set<string>): void {
        for (const [id, watcher] of this.watchers) {
            if (!active.has(id)) {
                watcher.close();
                this.watchers.delete(id);
            }
        }
    }

    private scheduleRescan(): void {
        if (this.closed) return;
        if (this.watchTimer != null) clearTimeout(this.watchTimer);
        this.watchTimer = setTimeout(() => {
            this.watchTimer = null;
            void this.scan();
        }, WATCH_DEBOUNCE_MS);
        this.watchTimer.unref();
    }

    // ---------- models and pairs ----------

    /** The entry for a path (as listed, or by real path); a path outside the library is described on the spot. */
    private async candidate(modelPath: string): Promise<PairCandidate> {
        const resolved = path.resolve(modelPath);
        const real = await realpath(resolved).catch(() => resolved);
        let entry = this.entries.find((e) => e.model.path === resolved || e.real === real);
        if (entry == null) {
            const identity = await contentIdentity(resolved).catch(() => null);
            if (identity != null) entry = this.entries.find((e) => e.identity === identity);
        }
        if (entry != null) return candidateOf(entry);
        const [group] = groupModelFiles([resolved]);
        const described = await describeModel(group!);
        return {path: resolved, displayName: path.basename(resolved), ...described};
    }

    async pairVerdicts(expertPath: string): Promise<PairVerdicts> {
        const expert = await this.candidate(expertPath);
        if (expert.problem != null || expert.tokenizer == null) {
            return {expertPath: expert.path, expertProblem: expert.problem ?? "its header could not be read", compatible: [], incompatible: []};
        }
        const others = this.entries.map(candidateOf);
        return {expertPath: expert.path, ...judgeAll(expert, others)};
    }

    /** The pair check the picker shows (and the service runs before loading). */
    async checkPair(
        pair: PairRef
    ): Promise<{compatible: boolean; failures: {rule: string; message: string}[]; fileProblem?: string; warnings?: string[]}> {
        const [expert, amateur] = await Promise.all([this.candidate(pair.expertPath), this.candidate(pair.amateurPath)]);
        const fileProblem =
            expert.problem != null
                ? `the expert ${path.basename(expert.path)}: ${expert.problem}`
                : amateur.problem != null
                  ? `the amateur ${path.basename(amateur.path)}: ${amateur.problem}`
                  : undefined;
        if (fileProblem != null) return {compatible: false, failures: [], fileProblem};
        const verdict = judgeAmateur(expert, amateur);
        const warnings =
            verdict.notSmaller && verdict.compatible
                ? [`the amateur (${formatSize(amateur)}) is not smaller than the expert (${formatSize(expert)}): it will not make answers faster`]
                : [];
        return {compatible: verdict.compatible, failures: [...verdict.failures], ...(warnings.length > 0 ? {warnings} : {})};
    }

    /**
     * Memory for a pair at a context size. With `resolve` (the engine process running node-llama-cpp's resolvers),
     * its figures; without it, or when it fails, the header estimate (method "header", which says so).
     */
    async estimateFit(pair: PairRef, contextSize: number, resolve?: () => Promise<ResolverFit>): Promise<FitEstimate> {
        const [expert, amateur] = await Promise.all([this.candidate(pair.expertPath), this.candidate(pair.amateurPath)]);
        for (const [role, model] of [
            ["expert", expert],
            ["amateur", amateur]
        ] as const) {
            if (model.memory == null)
                throw new LibraryError(`the ${role} ${path.basename(model.path)} cannot be used: ${model.problem ?? "its header could not be read"}`);
        }
        const machine = await machineMemory();
        if (resolve != null) {
            try {
                return fitFromResolvers(pair, contextSize, await resolve(), machine);
            } catch (error) {
                const estimate = estimatePairFit(pair, expert.memory!, amateur.memory!, contextSize, machine);
                const why = error instanceof Error ? error.message : String(error);
                return {...estimate, summary: `${estimate.summary} node-llama-cpp's estimate was not available: ${why}`};
            }
        }
        return estimatePairFit(pair, expert.memory!, amateur.memory!, contextSize, machine);
    }

    /**
     * The catalogue with what is already here: a usable model under the file's Hub name, or a finished download of
     * the entry's URI (node-llama-cpp saves hf: downloads as hf_<user>_…, so the name alone would miss it).
     */
    async catalogue(): Promise<CatalogueEntry[]> {
        const usable = new Map<string, string>();
        for (const entry of this.entries) {
            if (entry.model.problem == null) usable.set(path.basename(entry.model.path), entry.model.path);
        }
        const downloaded = new Map<string, string>();
        for (const download of this.downloads.list()) {
            if (download.state === "done" && download.modelPath != null && usable.has(path.basename(download.modelPath))) {
                downloaded.set(download.uri, download.modelPath);
            }
        }
        return catalogueEntries(await machineMemory(), (fileName, uri) => usable.get(fileName) ?? downloaded.get(uri) ?? null);
    }

    /** The models in the older ModelEntry shape (listModels). */
    modelEntries(): ModelEntry[] {
        return this.snapshot().models.map((model) => ({
            path: model.path,
            fileName: model.fileName,
            source: model.sourceId === "demo" ? "demo" : "folder",
            sizeBytes: model.sizeBytes,
            ...(model.facts != null
                ? {architecture: model.facts.architecture, vocabularySize: model.facts.vocabularySize, parameterLabel: model.facts.sizeLabel}
                : {}),
            ...(model.problem != null ? {problem: model.problem} : {})
        }));
    }

    // ---------- downloads ----------

    async startDownload(uri: string): Promise<Download> {
        const problem = downloadUriProblem(uri);
        if (problem != null) throw new LibraryError(problem);
        return this.downloads.start(uri);
    }

    async close(): Promise<void> {
        this.closed = true;
        if (this.watchTimer != null) clearTimeout(this.watchTimer);
        for (const watcher of this.watchers.values()) watcher.close();
        this.watchers.clear();
        await this.downloads.close();
        if (this.scanning != null) await this.scanning.catch(() => undefined);
    }
}

const IDENTITY_BYTES = 1 << 20;

/** Size plus a hash of the first and last MiB: the same for two copies of one file, and cheap for large ones. */
async function contentIdentity(file: string): Promise<string> {
    const handle = await open(file, "r");
    try {
        const {size} = await handle.stat();
        const hash = createHash("sha256");
        const head = Buffer.alloc(Math.min(size, IDENTITY_BYTES));
        await handle.read(head, 0, head.length, 0);
        hash.update(head);
        if (size > IDENTITY_BYTES) {
            const tail = Buffer.alloc(Math.min(size - IDENTITY_BYTES, IDENTITY_BYTES));
            await handle.read(tail, 0, tail.length, size - tail.length);
            hash.update(tail);
        }
        return `content:${size}:${hash.digest("hex")}`;
    } finally {
        await handle.close();
    }
}

function isCache(kind: LibrarySourceKind): boolean {
    return (cacheKinds as readonly string[]).includes(kind);
}

function candidateOf(entry: Entry): PairCandidate {
    return {path: entry.model.path, displayName: entry.model.displayName, ...entry.described};
}

function formatSize(model: PairCandidate): string {
    return model.facts?.sizeLabel ?? `${model.sizeBytes} bytes`;
}

function toModel(group: ModelFileGroup, file: FoundFile, sourceId: string, described: DescribedModel): LibraryModel {
    const fileName = path.basename(group.path);
    const displayName = file.displayName ?? fileName;
    const detail = file.displayName != null ? (file.detail ?? fileName) : undefined;
    return {
        path: path.resolve(group.path),
        displayName,
        fileName,
        ...(detail != null && detail !== displayName ? {detail} : {}),
        sourceId,
        sourceIds: [sourceId],
        sizeBytes: described.sizeBytes,
        parts: group.parts.length,
        ...(described.facts != null ? {facts: described.facts} : {}),
        ...(described.problem != null ? {problem: described.problem} : {})
    };
}

/** Web mode's "Add folder": the path must exist, be a folder and be readable. */
export async function checkFolder(dir: string, options: {mayNotExist?: boolean} = {}): Promise<void> {
    if (!path.isAbsolute(dir)) throw new LibraryError(`${dir} is not an absolute path`);
    const info = await stat(dir).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (info instanceof Error) {
        if (info.code === "ENOENT" && options.mayNotExist === true) return;
        throw new LibraryError(info.code === "ENOENT" ? `${dir} does not exist` : `${dir} cannot be opened (${errorCode(info)})`);
    }
    if (!info.isDirectory()) throw new LibraryError(`${dir} is a file, not a folder`);
    try {
        await access(dir, constants.R_OK | constants.X_OK);
    } catch {
        throw new LibraryError(`${dir} cannot be read (permission denied)`);
    }
}

/** "Open a file…": the path must exist, be a readable file ending in .gguf. */
export async function checkModelFile(file: string): Promise<void> {
    const info = await stat(file).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (info instanceof Error)
        throw new LibraryError(info.code === "ENOENT" ? `${file} does not exist` : `${file} cannot be opened (${errorCode(info)})`);
    if (info.isDirectory()) throw new LibraryError(`${file} is a folder: use "Add folder" for folders`);
    if (!info.isFile()) throw new LibraryError(`${file} is not a regular file`);
    if (!isGgufName(file)) throw new LibraryError(`${path.basename(file)} is not a .gguf file`);
    try {
        await access(file, constants.R_OK);
    } catch {
        throw new LibraryError(`${file} cannot be read (permission denied)`);
    }
}
