/**
 * Export: file names from titles (safe characters only), the Markdown layout (title, each message under its
 * role, a stats line under answers, status notes) and the JSON export, which gives back the conversation and
 * its messages exactly as the store holds them.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import type {MessageStats} from "../../../src-shared/index.ts";
import {exportFileName, JSON_EXPORT_FORMAT, JSON_EXPORT_VERSION, statsLine} from "../../../src-main/store/exportFormat.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";
import {tempDir} from "../../helpers/tempFiles.ts";
import {sampleEngineStats} from "../../helpers/engineStats.ts";

const stats: MessageStats = {
    mode: "scd",
    generatedTokens: 64,
    tokensPerSecond: 512.345,
    timeToFirstTokenMs: 12.4,
    acceptanceRate: 0.625,
    meanAcceptedLength: 2.5,
    stopReason: "maxTokens",
    totalMs: 125,
    promptTokens: 9,
    droppedTurns: 2,
    speedup: {ratio: 1.8, baseline: {pairKey: "k", device: "CPU", expertTokensPerSecond: 284.6, measuredAt: "2026-11-28T10:00:00.000Z"}},
    engine: sampleEngineStats({rounds: 20})
};

test("file names keep letters and digits of any script, turn other runs into one dash, and are never empty or reserved", () => {
    assert.equal(exportFileName("My chat: about ../../etc/passwd?", "markdown"), "My-chat-about-etc-passwd.md");
    assert.equal(exportFileName("Ünïcode — 日本語 テスト", "json"), "Ünïcode-日本語-テスト.json");
    assert.equal(exportFileName('  \u0000\u0007 / \\ : * ? " < > |  ', "markdown"), "conversation.md");
    assert.equal(exportFileName("", "json"), "conversation.json");
    assert.equal(exportFileName("CON", "markdown"), "CON-conversation.md");
    const long = exportFileName("word ".repeat(100), "json");
    assert.ok(long.length <= 80 + ".json".length, long);
    assert.match(long, /^word(-word)*\.json$/);
});

test("the stats line names the mode, speed, acceptance and speedup, leaving out what is unknown", () => {
    assert.equal(
        statsLine(stats),
        "scd · 64 tokens · 512.3 tok/s · first token 12 ms · acceptance 63% · mean accepted length 2.50 · 1.80× the expert alone · " +
            "2 earlier turns left out of the context · stop: maxTokens"
    );
    assert.equal(
        statsLine({
            ...stats,
            mode: "expert",
            timeToFirstTokenMs: null,
            acceptanceRate: null,
            meanAcceptedLength: null,
            speedup: null,
            droppedTurns: 0
        }),
        "expert · 64 tokens · 512.3 tok/s · stop: maxTokens"
    );
});

test("a conversation exports to Markdown and to JSON that gives back what is stored, the models by file name, never by path", () => {
    const store = openStore(path.join(tempDir(), "tandem.sqlite"));
    const c = store.createConversation({
        title: "Dragons & tea",
        pair: {expertPath: "/m/expert.gguf", amateurPath: "C:\\models\\amateur.gguf"},
        overrides: {beta: 1}
    });
    store.addMessage({conversationId: c.id, role: "system", content: "Be kind.", status: "done"});
    store.addMessage({conversationId: c.id, role: "user", content: "Tell me a story.", status: "done"});
    const answer = store.addMessage({conversationId: c.id, role: "assistant", content: "", status: "streaming", seed: 42});
    store.updateMessage(answer.id, {content: "Once upon a **time**.", status: "done", stats, runs: [{source: "draft", length: 21}]});
    const cut = store.addMessage({conversationId: c.id, role: "assistant", content: "It was", status: "streaming"});
    store.updateMessage(cut.id, {status: "interrupted"});
    const failed = store.addMessage({conversationId: c.id, role: "assistant", content: "", status: "streaming"});
    store.updateMessage(failed.id, {status: "error", error: "llama.cpp could not load /m/expert.gguf"});

    const markdown = store.exportConversation(c.id, "markdown");
    assert.equal(markdown.fileName, "Dragons-tea.md");
    assert.equal(markdown.mimeType, "text/markdown; charset=utf-8");
    const conversation = store.getConversation(c.id);
    assert.equal(
        markdown.content,
        [
            "# Dragons & tea",
            "",
            `*Exported from Tandem · created ${conversation.createdAt} · expert expert.gguf · amateur amateur.gguf*`,
            "",
            "## System",
            "",
            "Be kind.",
            "",
            "## User",
            "",
            "Tell me a story.",
            "",
            "## Assistant",
            "",
            "Once upon a **time**.",
            "",
            `*${statsLine(stats)} · seed 42*`,
            "",
            "## Assistant",
            "",
            "It was",
            "",
            "*(interrupted: Tandem closed before the answer was finished)*",
            "",
            "## Assistant",
            "",
            "",
            "",
            "*(failed: llama.cpp could not load expert.gguf)*",
            ""
        ].join("\n")
    );

    const json = store.exportConversation(c.id, "json");
    assert.equal(json.fileName, "Dragons-tea.json");
    assert.equal(json.mimeType, "application/json");
    const parsed = JSON.parse(json.content) as Record<string, unknown>;
    assert.equal(parsed.format, JSON_EXPORT_FORMAT);
    assert.equal(parsed.version, JSON_EXPORT_VERSION);
    assert.ok(Math.abs(Date.parse(parsed.exportedAt as string) - Date.now()) < 60_000);
    assert.deepEqual(parsed.conversation, {...conversation, pair: {expert: "expert.gguf", amateur: "amateur.gguf"}});
    assert.deepEqual(
        parsed.messages,
        store.listMessages(c.id).map((m) => (m.id === failed.id ? {...m, error: "llama.cpp could not load expert.gguf"} : m))
    );
    for (const exported of [markdown.content, json.content]) {
        assert.ok(!exported.includes("/m/") && !exported.includes("models\\"), `no model path in:\n${exported}`);
    }
    store.close();
});
