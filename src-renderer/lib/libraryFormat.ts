/**
 * The model library in words: a model's facts as short labelled values, a download's progress line (bytes,
 * speed, time left), a pair's verdict as one sentence, fit in words. Pure: no DOM, no state.
 */
import type {CompatibilityCheck, Download, FitEstimate, LibraryModel, LibrarySource} from "../../src-shared/index.ts";
import {formatBytes} from "./statsFormat.ts";

export type Fact = {readonly label: string; readonly value: string};

/** What a model is, as the row shows it: name, architecture, parameters, quantization, size, vocabulary, context, chat template. */
export function modelFacts(model: LibraryModel): Fact[] {
    const facts: Fact[] = [];
    const f = model.facts;
    if (f?.name != null && f.name !== "" && f.name !== model.displayName) facts.push({label: "name", value: f.name});
    if (f != null) {
        facts.push({label: "architecture", value: f.architecture});
        facts.push({label: "parameters", value: f.sizeLabel});
        facts.push({label: "quantization", value: f.quantization});
    }
    facts.push({label: "file size", value: `${formatBytes(model.sizeBytes)}${model.parts > 1 ? ` in ${model.parts} parts` : ""}`});
    if (f != null) {
        facts.push({label: "vocabulary", value: `${f.vocabularySize.toLocaleString("en-US")} (${vocabularyTypeName(f.vocabularyType)})`});
        facts.push({label: "context", value: f.trainingContext == null ? "not stated" : `${f.trainingContext.toLocaleString("en-US")} tokens`});
        facts.push({label: "chat template", value: f.chatTemplate ? "yes" : "no"});
    }
    return facts;
}

/** tokenizer.ggml.model in words a user may know. */
export function vocabularyTypeName(type: string): string {
    switch (type) {
        case "llama":
            return "SentencePiece";
        case "gpt2":
            return "BPE";
        case "bert":
            return "WordPiece";
        case "t5":
            return "Unigram";
        case "rwkv":
            return "RWKV";
        default:
            return type;
    }
}

/** "1.2 MB/s". */
export function formatSpeed(bytesPerSecond: number): string {
    return `${formatBytes(bytesPerSecond)}/s`;
}

/** Time left: "12 s", "3 min 05 s", "1 h 02 min"; "" when unknown. */
export function formatEta(seconds: number | null | undefined): string {
    if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "";
    const s = Math.round(seconds);
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** The share done, 0…1, or null when the total is not known yet. */
export function downloadFraction(download: Download): number | null {
    if (download.totalBytes == null || download.totalBytes <= 0) return null;
    return Math.min(1, download.downloadedBytes / download.totalBytes);
}

/** One line under a download's bar: "12.1 MB of 40 MB · 3.2 MB/s · 9 s left", or its state in words. */
export function downloadLine(download: Download): string {
    const done = formatBytes(download.downloadedBytes);
    const of = download.totalBytes == null ? done : `${done} of ${formatBytes(download.totalBytes)}`;
    switch (download.state) {
        case "resolving":
            return "Finding the file…";
        case "downloading": {
            const parts = [of];
            if (download.bytesPerSecond > 0) parts.push(formatSpeed(download.bytesPerSecond));
            const eta = formatEta(download.etaSeconds);
            if (eta !== "") parts.push(`${eta} left`);
            return parts.join(" · ");
        }
        case "paused":
            return `Paused at ${of}: resume to continue where it stopped.`;
        case "done":
            return `Done: ${download.totalBytes == null ? done : formatBytes(download.totalBytes)}, now in the library.`;
        case "cancelled":
            return "Cancelled; the partial file was deleted.";
        case "failed":
            return download.error ?? "The download failed.";
    }
}

/** The verdict on the chosen pair, for `pair-verdict`: one headline and the reasons, in words. */
export function pairVerdictText(check: CompatibilityCheck | null): {tone: "good" | "bad" | "soft"; headline: string; reasons: string[]} {
    if (check == null) return {tone: "soft", headline: "Choose an expert and an amateur.", reasons: []};
    if (check.fileProblem != null) return {tone: "bad", headline: "One of the files cannot be used:", reasons: [check.fileProblem]};
    if (!check.compatible) return {tone: "bad", headline: "These two models cannot work as a pair:", reasons: check.failures.map((f) => f.message)};
    return {tone: "good", headline: "✓ These two models work as a pair: they share a tokenizer.", reasons: [...(check.warnings ?? [])]};
}

/** Fit in one sentence, with its method said (an estimate from headers, or llama.cpp's own resolver). */
export function fitText(fit: FitEstimate): {tone: "good" | "warn" | "bad"; text: string} {
    const tone = fit.verdict === "fits" ? "good" : fit.verdict === "tight" ? "warn" : "bad";
    return {tone, text: fit.summary};
}

/** A source's state in words, for its line in the sources list. */
export function sourceStateText(source: LibrarySource): string {
    switch (source.state) {
        case "scanning":
            return "scanning…";
        case "missing":
            return source.kind === "downloads" ? "nothing downloaded yet" : "folder not found";
        case "error":
            return source.problem ?? "cannot be read";
        case "off":
            return "switched off";
        case "ready":
            return source.modelCount === 1 ? "1 model" : `${source.modelCount} models`;
    }
}
