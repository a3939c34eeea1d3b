/**
 * The service's entry point: opens the store (marking answers a previous run left "streaming" as
 * interrupted), prepares the engine supervisor (the engine process starts with the first load), and
 * returns the TandemService the transports serve. No pair is loaded at start: the first answer loads the
 * pair the user chose, or else the demo pair (so start-up is instant and a fresh install chats at once).
 */
import path from "node:path";
import {nodeEngineLauncher, type EngineLauncher} from "../engineHost/engineLauncher.ts";
import {EngineSupervisor} from "../engineHost/engineSupervisor.ts";
import {DATABASE_FILE_NAME} from "../store/dataDir.ts";
import {openStore} from "../store/sqliteStore.ts";
import {Library, type CacheEnvironment} from "../library/index.ts";
import {Service, type TandemService} from "./tandemService.ts";

export type {TandemService, LocalServerControl} from "./tandemService.ts";
export type {CompletionMessage, CompletionRequest, CompletionResult} from "./completionRun.ts";
export {GenerationQueue, QueueFullError, type QueueCaller, type QueueState} from "./generationQueue.ts";
export type {EngineLauncher, EngineProcess, EngineExit} from "../engineHost/engineLauncher.ts";
export {engineEntryPath, nodeEngineLauncher} from "../engineHost/engineLauncher.ts";
export {dataDir} from "../store/dataDir.ts";
export type {CacheEnvironment} from "../library/index.ts";

export type ServiceOptions = {
    /** Folder of the chat database (tandem.sqlite). */
    readonly dataDir: string;
    /** Folders whose *.gguf files are offered as models. */
    readonly modelsDirs: readonly string[];
    /** The built-in demo pair's folder (resources/models/). */
    readonly demoModelsDir: string;
    /** How the engine process is started; default: Node's fork with tsx (web mode, tests). */
    readonly engineLauncher?: EngineLauncher;
    /** llama.cpp threads per model when the settings leave it to the app (default: the engine's, half the cores). */
    readonly threads?: number;
    /** Force the CPU whatever the settings say (tests, machines with a broken GPU driver). */
    readonly cpu?: boolean;
    /**
     * Leave answers marked "streaming" as they are (tandem serve: the app may be running on the same data
     * folder, and its answer in progress is not this process's to mark interrupted).
     */
    readonly keepInterruptedAnswers?: boolean;
    /**
     * Start the engine process and load the pair used last in the background as soon as the service is up (the
     * app does; tests that check the idle start-up do not), so the first answer does not wait for a load.
     */
    readonly warmStart?: boolean;
    /**
     * Where the library looks for other apps' model caches (default: this process's environment, home folder and
     * OS); tests point it at a temp home so the machine's own caches stay out of them.
     */
    readonly cacheEnvironment?: CacheEnvironment;
    /** Watch the model folders and rescan when they change (default true). */
    readonly watchModelFolders?: boolean;
};

export async function createService(options: ServiceOptions): Promise<TandemService> {
    const store = openStore(path.join(options.dataDir, DATABASE_FILE_NAME));
    try {
        if (options.keepInterruptedAnswers !== true) store.markInterrupted();
    } catch (error) {
        store.close();
        throw error;
    }
    let service: Service | null = null;
    const supervisor = new EngineSupervisor(options.engineLauncher ?? nodeEngineLauncher(), (message) => service?.engineCrashed(message));
    const demoModelsDir = path.resolve(options.demoModelsDir);
    const library = new Library({
        rows: store.library,
        demoModelsDir,
        envModelsDirs: options.modelsDirs.map((dir) => path.resolve(dir)),
        defaultDownloadDir: path.join(path.resolve(options.dataDir), "models"),
        emit: (event) => service?.publish(event),
        ...(options.cacheEnvironment != null ? {cacheEnvironment: options.cacheEnvironment} : {}),
        ...(options.watchModelFolders != null ? {watch: options.watchModelFolders} : {})
    });
    service = new Service({
        store,
        supervisor,
        demoModelsDir,
        library,
        loadDefaults: {...(options.threads != null ? {threads: options.threads} : {}), ...(options.cpu != null ? {cpu: options.cpu} : {})}
    });
    // The first scan runs in the background: start-up stays instant; listModels waits for it, listLibrary does not.
    void library.scan();
    if (options.warmStart === true) service.warmUp();
    return service;
}
