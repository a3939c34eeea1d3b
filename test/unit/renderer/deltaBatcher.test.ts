import assert from "node:assert/strict";
import {test} from "node:test";
import type {TokenRun} from "../../../src-shared/index.ts";
import {DeltaBatcher, type PendingDelta} from "../../../src-renderer/lib/deltaBatcher.ts";

/** A frame clock driven by the test: callbacks requested during a frame run at the next `frame()`. */
class FrameClock {
    private callbacks: (() => void)[] = [];
    readonly schedule = (callback: () => void): void => void this.callbacks.push(callback);
    frame(): void {
        const due = this.callbacks;
        this.callbacks = [];
        for (const callback of due) callback();
    }
    get waiting(): number {
        return this.callbacks.length;
    }
}

test("a 2000 tok/s stream at 60 frames a second: one update per frame, no token lost", () => {
    const clock = new FrameClock();
    const flushes: ReadonlyMap<string, PendingDelta>[] = [];
    const batcher = new DeltaBatcher(clock.schedule, (batch) => flushes.push(batch));
    let sent = "";
    const sentRuns: TokenRun[] = [];
    let token = 0;
    const frames = 120; // two seconds
    for (let f = 0; f < frames; f++) {
        // ~33 tokens arrive between two frames (2000 / 60), each as its own event.
        for (let i = 0; i < 33; i++, token++) {
            const text = `t${token} `;
            const run: TokenRun = {source: token % 5 === 4 ? "correction" : "draft", length: text.length};
            sent += text;
            sentRuns.push(run);
            batcher.push("c1", "m1", text, [run]);
        }
        assert.equal(clock.waiting, 1, "one frame request however many events arrive");
        clock.frame();
    }
    assert.equal(flushes.length, frames);
    const received = flushes.map((b) => b.get("m1")!.text).join("");
    assert.equal(received, sent);
    const receivedLength = flushes.flatMap((b) => b.get("m1")!.runs).reduce((s, r) => s + r.length, 0);
    assert.equal(receivedLength, sent.length);
    assert.equal(
        flushes.flatMap((b) => b.get("m1")!.runs).filter((r) => r.source === "correction").length,
        sentRuns.filter((r) => r.source === "correction").length
    );
});

test("flush() hands over pending text at once (before a finished event), and the frame then has nothing to do", () => {
    const clock = new FrameClock();
    const flushes: ReadonlyMap<string, PendingDelta>[] = [];
    const batcher = new DeltaBatcher(clock.schedule, (batch) => flushes.push(batch));
    batcher.push("c1", "m1", "Hello", [{source: "direct", length: 5}]);
    batcher.push("c1", "m2", "Other", [{source: "draft", length: 5}]);
    batcher.push("c1", "m1", ", world", [{source: "direct", length: 7}]);
    assert.equal(batcher.pendingMessages, 2);
    batcher.flush();
    assert.equal(flushes.length, 1);
    assert.deepEqual([...flushes[0]!.keys()], ["m1", "m2"], "messages in first-arrival order");
    assert.deepEqual(flushes[0]!.get("m1"), {conversationId: "c1", text: "Hello, world", runs: [{source: "direct", length: 12}]});
    clock.frame();
    assert.equal(flushes.length, 1, "an empty frame hands over nothing");
    batcher.push("c1", "m1", "!", [{source: "bonus", length: 1}]);
    clock.frame();
    assert.equal(flushes.length, 2);
    assert.equal(flushes[1]!.get("m1")!.text, "!");
});
