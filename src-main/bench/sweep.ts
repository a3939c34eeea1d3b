/**
 * `--sweep`: scd speed and acceptance against the draft length γ (1–8) for several contrast strengths β,
 * on one pair, and the plot a user reads faster than a table.
 */
import type {ModelPair} from "../models/modelPair.ts";
import {rawPrompt} from "../models/promptFormat.ts";
import {renderLinePlot} from "./svgPlot.ts";

export type SweepPoint = {readonly gamma: number; readonly beta: number; readonly tokensPerSecond: number; readonly acceptanceRate: number};

export type SweepOptions = {
    readonly prompts: readonly string[];
    readonly maxTokens: number;
    readonly temperature: number;
    readonly alpha: number;
    readonly gammas: readonly number[];
    readonly betas: readonly number[];
    readonly onProgress?: (line: string) => void;
};

export async function runSweep(pair: ModelPair, options: SweepOptions): Promise<SweepPoint[]> {
    const prompts = options.prompts.map((text) => rawPrompt(pair.tokenizerModel, text).tokens);
    const points: SweepPoint[] = [];
    for (const gamma of options.gammas) {
        for (const beta of options.betas) {
            let tokens = 0, ms = 0, drafted = 0, accepted = 0;
            for (const [index, prompt] of prompts.entries()) {
                await pair.expert.sequence.truncate(0);
                await pair.amateur.sequence.truncate(0);
                const {stats} = await pair.decoder.generate(prompt, {
                    mode: "scd", gamma, beta, alpha: options.alpha, temperature: options.temperature, maxTokens: options.maxTokens, seed: index + 1
                });
                tokens += stats.generatedTokens;
                ms += stats.totalMs;
                drafted += stats.draftedTokens;
                accepted += stats.acceptedTokens;
            }
            points.push({gamma, beta, tokensPerSecond: (1000 * tokens) / ms, acceptanceRate: drafted > 0 ? accepted / drafted : 0});
        }
        options.onProgress?.(`  sweep: γ = ${gamma} done`);
    }
    return points;
}

export function sweepPlot(points: readonly SweepPoint[], title: string, note: string): string {
    const betas = [...new Set(points.map((p) => p.beta))];
    const series = (y: (p: SweepPoint) => number) => betas.map((beta) => ({
        label: `β = ${beta}`,
        points: points.filter((p) => p.beta === beta).map((p) => ({x: p.gamma, y: y(p)}))
    }));
    return renderLinePlot({
        title,
        note,
        panels: [
            {title: "Speed", xLabel: "draft length γ", yLabel: "tokens / s", series: series((p) => p.tokensPerSecond), yMin: 0},
            {title: "Acceptance rate", xLabel: "draft length γ", yLabel: "accepted / drafted", series: series((p) => p.acceptanceRate), yMin: 0, yMax: 1}
        ]
    });
}

export function sweepTable(points: readonly SweepPoint[]): string {
    const betas = [...new Set(points.map((p) => p.beta))];
    const gammas = [...new Set(points.map((p) => p.gamma))];
    const lines = [`| γ | ${betas.map((b) => `β=${b} tok/s (acc.)`).join(" | ")} |`, `|---|${betas.map(() => "---").join("|")}|`];
    for (const gamma of gammas) {
        const cells = betas.map((beta) => {
            const p = points.find((q) => q.gamma === gamma && q.beta === beta)!;
            return `${p.tokensPerSecond.toFixed(1)} (${(p.acceptanceRate * 100).toFixed(0)}%)`;
        });
        lines.push(`| ${gamma} | ${cells.join(" | ")} |`);
    }
    return lines.join("\n") + "\n";
}
