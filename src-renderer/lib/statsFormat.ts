/**
 * Words and numbers for the stats footer under an answer and for the status line. Pure: no DOM, no clock
 * (dates are formatted in the local time zone of the caller's Date).
 */
import type {EngineStats, MessageStats, Speedup} from "../../src-shared/index.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Tokens per second: one decimal under 10, whole numbers above. */
export function formatRate(tokensPerSecond: number): string {
    if (!Number.isFinite(tokensPerSecond)) return "–";
    return `${tokensPerSecond < 10 ? tokensPerSecond.toFixed(1) : Math.round(tokensPerSecond).toString()} tok/s`;
}

/** "340 ms" under a second, "1.2 s" under a minute, "2 min 5 s" above. */
export function formatDuration(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) return "–";
    if (ms < 999.5) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
    const seconds = Math.round(ms / 1000);
    return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function formatPercent(share: number): string {
    return `${Math.round(share * 100)}%`;
}

/** "28 Nov" (local date of an ISO date-time); the text itself when it is not a date. */
export function formatShortDate(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return `${date.getDate()} ${MONTHS[date.getMonth()]}`;
}

export function formatBytes(bytes: number): string {
    if (!Number.isFinite(bytes) || bytes < 0) return "–";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * "1.9× vs expert alone (62 tok/s over the same span, measured 28 Nov)": the ratio always beside what it was
 * measured against. Answers stored before cost curves existed carry one expert-alone speed instead.
 */
export function formatSpeedup(speedup: Speedup): string {
    const {ratio, baseline} = speedup;
    const times = `${ratio.toFixed(ratio < 10 ? 1 : 0)}×`;
    if (speedup.expertTokensPerSecond != null) {
        const rate = formatRate(speedup.expertTokensPerSecond);
        if (speedup.matchedBy === "expert" || (speedup.measuredDuringAnswer === true && speedup.matchedBy == null)) {
            return `${times} vs expert alone (${rate}, its steps in this answer)`;
        }
        const matched = speedup.matchedBy === "cd" ? ", matched to this answer's load" : "";
        return `${times} vs expert alone (${rate} over the same span, measured ${formatShortDate(baseline.measuredAt)}${matched})`;
    }
    return `${times} vs expert alone, ${formatRate(baseline.expertTokensPerSecond)} measured ${formatShortDate(baseline.measuredAt)}`;
}

/** Share of drafts accepted at each draft position: "1st 80%, 2nd 61%, 3rd 45%". */
export function acceptanceByPositionText(shares: readonly number[]): string {
    const ordinal = (n: number): string =>
        `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;
    return shares.map((share, i) => `${ordinal(i + 1)} ${formatPercent(share)}`).join(", ");
}

const stopReasons: Readonly<Record<string, string>> = {
    eogToken: "the model ended its answer",
    stopString: "a stop sequence was reached",
    maxTokens: "max tokens reached",
    abort: "stopped",
    contextFull: "the context is full"
};

/** The engine's stop reason in words (unknown reasons are shown as they are). */
export function stopReasonText(reason: string): string {
    return stopReasons[reason] ?? reason;
}

export type StatItem = {readonly key: string; readonly label: string; readonly value: string; readonly title?: string};

/**
 * The footer's items, in reading order, each with its definition on hover (`title`). Speculative measures appear
 * only where the mode has them; the speedup appears with what it was measured against or as "not measured"
 * (never as a bare ratio).
 */
export function statItems(stats: MessageStats, contextSize: number | null): StatItem[] {
    const engine = stats.engine;
    const items: StatItem[] = [
        {key: "mode", label: "mode", value: stats.mode, title: modeTitles[stats.mode]},
        {key: "tokens", label: "tokens", value: String(stats.generatedTokens), title: "tokens in this answer"},
        {
            key: "speed",
            label: "speed",
            value: formatRate(stats.tokensPerSecond),
            title: `tokens per second over the whole answer (${formatDuration(stats.totalMs)}), the evaluation of the new prompt tokens included`
        }
    ];
    const firstToken = firstTokenText(stats);
    if (firstToken != null) items.push({key: "ttft", label: "first token", ...firstToken});
    if (stats.acceptanceRate != null) {
        const byPosition =
            stats.acceptanceByPosition != null && stats.acceptanceByPosition.length > 1 ? acceptanceByPositionText(stats.acceptanceByPosition) : null;
        items.push({
            key: "acceptance",
            label: "acceptance rate",
            value: formatPercent(stats.acceptanceRate),
            title:
                `accepted drafts / drafted tokens: ${engine.acceptedTokens} of the amateur's ${engine.draftedTokens} drafts were accepted by the expert` +
                (byPosition != null ? `; by draft position in a round: ${byPosition}` : "")
        });
    }
    const meanLength = stats.meanAcceptanceLength ?? (stats.meanAcceptedLength != null ? 1 + stats.meanAcceptedLength : null);
    if (meanLength != null) {
        items.push({
            key: "meanAccepted",
            label: "mean acceptance length",
            value: meanLength.toFixed(2),
            title: `tokens one expert verification commits: 1 + accepted drafts / verification rounds (${engine.acceptedTokens} accepted in ${engine.rounds} rounds); 1 means every first draft was rejected`
        });
    }
    const gamma = gammaAutoText(engine);
    if (gamma != null) items.push({key: "gamma", label: "γ auto", value: gamma.value, title: gamma.title});
    items.push({key: "stop", label: "stop", value: stopReasonText(stats.stopReason), title: "why the answer ended"});
    items.push({
        key: "context",
        label: "prompt",
        value: contextSize == null ? `${stats.promptTokens} tokens` : `${stats.promptTokens} of ${contextSize} tokens`,
        title: "tokens of history and prompt the models read for this answer"
    });
    const reevaluated = reevaluatedText(stats);
    if (reevaluated != null) items.push({key: "reevaluated", label: "evaluated again", ...reevaluated});
    items.push(
        stats.speedup == null
            ? {
                  key: "speedup",
                  label: "speedup",
                  value: "not measured yet",
                  title: "the expert alone is measured on this machine in the background when a pair is first loaded (Recalibrate measures it again)"
              }
            : {key: "speedup", label: "speedup", value: formatSpeedup(stats.speedup), title: speedupTitle(stats.speedup)}
    );
    if (stats.speedup?.versusCd != null) {
        items.push({
            key: "versusCd",
            label: "vs cd",
            value: `${stats.speedup.versusCd.toFixed(stats.speedup.versusCd < 10 ? 1 : 0)}×`,
            title: "against contrastive decoding (both models on every token) over the same span, measured the same way: cd gives the same output distribution as scd, so this is what speculation saved"
        });
    }
    return items;
}

