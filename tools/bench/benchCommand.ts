/** `tandem bench`: every mode side by side on one or more pairs; Markdown on stdout, optional JSON. */
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {benchPairNames, resolvePair, type BenchPairName, type PairSpec} from "./benchPairs.ts";
import {benchPair, deviceName, loadBenchPair, type PairResult} from "./benchPair.ts";
import {benchPrompts} from "./benchPrompts.ts";
import {pairReport} from "./benchReport.ts";
import {qualityPrompts, qualityTable, runQuality} from "./quality.ts";
import {runSweep, sweepPlot, sweepTable} from "./sweep.ts";
import {defaultThreadsPerModel, type ModelPair} from "../../src-main/models/runtime/index.ts";
import {helpText, parseIntegerOption, parseNumberOption, parseTextFlags, textFlagCommand, usageLine, UsageError} from "../../src-main/cli/index.ts";

/** Widest heavy-expert FFN --ffn builds (~4 GB on disk). */
export const MAX_FFN_WIDTH = 2 ** 20;

const benchFlags = {
    pairs: {
        type: "string",
        default: "story",
        valueName: "LIST",
        help: "comma-separated pairs: story (stories260K + L4), heavy-l4 (heavy expert + L4), heavy-twin (heavy expert + stories260K), or all"
    },
    models: {
        type: "string",
        default: process.env.TANDEM_MODELS_DIR ?? "../shared/models",
        valueName: "DIR",
        help: "folder of the shared models the pairs are built from"
    },
    ffn: {
        type: "string",
        default: "65536",
        valueName: "F",
        help: "feed-forward width of the heavy expert (172 to 1048576; built once into the fixture cache)"
    },
    expert: {type: "string", valueName: "PATH", help: "bench this expert instead of --pairs (with --amateur)"},
    amateur: {type: "string", valueName: "PATH", help: "the amateur that goes with --expert"},
    prompts: {type: "string", default: "4", valueName: "N", help: "how many of the built-in story prompts each mode runs"},
    "max-tokens": {type: "string", default: "64", valueName: "N", help: "tokens generated per prompt"},
    repeats: {type: "string", default: "3", valueName: "R", help: "repeats of every mode on every prompt (the report gives median, min and max)"},
    gamma: {type: "string", default: "4", valueName: "G", help: "draft length of the fixed-γ modes (1 to 64)"},
    alpha: {type: "string", default: "0.1", valueName: "A", help: "contrastive plausibility cut α (0 to 1)"},
    beta: {type: "string", default: "0.5", valueName: "B", help: "contrastive strength β (0 or more)"},
    "top-k": {type: "string", default: "64", valueName: "K", help: "head size read per position"},
    threads: {type: "string", valueName: "N", help: "llama.cpp threads per model (default: half the cores)"},
    cpu: {type: "boolean", help: "force the CPU backend"},
    json: {type: "string", valueName: "PATH", help: "also write every figure as JSON to PATH"},
    sweep: {type: "boolean", help: "scd on the first pair for γ 1–8 × β {0, 0.25, 0.5, 1} and γ auto, with an SVG plot"},
    plot: {type: "string", default: "bench-sweep.svg", valueName: "PATH", help: "where --sweep writes its plot"},
    quality: {type: "boolean", help: "text quality of expert, amateur, sd, cd and scd on story prompts (temperature 1, 128 tokens)"},
    "quality-prompts": {type: "string", default: "56", valueName: "N", help: "prompts --quality runs"},
    "skip-modes": {type: "boolean", help: "skip the mode table (run only --sweep or --quality)"}
} as const;

const benchCommandSpec = textFlagCommand(
    "bench",
    "Runs every decoding mode side by side on one or more pairs, interleaved and repeated, and prints\ntheir speeds, the measured primitives (t_a, t_e, t_v), the predicted speeds and the ratios.",
    benchFlags
);
export const benchUsage = usageLine(benchCommandSpec);
export const benchHelp = helpText(benchCommandSpec);

