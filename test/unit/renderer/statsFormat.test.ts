import assert from "node:assert/strict";
import {test} from "node:test";
import type {MessageStats} from "../../../src-shared/index.ts";
import {sampleEngineStats} from "../../helpers/engineStats.ts";
import {
    droppedTurnsText,
    formatBytes,
    gammaAutoText,
    formatDuration,
    formatRate,
    formatShortDate,
    formatSpeedup,
    statItems,
    stopReasonText
} from "../../../src-renderer/lib/statsFormat.ts";

// Noon UTC, so the local date is 28 Nov in every time zone from UTC−11 to UTC+11.
const measuredAt = "2026-11-28T12:00:00.000Z";
const baseline = {pairKey: "a+b", device: "CPU", expertTokensPerSecond: 61.7, measuredAt};

function stats(overrides: Partial<MessageStats>): MessageStats {
    return {
        mode: "scd",
        generatedTokens: 128,
        tokensPerSecond: 130.4,
        timeToFirstTokenMs: 42.4,
        acceptanceRate: 0.623,
        meanAcceptedLength: 2.47,
        stopReason: "maxTokens",
        totalMs: 981,
        promptTokens: 311,
        droppedTurns: 0,
        speedup: {ratio: 2.113, baseline},
        engine: sampleEngineStats(),
        ...overrides
    };
}

test("the speedup always stands beside what it was measured against", () => {
    assert.equal(formatSpeedup({ratio: 2.113, baseline}), "2.1× vs expert alone, 62 tok/s measured 28 Nov");
    const likeForLike = {
        ratio: 1.92,
        baseline,
        expertTokensPerSecond: 61.7,
        spanTokensPerSecond: 118.5,
        versusCd: 1.4,
        span: {from: 311, tokens: 127}
    };
    assert.equal(formatSpeedup(likeForLike), "1.9× vs expert alone (62 tok/s over the same span, measured 28 Nov)");
    const items = statItems(stats({speedup: likeForLike}), 2048);
    const item = items.find((i) => i.key === "speedup")!;
    assert.match(item.title!, /positions 311–438/);
    assert.equal(items.find((i) => i.key === "versusCd")!.value, "1.4×");
    const missing = statItems(stats({speedup: null}), 2048).find((i) => i.key === "speedup")!;
    assert.equal(missing.value, "not measured yet");
    assert.doesNotMatch(missing.value, /×/);
});

test("the footer lists each figure with its definition on hover", () => {
    const items = statItems(
        stats({
            meanAcceptanceLength: 3.47,
            acceptanceByPosition: [0.8, 0.61, 0.45],
            reevaluatedTokens: {expert: 21, amateur: 21},
            sendToFirstTokenMs: 4300,
            pairLoadMs: 3900
        }),
        2048
    );
    assert.deepEqual(
        items.map((i) => i.key),
        ["mode", "tokens", "speed", "ttft", "acceptance", "meanAccepted", "stop", "context", "reevaluated", "speedup"]
    );
    const value = (key: string): string => items.find((i) => i.key === key)!.value;
    const title = (key: string): string => items.find((i) => i.key === key)!.title ?? "";
    assert.ok(
        items.every((i) => (i.title ?? "").length > 0),
        "every figure explains itself"
    );
    assert.equal(value("mode"), "scd");
    assert.equal(value("tokens"), "128");
    assert.equal(value("speed"), "130 tok/s");
    assert.equal(value("ttft"), "4.3 s (pair loaded in 3.9 s)");
    assert.match(title("ttft"), /^from Send/);
    assert.equal(value("acceptance"), "62%");
    assert.match(title("acceptance"), /accepted drafts \/ drafted tokens.*1st 80%, 2nd 61%, 3rd 45%/);
    assert.equal(value("meanAccepted"), "3.47");
    assert.match(title("meanAccepted"), /1 \+ accepted drafts \/ verification rounds/);
    assert.equal(value("stop"), "max tokens reached");
    assert.equal(value("context"), "311 of 2048 tokens");
    assert.equal(value("reevaluated"), "expert 21, amateur 21");
    // Stats stored before these fields: mean acceptance length from the old per-round figure, the engine's first-token time.
    const old = statItems(stats({}), 2048);
    assert.equal(old.find((i) => i.key === "meanAccepted")!.value, "3.47");
    assert.equal(old.find((i) => i.key === "ttft")!.value, "42 ms");
    // Modes without drafts have no acceptance figures; they are left out rather than shown as zero.
    const expert = statItems(stats({mode: "expert", acceptanceRate: null, meanAcceptedLength: null, timeToFirstTokenMs: null}), null);
    assert.deepEqual(
        expert.map((i) => i.key),
        ["mode", "tokens", "speed", "stop", "context", "speedup"]
    );
    assert.equal(expert.find((i) => i.key === "context")!.value, "311 tokens");
});

test("numbers read well at every scale", () => {
    assert.equal(formatRate(4.26), "4.3 tok/s");
    assert.equal(formatRate(2113.4), "2113 tok/s");
    assert.equal(formatDuration(999.4), "999 ms");
    assert.equal(formatDuration(999.6), "1.0 s");
    assert.equal(formatDuration(1234), "1.2 s");
    assert.equal(formatDuration(125_000), "2 min 5 s");
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(1536), "1.5 KB");
    assert.equal(formatBytes(252 * 1024 * 1024), "252 MB");
    assert.equal(formatShortDate(measuredAt), "28 Nov");
    assert.equal(formatShortDate("not a date"), "not a date");
});

test("stop reasons and dropped turns are sentences", () => {
    assert.equal(stopReasonText("eogToken"), "the model ended its answer");
    assert.equal(stopReasonText("contextFull"), "the context is full");
    assert.equal(stopReasonText("somethingNew"), "somethingNew");
    assert.equal(droppedTurnsText(0), null);
    assert.match(droppedTurnsText(1)!, /^The oldest turn was left out/);
    assert.match(droppedTurnsText(3)!, /^The 3 oldest turns were left out .*system prompt is kept/);
});

test("γ auto says in a sentence what it drafted and how much it decoded without drafts; a fixed γ says nothing", () => {
    const auto = gammaAutoText({
        gammaHistogram: {1: 3, 2: 9, 4: 0},
        fallbackTokens: 30,
        generatedTokens: 120,
        adaptivePick: {kind: "speculate", gamma: 2, sideBySide: true}
    });
    assert.equal(auto?.value, "drafted 1–2 tokens a round; 25% of tokens without drafts, where drafting was slower");
    assert.match(auto!.title, /Rounds per draft length: γ1 ×3, γ2 ×9; 30 tokens without drafts/);
    assert.equal(gammaAutoText({gammaHistogram: {4: 12}, fallbackTokens: 0, generatedTokens: 40, adaptivePick: null}), null);
    assert.equal(gammaAutoText({}), null, "stats from before γ auto existed");
    assert.equal(
        gammaAutoText({gammaHistogram: {}, fallbackTokens: 50, generatedTokens: 50, adaptivePick: {kind: "fallback", sideBySide: false}})?.value,
        "100% of tokens without drafts, where drafting was slower"
    );
});
