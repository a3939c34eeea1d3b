/**
 * The app's own overhead: the same requests through the app's service path (store, engine process over IPC,
 * streamed events, the growing answer written to SQLite) and through the engine directly in this process, on
 * the demo pair and a heavy pair, interleaved request by request so machine noise hits both alike. Per pair
 * and mode it prints both speeds and app / engine:
 *
 *  - engine-side: the tok/s the engine measured inside the app (the footer's figure) against the direct call's;
 *  - wall: tokens over the time from Send to the answer's `finished` event, against the direct call's wall time
 *    (prompt formatting included), so whatever the app adds around the engine shows here.
 *
 *     npx tsx tools/bench/appOverhead.ts [--pairs story,heavy-twin] [--ffn 16384] [--modes expert,scd]
 *         [--repeats 3] [--max-tokens 128] [--models DIR] [--json PATH]
 */
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {createService, nodeEngineLauncher, type TandemService} from "../../src-main/service/index.ts";
import {loadModelPair, rawPrompt, type ModelPair} from "../../src-main/models/runtime/index.ts";
import {benchPairNames, resolvePair, type BenchPairName, type PairSpec} from "./benchPairs.ts";
import {chatTurnPrompts} from "./chatTurns.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type OverheadRow = {
    readonly pair: string;
    readonly mode: string;
    readonly appEngineTokensPerSecond: number;
    readonly appWallTokensPerSecond: number;
    readonly directTokensPerSecond: number;
    readonly directWallTokensPerSecond: number;
    readonly engineRatio: number;
    readonly wallRatio: number;
};