export async function benchCommand(argv: string[]): Promise<number> {
    const values = parseTextFlags(benchCommandSpec, argv, benchFlags);
    if (values.help) {
        process.stdout.write(benchHelp);
        return 0;
    }
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const promptCount = parseIntegerOption("--prompts", values.prompts, 1, benchPrompts.length);
    const settings = {
        prompts: benchPrompts.slice(0, promptCount),
        repeats: parseIntegerOption("--repeats", values.repeats, 1, 100),
        maxTokens: parseIntegerOption("--max-tokens", values["max-tokens"], 2),
        gamma: parseIntegerOption("--gamma", values.gamma, 1, 64),
        alpha: parseNumberOption("--alpha", values.alpha, 0, 1),
        beta: parseNumberOption("--beta", values.beta, 0),
        topK: parseIntegerOption("--top-k", values["top-k"], 1),
        threads: values.threads == null ? defaultThreadsPerModel() : parseIntegerOption("--threads", values.threads, 1, 256),
        gpu: values.cpu ? (false as const) : ("auto" as const),
        contextSize: 1024,
        onProgress: log
    };
    const pairs = await pairSpecs(values, log);
    const results: PairResult[] = [];
    const extras: Record<string, unknown> = {};
    process.stdout.write(`## Tandem bench\n\n`);
    if (!values["skip-modes"]) {
        for (const spec of pairs) {
            const result = await benchPair(spec, settings);
            results.push(result);
            process.stdout.write(pairReport(result, {repeats: settings.repeats, prompts: promptCount, maxTokens: settings.maxTokens}) + "\n");
        }
    }
    const loadFirstPair = (): Promise<ModelPair> => loadBenchPair(pairs[0]!, settings);
    if (values.sweep) {
        const pair = await loadFirstPair();
        try {
            log(`sweep on ${pairs[0]!.description}: γ 1–8 × β {0, 0.25, 0.5, 1}`);
            const sweep = await runSweep(pair, {
                prompts: settings.prompts,
                maxTokens: settings.maxTokens,
                temperature: 1,
                alpha: settings.alpha,
                gammas: [1, 2, 3, 4, 5, 6, 7, 8],
                betas: [0, 0.25, 0.5, 1],
                repeats: settings.repeats,
                onProgress: log
            });
            await writeFile(
                values.plot,
                sweepPlot(
                    sweep,
                    `SCD on ${pairs[0]!.description}`,
                    `${deviceName(pair)}, ${settings.threads} thread(s) per model, temperature 1, α ${settings.alpha}, ${promptCount} prompts × ${settings.maxTokens} tokens × ${settings.repeats} repeats`
                )
            );
            process.stdout.write(`### Sweep: scd on ${pairs[0]!.description} (temperature 1)\n\n${sweepTable(sweep)}\nPlot: ${values.plot}\n\n`);
            extras.sweep = sweep;
            log(`wrote ${values.plot}`);
        } finally {
            await pair.dispose();
        }
    }
    if (values.quality) {
        const pair = await loadFirstPair();
        try {
            const count = parseIntegerOption("--quality-prompts", values["quality-prompts"], 1, qualityPrompts(1000).length);
            const qualitySettings = {prompts: count, maxTokens: 128, temperature: 1};
            log(`quality on ${pairs[0]!.description}: ${count} prompts × 128 tokens`);
            const quality = await runQuality(pair, {
                prompts: qualityPrompts(count),
                maxTokens: 128,
                temperature: 1,
                alpha: settings.alpha,
                beta: settings.beta,
                gamma: settings.gamma,
                modes: ["expert", "amateur", "sd", "cd", "scd"],
                onProgress: log
            });
            process.stdout.write(`### Quality: ${pairs[0]!.description}\n\n${qualityTable(quality, qualitySettings)}\n`);
            extras.quality = quality;
        } finally {
            await pair.dispose();
        }
    }
    if (values.json != null) {
        const {onProgress: _onProgress, ...recorded} = settings;
        await writeFile(values.json, JSON.stringify({settings: recorded, results, ...extras}, null, 2) + "\n");
        log(`wrote ${values.json}`);
    }
    return 0;
}

async function pairSpecs(
    values: {pairs: string; models: string; ffn: string; expert?: string; amateur?: string},
    log: (line: string) => void
): Promise<PairSpec[]> {
    if (values.expert != null || values.amateur != null) {
        if (values.expert == null || values.amateur == null) throw new UsageError("--expert and --amateur go together");
        return [
            {
                name: "custom",
                description: `${path.basename(values.expert)} + ${path.basename(values.amateur)}`,
                expertPath: values.expert,
                amateurPath: values.amateur
            }
        ];
    }
    const names = values.pairs === "all" ? [...benchPairNames] : values.pairs.split(",").map((n) => n.trim());
    for (const name of names) {
        if (!benchPairNames.includes(name as BenchPairName)) throw new UsageError(`--pairs takes ${benchPairNames.join(", ")} or all, got "${name}"`);
    }
    // The heavy expert holds 3 FFN matrices × 5 blocks × 64 × F float32 values (~3.8 KB per unit of F): cap it
    // at F = 2^20 (~4 GB written to the fixture folder) rather than start writing terabytes.
    const ffn = parseIntegerOption("--ffn", values.ffn, 172, MAX_FFN_WIDTH);
    const specs: PairSpec[] = [];
    for (const name of names) specs.push(await resolvePair(name as BenchPairName, path.resolve(values.models), ffn, log));
    return specs;
}
