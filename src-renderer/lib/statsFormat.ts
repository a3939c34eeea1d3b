/**
 * Words and numbers for the stats footer under an answer and for the status line. Pure: no DOM, no clock
 * (dates are formatted in the local time zone of the caller's Date).
 */
import type {MessageStats, SpeedBaseline} from "../../src-shared/index.ts";

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

/** "2.1× vs expert alone, 62 tok/s measured 28 Nov": the ratio always beside the baseline it came from. */
export function formatSpeedup(speedup: {readonly ratio: number; readonly baseline: SpeedBaseline}): string {
    const {ratio, baseline} = speedup;
    return `${ratio.toFixed(ratio < 10 ? 1 : 0)}× vs expert alone, ${formatRate(baseline.expertTokensPerSecond)} measured ${formatShortDate(baseline.measuredAt)}`;
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
 * The footer's items, in reading order. Speculative measures appear only where the mode has them; the
 * speedup appears with its baseline or as "not measured" (never as a bare ratio).
 */
export function statItems(stats: MessageStats, contextSize: number | null): StatItem[] {
    const items: StatItem[] = [
        {key: "mode", label: "mode", value: stats.mode},
        {key: "tokens", label: "tokens", value: String(stats.generatedTokens)},
        {key: "speed", label: "speed", value: formatRate(stats.tokensPerSecond), title: `${formatDuration(stats.totalMs)} in all`}
    ];
    if (stats.timeToFirstTokenMs != null) items.push({key: "ttft", label: "first token", value: formatDuration(stats.timeToFirstTokenMs)});
    if (stats.acceptanceRate != null) {
        items.push({
            key: "acceptance",
            label: "accepted",
            value: formatPercent(stats.acceptanceRate),
            title: "share of the amateur's drafts the expert accepted"
        });
    }
    if (stats.meanAcceptedLength != null) {
        items.push({
            key: "meanAccepted",
            label: "tokens per round",
            value: stats.meanAcceptedLength.toFixed(2),
            title: "mean tokens committed per expert verification"
        });
    }
    const draftLengths = gammaAutoText(stats.engine);
    if (draftLengths != null) items.push({key: "gamma", label: "γ auto", value: draftLengths.value, title: draftLengths.title});
    items.push({key: "stop", label: "stop", value: stopReasonText(stats.stopReason)});
    items.push({
        key: "context",
        label: "prompt",
        value: contextSize == null ? `${stats.promptTokens} tokens` : `${stats.promptTokens} of ${contextSize} tokens`,
        title: "tokens of history and prompt the models read for this answer"
    });
    items.push(
        stats.speedup == null
            ? {key: "speedup", label: "speedup", value: "not measured yet", title: "Recalibrate measures the expert alone on this machine"}
            : {key: "speedup", label: "speedup", value: formatSpeedup(stats.speedup)}
    );
    return items;
}

/**
 * γ auto in words: the draft lengths it used (most rounds first) and the share of tokens it decoded without
 * speculating because that was faster; null for a fixed γ or a mode that does not draft.
 */
export function gammaAutoText(engine: Readonly<Record<string, unknown>>): {value: string; title: string} | null {
    const histogram = engine.gammaHistogram as Readonly<Record<string, number>> | undefined;
    const fallbackTokens = typeof engine.fallbackTokens === "number" ? engine.fallbackTokens : 0;
    const generated = typeof engine.generatedTokens === "number" ? engine.generatedTokens : 0;
    if (engine.adaptivePick === undefined || (engine.adaptivePick === null && fallbackTokens === 0)) return null;
    const used = Object.entries(histogram ?? {})
        .filter(([, rounds]) => rounds > 0)
        .sort((a, b) => b[1] - a[1]);
    const parts = used.slice(0, 3).map(([gamma]) => `γ${gamma}`);
    if (fallbackTokens > 0 && generated > 0) parts.push(`${formatPercent(fallbackTokens / generated)} without drafts`);
    if (parts.length === 0) return null;
    return {
        value: parts.join(", "),
        title:
            `rounds per draft length: ${used.map(([gamma, rounds]) => `γ${gamma} ×${rounds}`).join(", ") || "none"}; ` +
            `${fallbackTokens} tokens decoded without speculating (faster here)`
    };
}

/** The sentence shown when older turns were left out of what the models saw; null when none were. */
export function droppedTurnsText(droppedTurns: number): string | null {
    if (droppedTurns <= 0) return null;
    return `${droppedTurns === 1 ? "The oldest turn was" : `The ${droppedTurns} oldest turns were`} left out of what the models saw: the chat no longer fits the context (the system prompt is kept).`;
}