const modeTitles: Record<MessageStats["mode"], string> = {
    scd: "speculative contrastive decoding: the amateur drafts, the expert verifies against the contrastive target",
    sd: "speculative decoding: the amateur drafts, the expert verifies; the output is the expert's",
    cd: "contrastive decoding: both models on every token",
    expert: "the expert alone",
    amateur: "the amateur alone"
};

/** From Send when the service measured it (loads and waits included), with the wait for a load said in words. */
function firstTokenText(stats: MessageStats): {value: string; title: string} | null {
    const fromSend = stats.sendToFirstTokenMs;
    if (fromSend == null) {
        return stats.timeToFirstTokenMs == null
            ? null
            : {value: formatDuration(stats.timeToFirstTokenMs), title: "from the start of the generation to its first token"};
    }
    const load = stats.pairLoadMs != null ? ` (pair loaded in ${formatDuration(stats.pairLoadMs)})` : "";
    const engine =
        stats.timeToFirstTokenMs != null ? `; the generation itself took ${formatDuration(stats.timeToFirstTokenMs)} to its first token` : "";
    return {value: `${formatDuration(fromSend)}${load}`, title: `from Send to the first token on screen${engine}`};
}

/** "expert 21, amateur 21": prompt tokens each model evaluated for this answer (the rest were in its cache). */
function reevaluatedText(stats: MessageStats): {value: string; title: string} | null {
    const counts = stats.reevaluatedTokens;
    if (counts == null) return null;
    const parts = [counts.expert != null ? `expert ${counts.expert}` : null, counts.amateur != null ? `amateur ${counts.amateur}` : null].filter(
        (part) => part != null
    );
    return {
        value: parts.join(", "),
        title: `prompt tokens each model evaluated for this answer; the rest of the ${stats.promptTokens} prompt tokens were already in its cache from the turns before`
    };
}

