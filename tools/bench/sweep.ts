/**
 * `--sweep`: scd speed and acceptance against the draft length γ (1–8) for several contrast strengths β,
 * on one pair, and the plot a user reads faster than a table. γ auto runs on the same prompts after the fixed
 * γs (its controller kept across the prompts, as the app keeps it across messages); the table and the plot
 * mark its speed at the γ it settled on (x = 0 where it settled on falling back to cd).
 */
import type {DecodeMode} from "../../src-main/engine/types.ts";
import type {ModelPair} from "../../src-main/models/modelPair.ts";
import {rawPrompt} from "../../src-main/models/promptFormat.ts";
import type {Arm} from "../../src-main/engine/adaptive/controller.ts";
import {armText} from "./modeRuns.ts";
import {renderLinePlot} from "./svgPlot.ts";

export type SweepPoint = {readonly gamma: number; readonly beta: number; readonly tokensPerSecond: number; readonly acceptanceRate: number};

/** γ auto at one β: its speed, acceptance and the round shape it settled on (pickGamma 0: falling back). */
export type SweepAutoPoint = {
    readonly beta: number; readonly tokensPerSecond: number; readonly acceptanceRate: number; readonly pick: string | null; readonly pickGamma: number | null;
};

/** The sweep's points plus γ auto, the expert alone and cd on the same prompts, measured in the same run. */
export type SweepResult = {
    readonly points: SweepPoint[]; readonly auto: SweepAutoPoint[]; readonly expertTokensPerSecond: number; readonly cdTokensPerSecond: number;
};

export type SweepOptions = {
    readonly prompts: readonly string[];
    readonly maxTokens: number;
    readonly temperature: number;
    readonly alpha: number;
    readonly gammas: readonly number[];
    readonly betas: readonly number[];
    readonly onProgress?: (line: string) => void;
};

export async function runSweep(pair: ModelPair, options: SweepOptions): Promise<SweepResult> {
    const prompts = options.prompts.map((text) => rawPrompt(pair.tokenizerModel, text).tokens);
    const measure = async (mode: DecodeMode, gamma: number | "auto", beta: number) => {
        let tokens = 0, ms = 0, drafted = 0, accepted = 0;
        let pick: Arm | null = null;
        for (const [index, prompt] of prompts.entries()) {
            await pair.clearCaches();
            const {stats} = await pair.decoder.generate(prompt, {
                mode, gamma, beta, alpha: options.alpha, temperature: options.temperature, maxTokens: options.maxTokens, seed: index + 1
            });
            tokens += stats.generatedTokens;
            ms += stats.totalMs;
            drafted += stats.draftedTokens;
            accepted += stats.acceptedTokens;
            pick = stats.adaptivePick;
        }
        return {tokensPerSecond: (1000 * tokens) / ms, acceptanceRate: drafted > 0 ? accepted / drafted : 0, pick};
    };
    const expertTokensPerSecond = (await measure("expert", 1, 0)).tokensPerSecond;
    const cdTokensPerSecond = (await measure("cd", 1, options.betas[options.betas.length - 1] ?? 0.5)).tokensPerSecond;
    const points: SweepPoint[] = [];
    for (const gamma of options.gammas) {
        for (const beta of options.betas) {
            const {tokensPerSecond, acceptanceRate} = await measure("scd", gamma, beta);
            points.push({gamma, beta, tokensPerSecond, acceptanceRate});
        }
        options.onProgress?.(`  sweep: γ = ${gamma} done`);
    }
    const auto: SweepAutoPoint[] = [];
    for (const beta of options.betas) {
        const {tokensPerSecond, acceptanceRate, pick} = await measure("scd", "auto", beta);
        auto.push({beta, tokensPerSecond, acceptanceRate, pick: pick == null ? null : armText(pick), pickGamma: pick == null ? null : pick.kind === "speculate" ? pick.gamma : 0});
    }
    options.onProgress?.("  sweep: γ auto done");
    return {points, auto, expertTokensPerSecond, cdTokensPerSecond};
}

export function sweepPlot({points, auto, expertTokensPerSecond}: SweepResult, title: string, note: string): string {
    const betas = [...new Set(points.map((p) => p.beta))];
    const gammas = [...new Set(points.map((p) => p.gamma))];
    const series = (y: (p: SweepPoint) => number) => betas.map((beta) => ({
        label: `β = ${beta}`,
        points: points.filter((p) => p.beta === beta).map((p) => ({x: p.gamma, y: y(p)}))
    }));
    const expertLine = {label: "expert alone", points: gammas.map((gamma) => ({x: gamma, y: expertTokensPerSecond}))};
    // γ auto, one point per β at the γ it settled on (x = 0: it settled on cd).
    const autoSeries = auto.filter((a) => a.pickGamma != null).map((a) => ({
        label: `auto, β = ${a.beta}: ${a.pick}`, points: [{x: a.pickGamma!, y: a.tokensPerSecond}]
    }));
    return renderLinePlot({
        title,
        note,
        panels: [
            {title: "Speed", xLabel: "draft length γ", yLabel: "tokens / s", series: [...series((p) => p.tokensPerSecond), expertLine, ...autoSeries], yMin: 0},
            {title: "Acceptance rate", xLabel: "draft length γ", yLabel: "accepted / drafted", series: series((p) => p.acceptanceRate), yMin: 0, yMax: 1}
        ]
    });
}

export function sweepTable({points, auto, expertTokensPerSecond, cdTokensPerSecond}: SweepResult): string {
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
    if (auto.length > 0) {
        const cells = betas.map((beta) => {
            const a = auto.find((q) => q.beta === beta);
            return a == null ? "–" : `${a.tokensPerSecond.toFixed(1)} (${(a.acceptanceRate * 100).toFixed(0)}%), ${a.pick ?? "no pick"}`;
        });
        lines.push(`| auto | ${cells.join(" | ")} |`);
    }
    lines.push("", `Same prompts, same run: expert alone ${expertTokensPerSecond.toFixed(1)} tok/s, cd (β = ${betas[betas.length - 1]}) ${cdTokensPerSecond.toFixed(1)} tok/s.`);
    return lines.join("\n") + "\n";
}