function flag(args: readonly string[], name: string): string | undefined {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

type Measured = {readonly tokens: number; readonly engineTokensPerSecond: number; readonly wallMs: number};

/** One answer through the service: a fresh conversation, one message, timed from Send to `finished`. */
async function throughService(service: TandemService, text: string, mode: string, maxTokens: number, seed: number): Promise<Measured> {
    const conversation = await service.createConversation({});
    await service.setConversationOverrides({id: conversation.id, overrides: {mode: mode as never, maxTokens, seed}});
    let done: (stats: Measured) => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const ended = new Promise<Measured>((resolve, reject) => {
        done = resolve;
        failed = reject;
    });
    const started = performance.now();
    let id: string | null = null;
    const unsubscribe = service.subscribe((event) => {
        if (event.type !== "generation" || event.event.kind !== "finished" || event.event.message.id !== id) return;
        const {message} = event.event;
        if (message.stats == null) failed(new Error(`the answer ended ${message.status}: ${message.error ?? ""}`));
        else done({tokens: message.stats.generatedTokens, engineTokensPerSecond: message.stats.tokensPerSecond, wallMs: performance.now() - started});
    });
    try {
        id = (await service.sendMessage({conversationId: conversation.id, text})).assistantMessageId;
        return await ended;
    } finally {
        unsubscribe();
        await service.deleteConversation({id: conversation.id});
    }
}

/** The same request straight to the decoder in this process. */
async function direct(pair: ModelPair, text: string, mode: string, maxTokens: number, seed: number): Promise<Measured> {
    const started = performance.now();
    const prompt = rawPrompt(pair.tokenizerModel, text);
    const result = await pair.decoder.generate(prompt.tokens, {mode: mode as never, maxTokens, seed, temperature: 0});
    return {tokens: result.stats.generatedTokens, engineTokensPerSecond: result.stats.tokensPerSecond, wallMs: performance.now() - started};
}

async function benchOne(
    spec: PairSpec,
    modes: readonly string[],
    repeats: number,
    maxTokens: number,
    log: (line: string) => void
): Promise<OverheadRow[]> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tandem-overhead-"));
    const service = await createService({
        dataDir,
        modelsDirs: [],
        demoModelsDir: path.join(root, "resources/models"),
        engineLauncher: nodeEngineLauncher({echoStderr: false}),
        threads: 1,
        cpu: true
    });
    const pair = await loadModelPair({expertPath: spec.expertPath, amateurPath: spec.amateurPath, threads: 1, gpu: false, contextSize: 2048});
    const rows: OverheadRow[] = [];
    try {
        await service.updateSettings({temperature: 0});
        await service.loadPair({expertPath: spec.expertPath, amateurPath: spec.amateurPath});
        // The service calibrates a new pair in the background; let it finish, or it would slow the direct runs only.
        if ((await service.getStatus()).calibration.state !== "done") await service.calibrate();
        for (const mode of modes) {
            // Untimed warm-up on both sides (the first calls of a process are slow).
            await throughService(service, chatTurnPrompts[0]!, mode, 16, 1);
            await direct(pair, chatTurnPrompts[0]!, mode, 16, 1);
            const app: Measured[] = [];
            const own: Measured[] = [];
            for (let repeat = 0; repeat < repeats; repeat++) {
                for (const [index, text] of chatTurnPrompts.entries()) {
                    const seed = 100 * repeat + index;
                    // Alternate which side goes first, so a slow spell of the machine is shared.
                    if ((repeat + index) % 2 === 0) {
                        app.push(await throughService(service, text, mode, maxTokens, seed));
                        own.push(await direct(pair, text, mode, maxTokens, seed));
                    } else {
                        own.push(await direct(pair, text, mode, maxTokens, seed));
                        app.push(await throughService(service, text, mode, maxTokens, seed));
                    }
                }
            }
            const wall = (list: readonly Measured[]) => median(list.map((m) => (m.tokens * 1000) / m.wallMs));
            const engine = (list: readonly Measured[]) => median(list.map((m) => m.engineTokensPerSecond));
            const row: OverheadRow = {
                pair: spec.description,
                mode,
                appEngineTokensPerSecond: engine(app),
                appWallTokensPerSecond: wall(app),
                directTokensPerSecond: engine(own),
                directWallTokensPerSecond: wall(own),
                engineRatio: engine(app) / engine(own),
                wallRatio: wall(app) / wall(own)
            };
            rows.push(row);
            log(
                `${spec.description} ${mode}: app ${row.appEngineTokensPerSecond.toFixed(0)} tok/s (wall ${row.appWallTokensPerSecond.toFixed(0)}), ` +
                    `engine ${row.directTokensPerSecond.toFixed(0)} (wall ${row.directWallTokensPerSecond.toFixed(0)})`
            );
        }
    } finally {
        await service.close();
        await pair.dispose();
        await rm(dataDir, {recursive: true, force: true});
    }
    return rows;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const names = (flag(args, "--pairs") ?? "story,heavy-twin").split(",") as BenchPairName[];
    for (const name of names) if (!benchPairNames.includes(name)) throw new Error(`--pairs: unknown pair ${name} (${benchPairNames.join(", ")})`);
    const modelsDir = flag(args, "--models") ?? process.env.TANDEM_MODELS_DIR ?? "../shared/models";
    const ffn = Number(flag(args, "--ffn") ?? 16384);
    const modes = (flag(args, "--modes") ?? "expert,scd").split(",");
    const repeats = Number(flag(args, "--repeats") ?? 3);
    const maxTokens = Number(flag(args, "--max-tokens") ?? 128);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const rows: OverheadRow[] = [];
    for (const name of names) rows.push(...(await benchOne(await resolvePair(name, modelsDir, ffn, log), modes, repeats, maxTokens, log)));
    process.stdout.write(
        `## App overhead: the service path against the engine directly\n\n` +
            `${repeats} repeats × ${chatTurnPrompts.length} prompts × ${maxTokens} tokens, greedy, CPU, 1 thread per model; medians.\n\n` +
            `| pair | mode | app tok/s (engine-side) | engine tok/s | app / engine | app wall tok/s | engine wall tok/s | app / engine (wall) |\n` +
            `|---|---|---|---|---|---|---|---|\n`
    );
    for (const r of rows) {
        process.stdout.write(
            `| ${r.pair} | ${r.mode} | ${r.appEngineTokensPerSecond.toFixed(0)} | ${r.directTokensPerSecond.toFixed(0)} | ${r.engineRatio.toFixed(2)} | ` +
                `${r.appWallTokensPerSecond.toFixed(0)} | ${r.directWallTokensPerSecond.toFixed(0)} | ${r.wallRatio.toFixed(2)} |\n`
        );
    }
    const json = flag(args, "--json");
    if (json != null) await writeFile(json, `${JSON.stringify(rows, null, 2)}\n`);
}

if (process.argv[1] != null && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
    });
}
