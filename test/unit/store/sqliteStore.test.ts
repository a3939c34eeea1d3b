/**
 * The chat store on a real database file: conversations, messages in order, patches, truncation for
 * regenerate/edit, cascade deletes, start-up recovery of streaming answers, settings and speed baselines, and
 * that everything written is there after closing and reopening the file.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import Database from "better-sqlite3";
import type {MessageStats} from "../../../src-shared/index.ts";
import {type ChatStore, StoreError} from "../../../src-main/store/chatStore.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";
import {tempDir} from "../../helpers/tempFiles.ts";
import {sampleEngineStats} from "../../helpers/engineStats.ts";

const pair = {expertPath: "/models/big.gguf", amateurPath: "/models/small.gguf"};

const stats: MessageStats = {
    mode: "scd",
    generatedTokens: 12,
    tokensPerSecond: 345.6,
    timeToFirstTokenMs: 4.5,
    acceptanceRate: 0.625,
    meanAcceptedLength: 2.5,
    stopReason: "eogToken",
    totalMs: 34.7,
    promptTokens: 9,
    droppedTurns: 0,
    speedup: {ratio: 1.4, baseline: {pairKey: "k", device: "CPU", expertTokensPerSecond: 246.9, measuredAt: "2026-11-28T10:00:00.000Z"}},
    engine: sampleEngineStats({rounds: 5, lookaheadRounds: 2})
};

function freshStore(): {store: ChatStore; file: string} {
    const file = path.join(tempDir(), "tandem.sqlite");
    return {store: openStore(file), file};
}

function assertNotFound(work: () => unknown, pattern: RegExp): void {
    assert.throws(work, (error: unknown) => error instanceof StoreError && error.kind === "notFound" && pattern.test(error.message));
}

test("conversations: create, rename, pair, overrides, most recently updated first, all kept across a reopen", async () => {
    const {store, file} = freshStore();
    const first = store.createConversation({title: "  First  "});
    assert.equal(first.title, "First");
    assert.equal(first.pair, null);
    assert.deepEqual(first.overrides, {});
    assert.match(first.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(first.createdAt)));
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = store.createConversation({title: "Second", pair, overrides: {beta: 0.8, mode: "cd"}});
    assert.deepEqual(second.pair, pair);
    assert.deepEqual(second.overrides, {beta: 0.8, mode: "cd"});
    assert.deepEqual(
        store.listConversations().map((c) => c.title),
        ["Second", "First"]
    );

    await new Promise((resolve) => setTimeout(resolve, 3));
    const renamed = store.renameConversation(first.id, "Renamed");
    assert.ok(renamed.updatedAt > first.updatedAt);
    assert.equal(renamed.createdAt, first.createdAt);
    assert.deepEqual(
        store.listConversations().map((c) => c.title),
        ["Renamed", "Second"]
    );
    assert.deepEqual(store.setConversationPair(first.id, pair).pair, pair);
    const lastOfFirst = store.setConversationOverrides(first.id, {gamma: 2, seed: null});
    assert.deepEqual(lastOfFirst.overrides, {gamma: 2, seed: null});
    assert.deepEqual(lastOfFirst.pair, pair);
    await new Promise((resolve) => setTimeout(resolve, 3));
    const lastOfSecond = store.setConversationPair(second.id, null);
    assert.equal(lastOfSecond.pair, null);
    assert.deepEqual(store.listConversations(), [lastOfSecond, lastOfFirst]);
    store.close();

    const reopened = openStore(file);
    assert.deepEqual(reopened.listConversations(), [lastOfSecond, lastOfFirst]);
    reopened.close();
});

test("bad titles and settings are refused with a sentence, unknown ids are notFound", () => {
    const {store} = freshStore();
    assert.throws(() => store.createConversation({title: "   "}), {
        name: "StoreError",
        kind: "invalid",
        message: "a conversation title must not be empty"
    });
    assert.throws(() => store.createConversation({title: "x", overrides: {gamma: 0}}), {
        kind: "invalid",
        message: "conversation settings: gamma must be auto or a whole number from 1 to 64"
    });
    assert.throws(() => store.saveSettings({mode: "fast" as never}), {
        kind: "invalid",
        message: "settings: mode must be one of scd, sd, cd, expert, amateur"
    });
    assertNotFound(() => store.getConversation("nope"), /there is no conversation "nope"/);
    assertNotFound(() => store.renameConversation("nope", "x"), /no conversation "nope"/);
    assertNotFound(() => store.deleteConversation("nope"), /no conversation "nope"/);
    assertNotFound(() => store.listMessages("nope"), /no conversation "nope"/);
    assertNotFound(() => store.addMessage({conversationId: "nope", role: "user", content: "hi", status: "done"}), /no conversation "nope"/);
    assertNotFound(() => store.getMessage("m"), /there is no message "m"/);
    assertNotFound(() => store.updateMessage("m", {status: "done"}), /there is no message "m"/);
    assertNotFound(() => store.exportConversation("nope", "json"), /no conversation "nope"/);
    assert.equal(store.listConversations().length, 0, "nothing was written by the refused calls");
    store.close();
});

test("messages: added in order, patched field by field, stats and runs round-trip, the conversation's updatedAt follows", async () => {
    const {store, file} = freshStore();
    const conversation = store.createConversation({title: "chat"});
    const user = store.addMessage({conversationId: conversation.id, role: "user", content: "Tell me a story", status: "done"});
    const answer = store.addMessage({conversationId: conversation.id, role: "assistant", content: "", status: "streaming", seed: 4294967295});
    assert.equal(answer.seed, 4294967295);
    assert.equal(answer.stats, null);
    assert.equal(answer.runs, null);
    assert.equal(answer.error, null);
    const afterAdd = store.getConversation(conversation.id).updatedAt;
    assert.ok(afterAdd >= answer.createdAt);

    await new Promise((resolve) => setTimeout(resolve, 3));
    const grown = store.updateMessage(answer.id, {
        content: "Once upon",
        runs: [
            {source: "draft", length: 4},
            {source: "correction", length: 5}
        ]
    });
    assert.equal(grown.content, "Once upon");
    assert.equal(grown.status, "streaming", "fields not in the patch keep their value");
    assert.ok(grown.updatedAt > answer.updatedAt);
    assert.ok(store.getConversation(conversation.id).updatedAt > afterAdd);
    const done = store.updateMessage(answer.id, {status: "done", stats});
    assert.equal(done.content, "Once upon");
    assert.deepEqual(done.stats, stats);
    assert.deepEqual(done.runs, [
        {source: "draft", length: 4},
        {source: "correction", length: 5}
    ]);
    const failed = store.updateMessage(user.id, {status: "error", error: "the engine crashed"});
    assert.equal(failed.error, "the engine crashed");
    assert.equal(store.updateMessage(user.id, {error: null, status: "done"}).error, null, "null clears a field");
    assert.throws(() => store.updateMessage(user.id, {status: "finished" as never}), {kind: "invalid"});
    store.close();

    const reopened = openStore(file);
    const messages = reopened.listMessages(conversation.id);
    assert.deepEqual(
        messages.map((m) => [m.role, m.content, m.status]),
        [
            ["user", "Tell me a story", "done"],
            ["assistant", "Once upon", "done"]
        ]
    );
    assert.deepEqual(messages[1], reopened.getMessage(answer.id));
    assert.deepEqual(messages[1]!.stats, stats);
    reopened.close();
});

test("deleteMessagesFrom drops a message (or only what follows it) and everything later, in its conversation only", () => {
    const {store} = freshStore();
    const a = store.createConversation({title: "a"});
    const b = store.createConversation({title: "b"});
    const ids = ["u1", "a1", "u2", "a2"].map(
        (content, i) => store.addMessage({conversationId: a.id, role: i % 2 === 0 ? "user" : "assistant", content, status: "done"}).id
    );
    const other = store.addMessage({conversationId: b.id, role: "user", content: "other", status: "done"});
    store.deleteMessagesFrom(a.id, ids[2]!, false);
    assert.deepEqual(
        store.listMessages(a.id).map((m) => m.content),
        ["u1", "a1", "u2"]
    );
    store.deleteMessagesFrom(a.id, ids[1]!, true);
    assert.deepEqual(
        store.listMessages(a.id).map((m) => m.content),
        ["u1"]
    );
    assert.deepEqual(
        store.listMessages(b.id).map((m) => m.id),
        [other.id]
    );
    assertNotFound(() => store.deleteMessagesFrom(a.id, other.id, true), /no message ".*" in conversation/);
    // A message added after a truncation still sorts last.
    store.addMessage({conversationId: a.id, role: "assistant", content: "again", status: "done"});
    assert.deepEqual(
        store.listMessages(a.id).map((m) => m.content),
        ["u1", "again"]
    );
    store.close();
});

test("deleting a conversation deletes its messages (foreign key cascade) and nothing else", () => {
    const {store, file} = freshStore();
    const a = store.createConversation({title: "a"});
    const b = store.createConversation({title: "b"});
    const gone = store.addMessage({conversationId: a.id, role: "user", content: "bye", status: "done"});
    store.addMessage({conversationId: b.id, role: "user", content: "stay", status: "done"});
    store.deleteConversation(a.id);
    assertNotFound(() => store.getMessage(gone.id), /no message/);
    assert.deepEqual(
        store.listConversations().map((c) => c.id),
        [b.id]
    );
    store.close();
    const raw = new Database(file, {readonly: true});
    assert.deepEqual(raw.prepare("SELECT content FROM messages").all(), [{content: "stay"}]);
    raw.close();
});

test("markInterrupted turns every streaming message into interrupted, and only those", () => {
    const {store} = freshStore();
    const c = store.createConversation({title: "c"});
    const streaming = store.addMessage({conversationId: c.id, role: "assistant", content: "half", status: "streaming"});
    const stopped = store.addMessage({conversationId: c.id, role: "assistant", content: "stopped", status: "stopped"});
    assert.equal(store.markInterrupted(), 1);
    assert.equal(store.getMessage(streaming.id).status, "interrupted");
    assert.equal(store.getMessage(streaming.id).content, "half");
    assert.equal(store.getMessage(stopped.id).status, "stopped");
    assert.equal(store.markInterrupted(), 0);
    store.close();
});

test("settings: saved as a whole set; values the option table no longer accepts are left out when read", () => {
    const {store, file} = freshStore();
    assert.deepEqual(store.getSettings(), {});
    store.saveSettings({gamma: 3, systemPrompt: "Be brief.", seed: null, exact: true});
    assert.deepEqual(store.getSettings(), {gamma: 3, systemPrompt: "Be brief.", seed: null, exact: true});
    store.saveSettings({gamma: 5});
    assert.deepEqual(store.getSettings(), {gamma: 5}, "a key left out goes back to its default");
    store.close();
    // As a later version might leave it: an option that no longer exists and a value out of today's range.
    const raw = new Database(file);
    raw.prepare("INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)").run("oldOption", "1", "alpha", "7");
    raw.close();
    const reopened = openStore(file);
    assert.deepEqual(reopened.getSettings(), {gamma: 5});
    reopened.close();
});

test("speed baselines: one per pair and device, replaced by a new measurement", () => {
    const {store} = freshStore();
    assert.equal(store.getBaseline("pair", "CPU"), null);
    const baseline = {pairKey: "pair", device: "CPU", expertTokensPerSecond: 75.5, measuredAt: "2026-11-28T19:00:00.000Z"};
    store.saveBaseline(baseline);
    store.saveBaseline({...baseline, device: "CUDA", expertTokensPerSecond: 900});
    assert.deepEqual(store.getBaseline("pair", "CPU"), baseline);
    store.saveBaseline({...baseline, expertTokensPerSecond: 80, measuredAt: "2026-11-28T20:00:00.000Z"});
    assert.deepEqual(store.getBaseline("pair", "CPU"), {...baseline, expertTokensPerSecond: 80, measuredAt: "2026-11-28T20:00:00.000Z"});
    assert.equal(store.getBaseline("pair", "CUDA")?.expertTokensPerSecond, 900);
    assert.throws(() => store.saveBaseline({...baseline, expertTokensPerSecond: Number.NaN}), {kind: "invalid"});
    store.close();
});

test("a closed store says so in a sentence", () => {
    const {store} = freshStore();
    store.close();
    store.close();
    assert.throws(
        () => store.listConversations(),
        (error: unknown) => error instanceof StoreError && /database connection is not open/.test(error.message)
    );
});
