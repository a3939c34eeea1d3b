/**
 * A real service for tests: a fresh data folder (real SQLite store), the real engine child process (Node fork
 * with tsx), CPU and one llama.cpp thread per model, the demo pair from resources/models and the shared
 * models folder. Records every event and waits for the one a test needs.
 */
import {mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import type {GenerationEvent, Message, ServiceEvent} from "../../src-shared/index.ts";
import {createService, nodeEngineLauncher, type EngineLauncher, type TandemService} from "../../src-main/service/index.ts";
import {modelsDir} from "./models.ts";

export const demoModelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../resources/models");
export const demoPair = {
    expertPath: path.join(demoModelsDir, "stories260K.gguf"),
    amateurPath: path.join(demoModelsDir, "stories260K-L4-earlyexit.gguf")
};

export type Harness = {
    readonly service: TandemService;
    readonly dataDir: string;
    readonly events: ServiceEvent[];
    /** Resolves with the first event (from `since` on) matching `match`; rejects after `timeoutMs`. */
    waitFor<E extends ServiceEvent>(match: (event: ServiceEvent) => event is E, since?: number, timeoutMs?: number): Promise<E>;
    /** The `finished` event of the answer `messageId`. */
    finished(messageId: string, since?: number): Promise<Message>;
};

export type HarnessOptions = {
    /** Default: a fresh temporary folder. */
    readonly dataDir?: string;
    /** Default: the Node launcher, its stderr kept quiet. */
    readonly engineLauncher?: EngineLauncher;
    /** Default true (the service's default). */
    readonly watchModelFolders?: boolean;
};

export async function startService(options: HarnessOptions = {}): Promise<Harness> {
    const dir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "tandem-service-")));
    const service = await createService({
        dataDir: dir,
        modelsDirs: [modelsDir],
        demoModelsDir,
        engineLauncher: options.engineLauncher ?? nodeEngineLauncher({echoStderr: false}),
        threads: 1,
        cpu: true,
        // The machine's own model caches stay out of the tests: other apps' caches are looked for in the data folder.
        cacheEnvironment: {env: {}, home: dir, platform: process.platform},
        ...(options.watchModelFolders != null ? {watchModelFolders: options.watchModelFolders} : {})
    });
    const events: ServiceEvent[] = [];
    const waiters = new Set<() => void>();
    service.subscribe((event) => {
        events.push(event);
        for (const waiter of [...waiters]) waiter();
    });
    const waitFor = <E extends ServiceEvent>(match: (event: ServiceEvent) => event is E, since = 0, timeoutMs = 60_000): Promise<E> =>
        new Promise<E>((resolve, reject) => {
            let checked = since;
            const check = () => {
                for (; checked < events.length; checked++) {
                    const event = events[checked]!;
                    if (match(event)) {
                        waiters.delete(check);
                        clearTimeout(timer);
                        resolve(event);
                        return;
                    }
                }
            };
            const timer = setTimeout(() => {
                waiters.delete(check);
                reject(new Error(`no matching event within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(check);
            check();
        });
    const finished = async (messageId: string, since = 0): Promise<Message> => {
        const event = await waitFor(
            (e): e is ServiceEvent & {type: "generation"; event: GenerationEvent & {kind: "finished"}} =>
                e.type === "generation" && e.event.kind === "finished" && e.event.message.id === messageId,
            since
        );
        return event.event.message;
    };
    return {service, dataDir: dir, events, waitFor, finished};
}

/** The text of every delta of answer `messageId`, in order. */
export function deltaText(events: readonly ServiceEvent[], messageId: string): string {
    return events.map((e) => (e.type === "generation" && e.event.kind === "delta" && e.event.messageId === messageId ? e.event.text : "")).join("");
}
