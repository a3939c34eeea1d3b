/**
 * Runs every mode on the prompt set, interleaved (mode after mode on each prompt, repeated), so machine
 * noise hits all modes alike, and summarises each mode: tokens/s (median, min, max over repeats), time to
 * first token, acceptance, mean accepted length, expert calls per token, and time outside llama.cpp.
 *
 * Before timing, every mode runs once on the first prompt, untimed: the first calls of a process are slow
 * (JavaScript not yet compiled, llama.cpp sizing buffers for each batch shape) and would otherwise count
 * against whichever mode runs first. γ auto then forgets what it learnt there, so its measured runs include
 * learning from a cold start.
 */
import type {Arm, DecodeMode, GenerationStats} from "../../src-main/engine/index.ts";
import {rawPrompt, type ModelPair} from "../../src-main/models/runtime/index.ts";
import type {NlcSpeculative} from "./nlcSpeculative.ts";
import {perDraftAcceptance} from "./prediction.ts";
import {mean, spread, type Spread} from "./summary.ts";

/** sd-auto, scd-auto: sd and scd with γ auto (the pair's adaptive controller, kept across prompts and repeats). */
export const benchModes = ["expert", "amateur", "cd", "sd", "sd-auto", "sd-nlc", "scd", "scd-auto"] as const;
export type BenchMode = (typeof benchModes)[number];

/** The decoder's mode and γ for a bench mode other than sd-nlc. */
export function decodeModeOf(mode: Exclude<BenchMode, "sd-nlc">, gamma: number): {mode: DecodeMode; gamma: number | "auto"} {
    if (mode === "sd-auto") return {mode: "sd", gamma: "auto"};
    if (mode === "scd-auto") return {mode: "scd", gamma: "auto"};
    return {mode, gamma};
}

export type Sampling = {readonly name: "greedy" | "sampled"; readonly temperature: number};
export const samplings: readonly Sampling[] = [
    {name: "greedy", temperature: 0},
    {name: "sampled", temperature: 1}
];

export type ModeSummary = {
    readonly mode: BenchMode;
    readonly sampling: Sampling["name"];
    /** Tokens per second over each repeat's whole prompt set (prompt evaluation included). */
    readonly tokensPerSecond: Spread;
    /** Tokens after the first per second of decoding after it: the steady-state speed. */
    readonly decodeTokensPerSecond: Spread;
    readonly timeToFirstTokenMs: number;
    readonly acceptanceRate: number | null;
    readonly perDraftAcceptance: number | null;
    readonly meanAcceptedLength: number | null;
    readonly expertCallsPerToken: number | null;
    /** Wall time the decoder spent on its own work (not waiting on llama.cpp) per expert call, ms (sd and scd only). */
    readonly engineOverheadMsPerRound: number | null;
    readonly generatedTokens: number;
    /** Speculative rounds by γ over every run (null outside sd and scd). */
    readonly gammaHistogram: Readonly<Record<string, number>> | null;
    /** Share of the tokens from non-speculative steps γ auto ran instead (null outside the auto modes). */
    readonly fallbackShare: number | null;
    /** The auto modes: the round shape the controller had settled on after the last run, e.g. "γ 3 side by side", "fallback serial". */
    readonly pick: string | null;
};

/** What each mode decodes: the same for every mode of a bench run. */
export type Workload = {
    readonly prompts: readonly string[];
    readonly repeats: number;
    readonly maxTokens: number;
    readonly gamma: number;
    readonly alpha: number;
    readonly beta: number;
};

export type ModeRunOptions = Workload & {
    readonly sampling: Sampling;
    readonly modes: readonly BenchMode[];
    readonly onProgress?: (line: string) => void;
    /** Called before each repeat (the bench re-measures the primitives there, so drift hits both alike). */
    readonly beforeRepeat?: () => Promise<void>;
};

type RunRecord = {
    tokens: number;
    totalMs: number;
    timeToFirstTokenMs: number | null;
    stats: GenerationStats | null;
    validated?: number;
    refuted?: number;
};

export async function runModes(pair: ModelPair, nlc: NlcSpeculative | null, options: ModeRunOptions): Promise<ModeSummary[]> {
    const prompts = options.prompts.map((text) => rawPrompt(pair.tokenizerModel, text).tokens);
    const records = new Map<BenchMode, RunRecord[][]>(options.modes.map((mode) => [mode, []]));
    await warmUp(
        pair,
        options.modes.map((mode) => (prompt: number[]) => runOne(pair, nlc, mode, prompt, 1, options)),
        prompts[0]!
    );
    for (let repeat = 0; repeat < options.repeats; repeat++) {
        await options.beforeRepeat?.();
        for (const mode of options.modes) records.get(mode)!.push([]);
        for (const [index, prompt] of prompts.entries()) {
            for (const mode of options.modes) {
                const seed = repeat * 1000 + index + 1;
                records.get(mode)![repeat]!.push(await runOne(pair, nlc, mode, prompt, seed, options));
            }
        }
        options.onProgress?.(`  ${options.sampling.name}: repeat ${repeat + 1}/${options.repeats} done`);
    }
    return options.modes.map((mode) => summarise(mode, options.sampling.name, records.get(mode)!));
}

/**
 * Runs each of `runs` once on `prompt`, untimed, then makes the pair's γ auto forget what it learnt (see the
 * header): the bench's and the sweep's warm-up.
 */
