/**
 * `--sweep`: scd speed and acceptance against the draft length γ (1–8) for several contrast strengths β,
 * on one pair, and the plot a user reads faster than a table. Every cell (the expert alone, cd, each fixed γ
 * and β, γ auto per β) runs on each prompt in turn, repeated, after an untimed warm-up; γ auto starts cold and
 * keeps what it learns across the prompts, as the app keeps it across messages. The table and the plot
 * mark its speed at the γ it settled on (x = 0 where it settled on falling back to cd).
 */
import type {DecodeMode, Arm} from "../../src-main/engine/index.ts";
import {rawPrompt, type ModelPair} from "../../src-main/models/runtime/index.ts";
import {armText, warmUp} from "./modeRuns.ts";
import {renderLinePlot} from "./svgPlot.ts";

export type SweepPoint = {readonly gamma: number; readonly beta: number; readonly tokensPerSecond: number; readonly acceptanceRate: number};

/** γ auto at one β: its speed, acceptance and the round shape it settled on (pickGamma 0: falling back). */
export type SweepAutoPoint = {
    readonly beta: number;
    readonly tokensPerSecond: number;
    readonly acceptanceRate: number;
    readonly pick: string | null;
    readonly pickGamma: number | null;
};

/** The sweep's points plus γ auto, the expert alone and cd on the same prompts, measured in the same run. */
export type SweepResult = {
    readonly points: SweepPoint[];
    readonly auto: SweepAutoPoint[];
    readonly expertTokensPerSecond: number;
    readonly cdTokensPerSecond: number;
};

export type SweepOptions = {
    readonly prompts: readonly string[];
    readonly maxTokens: number;
    readonly temperature: number;
    readonly alpha: number;
    readonly gammas: readonly number[];
    readonly betas: readonly number[];
    /** Passes over the prompts; each pass runs every cell on each prompt in turn. */
    readonly repeats: number;
    readonly onProgress?: (line: string) => void;
};

export async function runSweep(pair: ModelPair, options: SweepOptions): Promise<SweepResult> {
    const prompts = options.prompts.map((text) => rawPrompt(pair.tokenizerModel, text).tokens);
    type Cell = {
        readonly mode: DecodeMode;
        readonly gamma: number | "auto";
        readonly beta: number;
        tokens: number;
        ms: number;
        drafted: number;
        accepted: number;
        pick: Arm | null;
    };
    const cell = (mode: DecodeMode, gamma: number | "auto", beta: number): Cell => ({
        mode,
        gamma,
        beta,
        tokens: 0,
        ms: 0,
        drafted: 0,
        accepted: 0,
        pick: null
    });
    const cdBeta = options.betas[options.betas.length - 1] ?? 0.5;
    const expertCell = cell("expert", 1, 0),
        cdCell = cell("cd", 1, cdBeta);
    const fixedCells = options.gammas.flatMap((gamma) => options.betas.map((beta) => cell("scd", gamma, beta)));
    const autoCells = options.betas.map((beta) => cell("scd", "auto", beta));
    const cells = [expertCell, cdCell, ...fixedCells, ...autoCells];
    const run = async (target: Cell, prompt: number[], seed: number) => {
        await pair.clearCaches();
        const {stats} = await pair.decoder.generate(prompt, {
            mode: target.mode,
            gamma: target.gamma,
            beta: target.beta,
            alpha: options.alpha,
            temperature: options.temperature,
            maxTokens: options.maxTokens,
            seed
        });
        return stats;
    };
    // Untimed warm-up of each kind of run (see modeRuns.ts), then γ auto starts cold.
    await warmUp(
        pair,
        [expertCell, cdCell, fixedCells[0]!, autoCells[0]!].map((target) => (prompt: number[]) => run(target, prompt, 1)),
        prompts[0]!
    );
    // Interleaved: every cell on each prompt in turn, repeated, so drift of the machine hits every cell alike.
    for (let repeat = 0; repeat < options.repeats; repeat++) {
        for (const [index, prompt] of prompts.entries()) {
            for (const target of cells) {
                const stats = await run(target, prompt, 1000 * repeat + index + 1);
                target.tokens += stats.generatedTokens;
                target.ms += stats.totalMs;
                target.drafted += stats.draftedTokens;
                target.accepted += stats.acceptedTokens;
                target.pick = stats.adaptivePick;
            }
        }
        options.onProgress?.(`  sweep: repeat ${repeat + 1}/${options.repeats} done`);
    }
    const speed = (target: Cell) => (1000 * target.tokens) / target.ms;
    const acceptance = (target: Cell) => (target.drafted > 0 ? target.accepted / target.drafted : 0);
    const points: SweepPoint[] = fixedCells.map((target) => ({
        gamma: target.gamma as number,
        beta: target.beta,
        tokensPerSecond: speed(target),
        acceptanceRate: acceptance(target)
    }));
    const auto: SweepAutoPoint[] = autoCells.map((target) => ({
        beta: target.beta,
        tokensPerSecond: speed(target),
        acceptanceRate: acceptance(target),
        pick: target.pick == null ? null : armText(target.pick),
        pickGamma: target.pick == null ? null : target.pick.kind === "speculate" ? target.pick.gamma : 0
    }));
    return {points, auto, expertTokensPerSecond: speed(expertCell), cdTokensPerSecond: speed(cdCell)};
}

export function sweepPlot({points, auto, expertTokensPerSecond}: SweepResult, title: string, note: string): string {
    const betas = [...new Set(points.map((p) => p.beta))];
    const gammas = [...new Set(points.map((p) => p.gamma))];
    const series = (y: (p: SweepPoint) => number) =>
        betas.map((beta) => ({
            label: `β = ${beta}`,
            points: points.filter((p) => p.beta === beta).map((p) => ({x: p.gamma, y: y(p)}))
        }));
    const expertLine = {label: "expert alone", points: gammas.map((gamma) => ({x: gamma, y: expertTokensPerSecond}))};
    // γ auto, one point per β at the γ it settled on (x = 0: it settled on cd).
    const autoSeries = auto
        .filter((a) => a.pickGamma != null)
        .map((a) => ({
            label: `auto, β = ${a.beta}: ${a.pick}`,
            points: [{x: a.pickGamma!, y: a.tokensPerSecond}]
        }));
    return renderLinePlot({
        title,
        note,
        panels: [
            {
                title: "Speed",
                xLabel: "draft length γ",
                yLabel: "tokens / s",
                series: [...series((p) => p.tokensPerSecond), expertLine, ...autoSeries],
                yMin: 0
            },
            {
                title: "Acceptance rate",
                xLabel: "draft length γ",
                yLabel: "accepted / drafted",
                series: series((p) => p.acceptanceRate),
                yMin: 0,
                yMax: 1
            }
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
    lines.push(
        "",
        `Same prompts, same run: expert alone ${expertTokensPerSecond.toFixed(1)} tok/s, cd (β = ${betas[betas.length - 1]}) ${cdTokensPerSecond.toFixed(1)} tok/s.`
    );
    return lines.join("\n") + "\n";
}
