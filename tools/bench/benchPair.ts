/**
 * One pair's benchmark: load it, measure the primitives, run every mode greedy and sampled, and derive the
 * predicted speeds, efficiencies, engine overhead and the headline ratios.
 */
import {loadModelPair, rawPrompt, type ModelPair, type GpuChoice} from "../../src-main/models/runtime/index.ts";
import type {PairSpec} from "./benchPairs.ts";
import {benchModes, runModes, samplings, type BenchMode, type ModeSummary, type Workload} from "./modeRuns.ts";
import {NlcSpeculative} from "./nlcSpeculative.ts";
import {measurePrimitives, medianPrimitives, type Primitives} from "./primitives.ts";
import {predictedTokensPerSecond} from "./prediction.ts";

export type BenchSettings = Workload & {
    readonly threads: number;
    readonly gpu: GpuChoice;
    readonly topK: number;
    readonly contextSize: number;
    readonly modes?: readonly BenchMode[];
    readonly onProgress?: (line: string) => void;
};

export type Prediction = {
    readonly mode: "sd" | "scd";
    readonly sampling: string;
    readonly perDraftAcceptance: number;
    readonly predictedTokensPerSecond: number;
    readonly measuredDecodeTokensPerSecond: number;
    readonly efficiency: number;
    /** Engine time outside llama.cpp per round, as a share of one expert step. */
    readonly overheadShareOfExpertStep: number | null;
};

/** A speed ratio of two modes: over whole calls (prompt included) and over decoding after the first token. */
export type Ratio = {readonly name: string; readonly sampling: string; readonly value: number; readonly decodeValue: number};

export type PairResult = {
    readonly pair: PairSpec;
    readonly device: string;
    readonly threads: number;
    readonly gamma: number;
    readonly primitives: Primitives;
    readonly modes: readonly ModeSummary[];
    readonly predictions: readonly Prediction[];
    readonly ratios: readonly Ratio[];
};

/** Loads a pair the way every bench part runs it: the bench's threads, GPU choice, head size and context. */
export function loadBenchPair(spec: PairSpec, settings: Pick<BenchSettings, "threads" | "gpu" | "topK" | "contextSize">): Promise<ModelPair> {
    return loadModelPair({
        expertPath: spec.expertPath,
        amateurPath: spec.amateurPath,
        threads: settings.threads,
        gpu: settings.gpu,
        topK: settings.topK,
        contextSize: settings.contextSize
    });
}

export function deviceName(pair: ModelPair): string {
    const gpu = pair.expert.model.llama.gpu;
    return gpu === false ? "CPU" : `GPU (${gpu})`;
}

export async function benchPair(spec: PairSpec, settings: BenchSettings): Promise<PairResult> {
    const log = settings.onProgress ?? (() => undefined);
    log(`loading ${spec.description}`);
    const pair = await loadBenchPair(spec, settings);
    const modes = settings.modes ?? benchModes;
    const nlc = modes.includes("sd-nlc")
        ? await NlcSpeculative.create(pair.expert.model, pair.amateur.model, {
              threads: settings.threads,
              contextSize: settings.contextSize,
              gamma: settings.gamma
          })
        : null;
    try {
        const device = deviceName(pair);
        log(`measuring primitives on ${device}, ${settings.threads} thread(s) per model`);
        const promptTokens = rawPrompt(pair.tokenizerModel, settings.prompts[0]!).tokens;
        const primitiveSamples: Primitives[] = [];
        const beforeRepeat = async () => {
            primitiveSamples.push(
                await pair.decoder.exclusive((expert, amateur) => measurePrimitives(expert, amateur, promptTokens, settings.gamma))
            );
        };
        const summaries: ModeSummary[] = [];
        for (const sampling of samplings) {
            log(`running ${modes.join(", ")} (${sampling.name})`);
            summaries.push(...(await runModes(pair, nlc, {...settings, sampling, modes, onProgress: log, beforeRepeat})));
        }
        const primitives = medianPrimitives(primitiveSamples);
        return {
            pair: spec,
            device,
            threads: settings.threads,
            gamma: settings.gamma,
            primitives,
            modes: summaries,
            predictions: predictions(summaries, primitives),
            ratios: ratios(summaries)
        };
    } finally {
        await nlc?.dispose();
        await pair.dispose();
    }
}

function predictions(summaries: readonly ModeSummary[], primitives: Primitives): Prediction[] {
    const out: Prediction[] = [];
    for (const summary of summaries) {
        if ((summary.mode !== "sd" && summary.mode !== "scd") || summary.perDraftAcceptance == null) continue;
        const predicted = predictedTokensPerSecond(summary.perDraftAcceptance, primitives.gamma, {
            amateurStepMs: primitives.amateurStepMs,
            verifyMs: primitives.verifyMs,
            bonusAmateurStep: summary.mode === "scd"
        });
        out.push({
            mode: summary.mode,
            sampling: summary.sampling,
            perDraftAcceptance: summary.perDraftAcceptance,
            predictedTokensPerSecond: predicted,
            measuredDecodeTokensPerSecond: summary.decodeTokensPerSecond.median,
            efficiency: summary.decodeTokensPerSecond.median / predicted,
            overheadShareOfExpertStep: summary.engineOverheadMsPerRound == null ? null : summary.engineOverheadMsPerRound / primitives.expertStepMs
        });
    }
    return out;
}

function ratios(summaries: readonly ModeSummary[]): Ratio[] {
    const out: Ratio[] = [];
    for (const sampling of new Set(summaries.map((s) => s.sampling))) {
        const find = (mode: BenchMode) => summaries.find((s) => s.mode === mode && s.sampling === sampling);
        for (const [a, b] of [
            ["sd", "sd-nlc"],
            ["scd", "cd"],
            ["scd", "expert"],
            ["sd", "expert"],
            ["scd-auto", "scd"],
            ["scd-auto", "cd"],
            ["sd-auto", "sd"],
            ["sd-auto", "expert"]
        ] as const) {
            const numerator = find(a);
            const denominator = find(b);
            if (numerator == null || denominator == null) continue;
            out.push({
                name: `${a} / ${b}`,
                sampling,
                value: numerator.tokensPerSecond.median / denominator.tokensPerSecond.median,
                decodeValue: numerator.decodeTokensPerSecond.median / denominator.decodeTokensPerSecond.median
            });
        }
    }
    return out;
}
