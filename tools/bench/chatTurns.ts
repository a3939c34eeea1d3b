/**
 * A long chat through the app's service (store, engine process, llama.cpp), one line per turn: the modes the
 * issue's table uses (expert, expert, cd, scd, expert by default), each answer's prompt size, how many prompt
 * tokens each model evaluated again, the footer's speed and what the footer says about the speedup. Reads only
 * the message's stats, so it measures what the user sees.
 *
 *     npx tsx tools/bench/chatTurns.ts [--expert PATH --amateur PATH] [--modes expert,expert,cd,scd,expert]
 *         [--max-tokens 256] [--json PATH]
 */
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {createService, nodeEngineLauncher} from "../../src-main/service/index.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const demoModelsDir = path.join(root, "resources/models");

/** Story starts: the demo pair continues each as a story. */
export const chatTurnPrompts = [
    "Once upon a time, there was a little girl named Lily.",
    "One day, Tom went to the park with his dog.",
    "The sun was shining and the birds were singing.",
    "Mia found a big red ball in the garden.",
    "At night, the little bear could not sleep."
];

export type TurnRow = {
    readonly turn: number;
    readonly mode: string;
    readonly promptTokens: number;
    readonly reevaluated: {readonly expert: number | null; readonly amateur: number | null};
    readonly generatedTokens: number;
    readonly tokensPerSecond: number;
    readonly footer: string;
    readonly speedup: number | null;
    readonly versusCd: number | null;
};

function flag(args: readonly string[], name: string): string | undefined {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const modes = (flag(args, "--modes") ?? "expert,expert,cd,scd,expert").split(",");
    const maxTokens = Number(flag(args, "--max-tokens") ?? 256);
    const expertPath = flag(args, "--expert") ?? path.join(demoModelsDir, "stories260K.gguf");
    const amateurPath = flag(args, "--amateur") ?? path.join(demoModelsDir, "stories260K-L4-earlyexit.gguf");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tandem-chat-turns-"));
    const service = await createService({
        dataDir,
        modelsDirs: [],
        demoModelsDir,
        engineLauncher: nodeEngineLauncher({echoStderr: false}),
        threads: 1,
        cpu: true
    });
    const finished = new Map<string, () => void>();
    service.subscribe((event) => {
        if (event.type === "generation" && event.event.kind === "finished") finished.get(event.event.message.id)?.();
    });
    const rows: TurnRow[] = [];
    try {
        await service.loadPair({expertPath, amateurPath});
        // The baseline is measured in the background after a load; the table wants it in place.
        if ((await service.getStatus()).calibration.state !== "done") await service.calibrate();
        const status = await service.getStatus();
        if (args.includes("--curves")) console.log(JSON.stringify(status.calibration.baseline?.curves));
        const conversation = await service.createConversation({});
        for (const [index, mode] of modes.entries()) {
            await service.setConversationOverrides({id: conversation.id, overrides: {mode: mode as never, maxTokens, seed: 1 + index}});
            const text = chatTurnPrompts[index % chatTurnPrompts.length]!;
            let done: () => void = () => undefined;
            const ended = new Promise<void>((resolve) => (done = resolve));
            const {assistantMessageId} = await service.sendMessage({conversationId: conversation.id, text});
            finished.set(assistantMessageId, done);
            const current = (await service.getConversation({id: conversation.id})).messages.find((m) => m.id === assistantMessageId);
            if (current?.status !== "streaming") done();
            await ended;
            const message = (await service.getConversation({id: conversation.id})).messages.find((m) => m.id === assistantMessageId)!;
            const stats = message.stats;
            if (stats == null) throw new Error(`turn ${index + 1} ended ${message.status}: ${message.error ?? ""}`);
            const engine = stats.engine as {reusedPromptTokens?: {expert: number; amateur: number}};
            const usesExpert = mode !== "amateur";
            const usesAmateur = mode !== "expert";
            const reused = engine.reusedPromptTokens ?? {expert: 0, amateur: 0};
            const versus = stats.speedup?.versusCd ?? null;
            const speedup = stats.speedup?.ratio ?? null;
            const row: TurnRow = {
                turn: index + 1,
                mode,
                promptTokens: stats.promptTokens,
                reevaluated: {
                    expert: usesExpert ? stats.promptTokens - reused.expert : null,
                    amateur: usesAmateur ? stats.promptTokens - reused.amateur : null
                },
                generatedTokens: stats.generatedTokens,
                tokensPerSecond: stats.tokensPerSecond,
                footer: speedup == null ? "not measured" : `${speedup.toFixed(2)}× vs expert alone`,
                speedup,
                versusCd: versus
            };
            rows.push(row);
            if (args.includes("--curves"))
                console.log(
                    JSON.stringify({
                        span: stats.speedup?.span,
                        spanTps: stats.speedup?.spanTokensPerSecond,
                        expertTps: stats.speedup?.expertTokensPerSecond,
                        ttft: stats.timeToFirstTokenMs,
                        total: stats.totalMs
                    })
                );
            const reevaluated = [
                row.reevaluated.expert != null ? `expert ${row.reevaluated.expert}` : null,
                row.reevaluated.amateur != null ? `amateur ${row.reevaluated.amateur}` : null
            ]
                .filter((part) => part != null)
                .join(", ");
            console.log(
                `| ${row.turn} | ${mode} | ${row.promptTokens} | ${reevaluated} | ${row.generatedTokens} | ${Math.round(row.tokensPerSecond)} tok/s | ${row.footer}` +
                    `${row.versusCd != null ? `, ${row.versusCd.toFixed(2)}× vs cd` : ""} |`
            );
        }
    } finally {
        await service.close();
        await rm(dataDir, {recursive: true, force: true});
    }
    const json = flag(args, "--json");
    if (json != null) await writeFile(json, `${JSON.stringify(rows, null, 2)}\n`);
}

if (process.argv[1] != null && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
    });
}