export async function warmUp(pair: ModelPair, runs: readonly ((prompt: number[]) => Promise<unknown>)[], prompt: number[]): Promise<void> {
    for (const run of runs) await run(prompt);
    pair.decoder.adaptive.reset();
}

async function runOne(
    pair: ModelPair,
    nlc: NlcSpeculative | null,
    mode: BenchMode,
    prompt: number[],
    seed: number,
    options: ModeRunOptions
): Promise<RunRecord> {
    if (mode === "sd-nlc") {
        if (nlc == null) throw new Error("sd-nlc needs node-llama-cpp's speculative sequence");
        const run = await nlc.generate(prompt, {maxTokens: options.maxTokens, temperature: options.sampling.temperature, seed});
        return {
            tokens: run.tokens.length,
            totalMs: run.totalMs,
            timeToFirstTokenMs: run.timeToFirstTokenMs,
            stats: null,
            validated: run.validated,
            refuted: run.refuted
        };
    }
    // Every run starts from an empty cache, so time to first token always includes the prompt.
    await pair.clearCaches();
    const {stats} = await pair.decoder.generate(prompt, {
        ...decodeModeOf(mode, options.gamma),
        temperature: options.sampling.temperature,
        alpha: options.alpha,
        beta: options.beta,
        maxTokens: options.maxTokens,
        seed
    });
    return {tokens: stats.generatedTokens, totalMs: stats.totalMs, timeToFirstTokenMs: stats.timeToFirstTokenMs, stats};
}

function summarise(mode: BenchMode, sampling: Sampling["name"], repeats: RunRecord[][]): ModeSummary {
    const all = repeats.flat();
    const perRepeat = (f: (runs: RunRecord[]) => number) => spread(repeats.map(f));
    const tokensPerSecond = perRepeat((runs) => (1000 * sum(runs, (r) => r.tokens)) / sum(runs, (r) => r.totalMs));
    const decodeTokensPerSecond = perRepeat(
        (runs) => (1000 * sum(runs, (r) => Math.max(0, r.tokens - 1))) / sum(runs, (r) => r.totalMs - (r.timeToFirstTokenMs ?? 0))
    );
    const stats = all.map((r) => r.stats).filter((s): s is GenerationStats => s != null);
    const generatedTokens = sum(all, (r) => r.tokens);
    let acceptanceRate: number | null = null;
    let draftAcceptance: number | null = null;
    let meanAcceptedLength: number | null = null;
    let expertCallsPerToken: number | null = null;
    let engineOverheadMsPerRound: number | null = null;
    if (mode === "sd-nlc") {
        const validated = sum(all, (r) => r.validated ?? 0);
        const refuted = sum(all, (r) => r.refuted ?? 0);
        acceptanceRate = validated + refuted > 0 ? validated / (validated + refuted) : null;
    } else if (stats.length > 0) {
        const drafted = sum(stats, (s) => s.draftedTokens);
        const accepted = sum(stats, (s) => s.acceptedTokens);
        const rounds = sum(stats, (s) => s.rounds);
        acceptanceRate = drafted > 0 ? accepted / drafted : null;
        draftAcceptance = perDraftAcceptance(
            accepted,
            sum(stats, (s) => s.correctionTokens)
        );
        meanAcceptedLength = rounds > 0 ? accepted / rounds : null;
        const expertCalls = sum(stats, (s) => s.expertCalls);
        expertCallsPerToken = mode === "amateur" ? null : expertCalls / generatedTokens;
        if (mode !== "expert" && mode !== "amateur" && mode !== "cd") {
            const outside = sum(stats, (s) => s.totalMs - s.modelWaitMs);
            engineOverheadMsPerRound = outside / expertCalls;
        }
    }
    const speculative = mode === "sd" || mode === "scd" || mode === "sd-auto" || mode === "scd-auto";
    const auto = mode === "sd-auto" || mode === "scd-auto";
    const gammaHistogram: Record<string, number> = {};
    for (const s of stats)
        for (const [gamma, rounds] of Object.entries(s.gammaHistogram)) gammaHistogram[gamma] = (gammaHistogram[gamma] ?? 0) + rounds;
    const pick = auto ? (stats.at(-1)?.adaptivePick ?? null) : null;
    return {
        mode,
        sampling,
        gammaHistogram: speculative ? gammaHistogram : null,
        fallbackShare: auto && generatedTokens > 0 ? sum(stats, (s) => s.fallbackTokens) / generatedTokens : null,
        pick: pick == null ? null : armText(pick),
        tokensPerSecond,
        decodeTokensPerSecond,
        timeToFirstTokenMs: mean(all.map((r) => r.timeToFirstTokenMs ?? NaN).filter(Number.isFinite)),
        acceptanceRate,
        perDraftAcceptance: draftAcceptance,
        meanAcceptedLength,
        expertCallsPerToken,
        engineOverheadMsPerRound,
        generatedTokens
    };
}

/** A round shape in words: "γ 3 side by side", "fallback serial". */
export function armText(arm: Arm): string {
    return `${arm.kind === "speculate" ? `γ ${arm.gamma}` : "fallback"} ${arm.sideBySide ? "side by side" : "serial"}`;
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
    return items.reduce((total, item) => total + f(item), 0);
}
