/**
 * The model library and the pair: every source (folders, the caches other apps fill, downloads) and model the
 * service found, the expert and amateur the user chose (checked from the headers before anything loads: the
 * verdict, every amateur sorted compatible or not, the memory fit), loading, the recommended pairs and the
 * downloads with their progress. The chosen pair is what the next answer uses.
 */
import type {
    CatalogueEntry,
    LibrarySettings,
    CompatibilityCheck,
    Download,
    FitEstimate,
    LibraryModel,
    LibrarySnapshot,
    LibrarySource,
    PairRef,
    PairVerdicts,
    ScanProgress
} from "../../../src-shared/index.ts";
import type {StatusStore} from "./statusStore.svelte.ts";

const idleScan: ScanProgress = {scanning: false, entriesSeen: 0, filesFound: 0, headersRead: 0};

/** The demo pair among `models`: the demo source's two usable models, the larger as the expert. */
export function demoPairOf(models: readonly LibraryModel[]): PairRef | null {
    const demo = models.filter((m) => m.sourceIds.includes("demo") && m.problem == null).sort((a, b) => b.sizeBytes - a.sizeBytes);
    if (demo.length < 2) return null;
    return {expertPath: demo[0]!.path, amateurPath: demo[demo.length - 1]!.path};
}

export function samePair(a: PairRef | null | undefined, b: PairRef | null | undefined): boolean {
    return a != null && b != null && a.expertPath === b.expertPath && a.amateurPath === b.amateurPath;
}

