/** The benchmark's Markdown report: one section per pair, tables a person reads at a glance. */
import type {PairResult} from "./benchPair.ts";
import type {Spread} from "./summary.ts";

const f1 = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "–" : x.toFixed(1));
const f2 = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "–" : x.toFixed(2));
const pct = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(1)}%`);
const spreadText = (s: Spread) => `${f1(s.median)} (${f1(s.min)}–${f1(s.max)})`;

export function pairReport(result: PairResult, settings: {repeats: number; prompts: number; maxTokens: number}): string {
    const {primitives: p} = result;
    const lines: string[] = [];
    lines.push(`### ${result.pair.description}`, "");
    lines.push(
        `${result.device}, ${result.threads} llama.cpp thread(s) per model, γ = ${result.gamma}, ` +
            `${settings.prompts} prompts × ${settings.maxTokens} tokens × ${settings.repeats} repeats, modes interleaved.`,
        ""
    );
    lines.push("| mode | sampling | tok/s median (min–max) | decode tok/s | first token ms | acceptance | mean accepted | expert calls/token |");
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const m of result.modes) {
        lines.push(
            `| ${m.mode} | ${m.sampling} | ${spreadText(m.tokensPerSecond)} | ${f1(m.decodeTokensPerSecond.median)} | ` +
                `${f1(m.timeToFirstTokenMs)} | ${pct(m.acceptanceRate)} | ${f2(m.meanAcceptedLength)} | ${f2(m.expertCallsPerToken)} |`
        );
    }
    lines.push("");
    const auto = result.modes.filter((m) => m.mode === "sd-auto" || m.mode === "scd-auto");
    if (auto.length > 0) {
        lines.push("| γ auto | sampling | speculative rounds by γ | fallback share of tokens | pick at the end |", "|---|---|---|---|---|");
        for (const m of auto) {
            const histogram = Object.entries(m.gammaHistogram ?? {})
                .sort(([a], [b]) => Number(a) - Number(b))
                .map(([g, n]) => `${g}: ${n}`)
                .join(", ");
            lines.push(`| ${m.mode} | ${m.sampling} | ${histogram || "none"} | ${pct(m.fallbackShare)} | ${m.pick ?? "–"} |`);
        }
        lines.push("");
    }
    lines.push(
        `Primitives: t_a = ${f2(p.amateurStepMs)} ms, t_e = ${f2(p.expertStepMs)} ms, t_v(${p.gamma + 1}) = ${f2(p.verifyMs)} ms ` +
            `(c = t_a/t_e = ${f2(p.amateurStepMs / p.expertStepMs)}, t_v/t_e = ${f2(p.verifyMs / p.expertStepMs)}).`,
        ""
    );
    lines.push("| mode | sampling | per-draft acceptance | predicted tok/s | measured decode tok/s | efficiency | overhead / t_e |");
    lines.push("|---|---|---|---|---|---|---|");
    for (const q of result.predictions) {
        lines.push(
            `| ${q.mode} | ${q.sampling} | ${pct(q.perDraftAcceptance)} | ${f1(q.predictedTokensPerSecond)} | ` +
                `${f1(q.measuredDecodeTokensPerSecond)} | ${f2(q.efficiency)} | ${pct(q.overheadShareOfExpertStep)} |`
        );
    }
    lines.push("");
    lines.push("| ratio | greedy | sampled | greedy, decoding only | sampled, decoding only |", "|---|---|---|---|---|");
    for (const name of [...new Set(result.ratios.map((r) => r.name))]) {
        const ratio = (sampling: string) => result.ratios.find((r) => r.name === name && r.sampling === sampling);
        lines.push(
            `| ${name} | ${f2(ratio("greedy")?.value)} | ${f2(ratio("sampled")?.value)} | ` +
                `${f2(ratio("greedy")?.decodeValue)} | ${f2(ratio("sampled")?.decodeValue)} |`
        );
    }
    lines.push("");
    return lines.join("\n");
}
