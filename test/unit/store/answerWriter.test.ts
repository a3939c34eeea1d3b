/**
 * AnswerWriter on a real store: deltas are written within the interval (also while generation pauses),
 * provenance runs are merged, finish writes the rest with the final status, and a failed timed write reaches
 * the caller on its next call.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import {setTimeout as sleep} from "node:timers/promises";
import type {Message} from "../../../src-shared/index.ts";
import {AnswerWriter, appendRuns} from "../../../src-main/store/answerWriter.ts";
import {type MessagePatch, StoreError} from "../../../src-main/store/chatStore.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";
import {tempDir} from "../../helpers/tempFiles.ts";

test("appendRuns merges neighbours of one source and drops empty runs", () => {
    assert.deepEqual(appendRuns([], []), []);
    assert.deepEqual(
        appendRuns(
            [{source: "draft", length: 3}],
            [
                {source: "draft", length: 2},
                {source: "bonus", length: 0},
                {source: "correction", length: 1}
            ]
        ),
        [
            {source: "draft", length: 5},
            {source: "correction", length: 1}
        ]
    );
    assert.deepEqual(
        appendRuns(
            [{source: "direct", length: 1}],
            [
                {source: "draft", length: 1},
                {source: "draft", length: 1},
                {source: "direct", length: 4}
            ]
        ),
        [
            {source: "direct", length: 1},
            {source: "draft", length: 2},
            {source: "direct", length: 4}
        ]
    );
});

function streamingAnswer() {
    const store = openStore(path.join(tempDir(), "tandem.sqlite"));
    const c = store.createConversation({title: "c"});
    const answer = store.addMessage({conversationId: c.id, role: "assistant", content: "", status: "streaming"});
    const writes: number[] = [];
    const counting = {
        updateMessage(id: string, patch: MessagePatch): Message {
            writes.push(Date.now());
            return store.updateMessage(id, patch);
        }
    };
    return {store, answer, writes, counting};
}

test("text appended is saved within the interval, even when no more text follows, in few writes", async () => {
    const {store, answer, writes, counting} = streamingAnswer();
    const writer = new AnswerWriter(counting, answer, 60);
    const started = Date.now();
    for (let i = 0; i < 20; i++) writer.append(`t${i} `, [{source: i % 4 === 3 ? "correction" : "draft", length: `t${i} `.length}]);
    assert.equal(store.getMessage(answer.id).content, "", "nothing is written at once");
    while (writes.length === 0 && Date.now() - started < 2000) await sleep(10);
    assert.equal(writes.length, 1, "twenty deltas, one write");
    // 60 ms asked; the bound is issue 7's "at least every second" (the 2 cores here are shared).
    assert.ok(writes[0]! - started >= 55 && writes[0]! - started < 1000, `written ${writes[0]! - started} ms after the first delta`);
    const saved = store.getMessage(answer.id);
    assert.equal(saved.content, writer.text);
    assert.equal(
        saved.runs?.reduce((sum, run) => sum + run.length, 0),
        saved.content.length
    );
    assert.equal(saved.runs?.length, 10, "runs alternate draft ×3, correction ×1, five times");
    assert.equal(saved.status, "streaming");

    writer.append("end.", [{source: "bonus", length: 4}]);
    const done = writer.finish({status: "done"});
    assert.equal(done.content, `${saved.content}end.`);
    assert.equal(done.status, "done");
    assert.deepEqual(done.runs?.at(-1), {source: "bonus", length: 4});
    await sleep(100);
    assert.equal(writes.length, 2, "finish cancelled the pending timer");
    assert.throws(() => writer.append("late", []), /already finished/);
    store.close();
});

test("flush writes at once; a timed write that fails is thrown by the next call", async () => {
    const {store, answer, counting} = streamingAnswer();
    const writer = new AnswerWriter(counting, answer, 30);
    writer.append("abc", [{source: "direct", length: 3}]);
    assert.equal(writer.flush().content, "abc");
    writer.append("def", [{source: "direct", length: 3}]);
    store.deleteMessagesFrom(answer.conversationId, answer.id, true);
    await sleep(80);
    assert.throws(
        () => writer.append("ghi", []),
        (error: unknown) => error instanceof StoreError && error.kind === "notFound"
    );
    store.close();
});