/** Newest first; one entry per download id (an event replaces the entry it updates). */
export function mergeDownload(list: readonly Download[], download: Download): Download[] {
    const others = list.filter((d) => d.id !== download.id);
    return [download, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

export type LibraryOptions = {
    /** The context size the memory fit is estimated for (the settings'). */
    readonly contextSize?: () => number | undefined;
    /** The pair used last (the most recent chat's), chosen again at start. */
    readonly rememberedPair?: () => PairRef | null;
};

export class LibraryStore {
    private readonly session: StatusStore;
    /** The context size the fit is estimated for (the settings'). */
    private readonly contextSize: () => number | undefined;
    /** The pair used last (the most recent chat's), chosen again at start. */
    private readonly rememberedPair: () => PairRef | null;

    sources: LibrarySource[] = $state([]);
    models: LibraryModel[] = $state([]);
    scan: ScanProgress = $state(idleScan);
    /** The first listing arrived. */
    listed = $state(false);

    expertPath = $state("");
    amateurPath = $state("");
    /** Every other model against the chosen expert. */
    verdicts: PairVerdicts | null = $state(null);
    /** The chosen pair's check (what `pair-verdict` shows). */
    check: CompatibilityCheck | null = $state(null);
    checking = $state(false);
    fit: FitEstimate | null = $state(null);
    /** The fit is being estimated (the first time may start the engine process: a few seconds). */
    fitting = $state(false);

    catalogue: CatalogueEntry[] = $state([]);
    downloads: Download[] = $state([]);
    /** Where downloads come from (the Hugging Face endpoint, for mirrors) and where they land. */
    settings: LibrarySettings | null = $state(null);

    readonly usable = $derived(this.models.filter((m) => m.problem == null));
    readonly unusable = $derived(this.models.filter((m) => m.problem != null));
    readonly demoPair: PairRef | null = $derived(demoPairOf(this.models));
    readonly chosen: PairRef | null = $derived(
        this.expertPath !== "" && this.amateurPath !== "" ? {expertPath: this.expertPath, amateurPath: this.amateurPath} : null
    );
    /** The chosen pair may be loaded: both chosen, checked compatible, both files usable. */
    readonly chosenUsable = $derived(this.chosen != null && this.check != null && this.check.compatible && this.check.fileProblem == null);
    readonly loadedPair: PairRef | null = $derived.by(() => {
        const engine = this.session.engine;
        return engine != null && engine.state === "ready" ? engine.pair : null;
    });
    readonly chosenLoaded = $derived(samePair(this.chosen, this.loadedPair));
    /** No pair chosen yet (none loaded, none picked, no chat answered by one): the first-run welcome shows. */
    readonly firstRun = $derived.by(() => {
        const status = this.session.status;
        return status != null && status.engine.state === "idle" && this.chosen == null && this.rememberedPair() == null;
    });

    private checkSeq = 0;
    private verdictSeq = 0;

    constructor(session: StatusStore, options: LibraryOptions = {}) {
        this.session = session;
        this.contextSize = options.contextSize ?? (() => undefined);
        this.rememberedPair = options.rememberedPair ?? (() => null);
    }

    model(path: string): LibraryModel | null {
        return this.models.find((m) => m.path === path) ?? null;
    }

    source(id: string): LibrarySource | null {
        return this.sources.find((s) => s.id === id) ?? null;
    }

    // ---------- listing ----------

    /** Reads the library, the downloads and the catalogue; picks the remembered pair when nothing is chosen yet. */
    async start(): Promise<void> {
        await Promise.all([this.refresh(), this.refreshDownloads(), this.refreshCatalogue(), this.loadSettings()]);
        if (this.chosen == null) {
            const engine = this.session.engine;
            const remembered = (engine != null && engine.state !== "idle" ? engine.pair : null) ?? this.rememberedPair();
            if (remembered != null) await this.choose(remembered);
        }
    }

    async refresh(): Promise<boolean> {
        return this.session.run("list the models", async () => this.applySnapshot(await this.session.api.listLibrary()));
    }

    private applySnapshot(snapshot: LibrarySnapshot): void {
        this.sources = [...snapshot.sources];
        this.models = [...snapshot.models];
        this.scan = snapshot.scan;
        this.listed = true;
    }

    async refreshCatalogue(): Promise<boolean> {
        return this.session.run("read the recommended pairs", async () => void (this.catalogue = await this.session.api.catalogue()));
    }

    async refreshDownloads(): Promise<boolean> {
        return this.session.run("list the downloads", async () => void (this.downloads = await this.session.api.listDownloads()));
    }

    /** A "library" event: re-read it, and re-check the chosen pair (a model may have appeared or gone). */
    async onLibraryChanged(): Promise<void> {
        await Promise.all([this.refresh(), this.refreshCatalogue()]);
        if (this.expertPath !== "") await this.recheck();
    }

    onScan(progress: ScanProgress): void {
        this.scan = progress;
    }

    onDownload(download: Download): void {
        this.downloads = mergeDownload(this.downloads, download);
    }

    async rescan(): Promise<boolean> {
        return this.session.run("scan the model folders", async () => this.applySnapshot(await this.session.api.rescanLibrary()));
    }

    // ---------- sources ----------

    async addFolder(path: string): Promise<boolean> {
        const trimmed = path.trim();
        if (trimmed === "") {
            this.session.alert("Could not add the folder: type the folder's full path first.");
            return false;
        }
        return this.session.run(`add the folder ${trimmed}`, async () => {
            await this.session.api.addModelFolder({path: trimmed});
            this.applySnapshot(await this.session.api.listLibrary());
        });
    }

    async removeFolder(path: string): Promise<boolean> {
        return this.session.run(`remove the folder ${path}`, async () => {
            await this.session.api.removeModelFolder({path});
            this.applySnapshot(await this.session.api.listLibrary());
        });
    }

    async addFile(path: string): Promise<boolean> {
        const trimmed = path.trim();
        if (trimmed === "") {
            this.session.alert("Could not add the file: type the .gguf file's full path first.");
            return false;
        }
        return this.session.run(`add the file ${trimmed}`, async () => {
            await this.session.api.addModelFile({path: trimmed});
            this.applySnapshot(await this.session.api.listLibrary());
        });
    }

    async removeFile(path: string): Promise<boolean> {
        return this.session.run(`remove the file ${path}`, async () => {
            await this.session.api.removeModelFile({path});
            this.applySnapshot(await this.session.api.listLibrary());
        });
    }

    async setSourceEnabled(id: string, enabled: boolean): Promise<boolean> {
        return this.session.run(enabled ? "switch the source on" : "switch the source off", async () => {
            await this.session.api.setSourceEnabled({id, enabled});
            this.applySnapshot(await this.session.api.listLibrary());
        });
    }

    // ---------- the pair ----------

    async chooseExpert(path: string): Promise<void> {
        if (path === this.expertPath) return;
        this.expertPath = path;
        if (path === this.amateurPath) this.amateurPath = "";
        await this.recheck();
    }

    async chooseAmateur(path: string): Promise<void> {
        if (path === this.amateurPath) return;
        this.amateurPath = path;
        await Promise.all([this.runCheck(), this.runFit()]);
    }

    async choose(pair: PairRef): Promise<void> {
        this.expertPath = pair.expertPath;
        this.amateurPath = pair.amateurPath;
        await this.recheck();
    }

    /** The demo pair, chosen and loaded: instant and offline. */
    async useDemoPair(): Promise<boolean> {
        const demo = this.demoPair;
        if (demo == null) {
            this.session.alert("Could not use the demo pair: its files were not found in the app's resources.");
            return false;
        }
        await this.choose(demo);
        return this.load();
    }

    private async recheck(): Promise<void> {
        await Promise.all([this.runVerdicts(), this.runCheck(), this.runFit()]);
    }

    private async runVerdicts(): Promise<void> {
        const seq = ++this.verdictSeq;
        const expertPath = this.expertPath;
        if (expertPath === "") {
            this.verdicts = null;
            return;
        }
        await this.session.run("compare the models with the expert", async () => {
            const verdicts = await this.session.api.pairVerdicts({expertPath});
            if (seq === this.verdictSeq) this.verdicts = verdicts;
        });
    }

    private async runCheck(): Promise<void> {
        const seq = ++this.checkSeq;
        const pair = this.chosen;
        this.check = null;
        if (pair == null) {
            this.checking = false;
            return;
        }
        this.checking = true;
        let result: CompatibilityCheck | null = null;
        await this.session.run("check the pair", async () => void (result = await this.session.api.checkPair(pair)));
        if (seq !== this.checkSeq) return;
        this.checking = false;
        this.check = result;
    }

    private async runFit(): Promise<void> {
        const pair = this.chosen;
        this.fit = null;
        if (pair == null || this.model(pair.expertPath)?.problem != null || this.model(pair.amateurPath)?.problem != null) {
            this.fitting = false;
            return;
        }
        this.fitting = true;
        try {
            const contextSize = this.contextSize();
            const fit = await this.session.api.estimateFit(contextSize == null ? {pair} : {pair, contextSize});
            if (samePair(this.chosen, pair)) this.fit = fit;
        } catch {
            // The fit is advice: without it the pair still loads, and llama.cpp says if memory runs out.
            if (samePair(this.chosen, pair)) this.fit = null;
        } finally {
            if (samePair(this.chosen, pair)) this.fitting = false;
        }
    }

    /** Loads the chosen pair (progress arrives as status events). */
    async load(): Promise<boolean> {
        const pair = this.chosen;
        if (pair == null) return false;
        return this.session.run("load the pair", async () => void (this.session.status = await this.session.api.loadPair(pair)));
    }

    async unload(): Promise<boolean> {
        return this.session.run("unload the pair", async () => void (this.session.status = await this.session.api.unloadPair()));
    }

    async calibrate(): Promise<boolean> {
        return this.session.run("measure the expert alone", async () => {
            await this.session.api.calibrate();
            this.session.status = await this.session.api.getStatus();
        });
    }

    /** What an answer should use: the pair the picker shows, when it is a usable one. */
    pairForAnswer(): PairRef | null {
        return this.chosenUsable ? this.chosen : null;
    }

    // ---------- downloads ----------

    async loadSettings(): Promise<boolean> {
        return this.session.run("read the download settings", async () => void (this.settings = await this.session.api.getLibrarySettings()));
    }

    /** Sets the Hugging Face endpoint hf: URIs download from (a mirror); the service checks it is an http(s) address. */
    async setHfEndpoint(endpoint: string): Promise<boolean> {
        return this.session.run("save the Hugging Face address", async () => {
            this.settings = await this.session.api.updateLibrarySettings({hfEndpoint: endpoint.trim()});
        });
    }

    async startDownload(uri: string): Promise<boolean> {
        const trimmed = uri.trim();
        if (trimmed === "") {
            this.session.alert("Could not start the download: paste an hf: URI or an https address first.");
            return false;
        }
        return this.session.run("start the download", async () => this.onDownload(await this.session.api.startDownload({uri: trimmed})));
    }

    /** Both files of a recommended pair (the ones not installed yet). */
    async downloadPair(entry: CatalogueEntry): Promise<boolean> {
        let ok = true;
        for (const file of [entry.expert, entry.amateur]) {
            if (
                file.installedPath != null ||
                this.downloads.some((d) => d.uri === file.uri && (d.state === "downloading" || d.state === "resolving"))
            )
                continue;
            ok = (await this.startDownload(file.uri)) && ok;
        }
        return ok;
    }

    async cancelDownload(id: string): Promise<boolean> {
        return this.session.run("cancel the download", async () => this.onDownload(await this.session.api.cancelDownload({id})));
    }

    async resumeDownload(id: string): Promise<boolean> {
        return this.session.run("resume the download", async () => this.onDownload(await this.session.api.resumeDownload({id})));
    }

    async dismissDownload(id: string): Promise<boolean> {
        return this.session.run("remove the download from the list", async () => {
            await this.session.api.dismissDownload({id});
            this.downloads = this.downloads.filter((d) => d.id !== id);
        });
    }
}