function speedupTitle(speedup: Speedup): string {
    if (speedup.span == null) return "this answer's speed over the expert alone's, measured once at the start of an empty context";
    if (speedup.matchedBy === "cd") {
        return (
            `like for like: this answer decoded context positions ${speedup.span.from}–${speedup.span.from + speedup.span.tokens} at ` +
            `${formatRate(speedup.spanTokensPerSecond ?? NaN)}; the expert alone runs them at ${formatRate(speedup.expertTokensPerSecond ?? NaN)}: ` +
            `the calibration's measurement (${speedup.baseline.device}, ${formatShortDate(speedup.baseline.measuredAt)}), scaled by how much slower or ` +
            "faster this answer's own cd steps ran than the calibration's, so other work on the machine moves both sides alike. " +
            "The first token is left out on both sides (it waits for the prompt)."
        );
    }
    if (speedup.measuredDuringAnswer === true) {
        return (
            `like for like: this answer decoded context positions ${speedup.span.from}–${speedup.span.from + speedup.span.tokens} at ` +
            `${formatRate(speedup.spanTokensPerSecond ?? NaN)}; the expert alone ran ${formatRate(speedup.expertTokensPerSecond ?? NaN)} in the steps ` +
            "this answer ran with it alone (mode expert, or γ auto's steps without drafts), measured in the same seconds under the same load. " +
            "The first token is left out on both sides (it waits for the prompt)."
        );
    }
    return (
        `like for like: this answer decoded context positions ${speedup.span.from}–${speedup.span.from + speedup.span.tokens} at ` +
        `${formatRate(speedup.spanTokensPerSecond ?? NaN)}; the expert alone, measured on this machine over the same positions ` +
        `(${speedup.baseline.device}, ${formatShortDate(speedup.baseline.measuredAt)}), runs them at ${formatRate(speedup.expertTokensPerSecond ?? NaN)}. ` +
        "The first token is left out on both sides (it waits for the prompt)."
    );
}

/**
 * γ auto in a sentence: the draft lengths it used and the share of tokens it decoded without drafting, where
 * drafting measured slower; null for a fixed γ or a mode that does not draft.
 */
export function gammaAutoText(
    engine: Pick<EngineStats, "gammaHistogram" | "fallbackTokens" | "generatedTokens" | "adaptivePick"> | Partial<EngineStats>
): {
    value: string;
    title: string;
} | null {
    const histogram = engine.gammaHistogram ?? {};
    const fallbackTokens = engine.fallbackTokens ?? 0;
    const generated = engine.generatedTokens ?? 0;
    if (engine.adaptivePick === undefined || (engine.adaptivePick === null && fallbackTokens === 0)) return null;
    const used = Object.entries(histogram)
        .filter(([, rounds]) => rounds > 0)
        .map(([gamma, rounds]) => [Number(gamma), rounds] as const);
    const parts: string[] = [];
    if (used.length > 0) {
        const gammas = used.map(([gamma]) => gamma);
        const low = Math.min(...gammas);
        const high = Math.max(...gammas);
        parts.push(`drafted ${low === high ? low : `${low}–${high}`} token${high === 1 ? "" : "s"} a round`);
    }
    if (fallbackTokens > 0 && generated > 0)
        parts.push(`${formatPercent(fallbackTokens / generated)} of tokens without drafts, where drafting was slower`);
    if (parts.length === 0) return null;
    const rounds = used
        .sort((a, b) => a[0] - b[0])
        .map(([gamma, count]) => `γ${gamma} ×${count}`)
        .join(", ");
    return {
        value: parts.join("; "),
        title:
            "γ auto picks each round's draft length from the speeds it measures on this pair, and decodes without drafts " +
            `(the non-speculative mode) where that measures faster. Rounds per draft length: ${rounds || "none"}; ${fallbackTokens} tokens without drafts.`
    };
}

/** What a compare column shows under its text: speed, speedup (like for like), acceptance. */
export function compareColumnItems(stats: MessageStats): StatItem[] {
    const wanted = new Set(["speed", "speedup", "versusCd", "acceptance", "meanAccepted", "tokens"]);
    return statItems(stats, null)
        .filter((item) => wanted.has(item.key))
        .map((item) =>
            item.key === "speedup" && stats.speedup != null ? {...item, value: `${stats.speedup.ratio.toFixed(1)}× vs expert alone`} : item
        );
}

/** The sentence shown when older turns were left out of what the models saw; null when none were. */
export function droppedTurnsText(droppedTurns: number): string | null {
    if (droppedTurns <= 0) return null;
    return `${droppedTurns === 1 ? "The oldest turn was" : `The ${droppedTurns} oldest turns were`} left out of what the models saw: the chat no longer fits the context (the system prompt is kept).`;
}
