/**
 * `--quality`: text quality in miniature on many story prompts: for each mode, repetition (share of
 * repeated 4-grams), distinct-2/3, the share of outputs ending in a loop, and the expert's mean
 * log-likelihood per token of the generated text (read from full-vocabulary expert heads).
 */
import type {DecodeMode} from "../../src-main/engine/index.ts";
import {rawPrompt, type ModelPair} from "../../src-main/models/runtime/index.ts";
import {summarizeQuality, type QualitySummary} from "./qualityMetrics.ts";

const names = ["Lily", "Ben", "Tom", "Sue", "Max", "Anna", "Tim", "Mia"];
const openings = [
    "{n} went to the park.",
    "{n} had a little red ball.",
    "One day, {n} found a box.",
    "{n} wanted to help mom.",
    "{n} saw a big dog.",
    "{n} was sad because it was raining.",
    "{n} liked to draw pictures."
];

/** Deterministic story openings: every name with every opening (56 prompts). */
export function qualityPrompts(count: number): string[] {
    const all = openings.flatMap((opening) => names.map((name) => opening.replace("{n}", name)));
    return all.slice(0, count);
}

export type QualityResult = {readonly mode: DecodeMode; readonly summary: QualitySummary};

export async function runQuality(
    pair: ModelPair,
    options: {
        prompts: readonly string[];
        maxTokens: number;
        temperature: number;
        alpha: number;
        beta: number;
        gamma: number;
        modes: readonly DecodeMode[];
        onProgress?: (line: string) => void;
    }
): Promise<QualityResult[]> {
    const results: QualityResult[] = [];
    const scorer = pair.expert.sequence.withTopK(Number.MAX_SAFE_INTEGER);
    for (const mode of options.modes) {
        const sequences: number[][] = [];
        const logLikelihoods: number[] = [];
        for (const [index, text] of options.prompts.entries()) {
            const prompt = rawPrompt(pair.tokenizerModel, text).tokens;
            const {tokens} = await pair.decoder.generate(prompt, {
                mode,
                temperature: options.temperature,
                alpha: options.alpha,
                beta: options.beta,
                gamma: options.gamma,
                maxTokens: options.maxTokens,
                seed: index + 1
            });
            // An empty answer (end of text at once) has no n-grams and no likelihood: it is left out of both.
            if (tokens.length > 0) {
                sequences.push(tokens);
                const heads = await pair.decoder.exclusive(async () => {
                    await scorer.truncate(0);
                    return scorer.evaluate([...prompt, ...tokens.slice(0, -1)], tokens.length);
                });
                let total = 0;
                heads.forEach((head, i) => {
                    const at = head.ids.indexOf(tokens[i]!);
                    total += at >= 0 ? head.logProbs[at]! : -Infinity;
                });
                logLikelihoods.push(total / tokens.length);
            }
        }
        await pair.clearCaches();
        results.push({mode, summary: summarizeQuality(sequences, logLikelihoods)});
        options.onProgress?.(`  quality: ${mode} done`);
    }
    return results;
}

export function qualityTable(results: readonly QualityResult[], settings: {prompts: number; maxTokens: number; temperature: number}): string {
    const lines = [
        `${settings.prompts} story prompts × ${settings.maxTokens} tokens, temperature ${settings.temperature}.`,
        "",
        "| mode | repeated 4-grams | distinct-2 | distinct-3 | ends in a loop | expert log-likelihood / token |",
        "|---|---|---|---|---|---|"
    ];
    for (const {mode, summary: s} of results) {
        lines.push(
            `| ${mode} | ${(s.repeated4gramShare * 100).toFixed(1)}% | ${s.distinct2.toFixed(3)} | ${s.distinct3.toFixed(3)} | ` +
                `${(s.loopShare * 100).toFixed(0)}% | ${s.meanLogLikelihood?.toFixed(3) ?? "–"} |`
        );
    }
    return lines.join("\n") + "\n";
}
