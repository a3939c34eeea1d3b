/**
 * Honest, fast answers through the real service (SQLite, the engine process, llama.cpp, the demo pair):
 *  - a follow-up re-evaluates only the new turn (the previous answer's own tokens start its prompt), after
 *    answers in scd, sd, cd and expert;
 *  - calibration never runs between Send and the first token (it is stopped for the answer and runs again after);
 *  - in mode expert the footer's "vs expert alone" reads about 1× on every turn of a long chat: the answer is
 *    compared with the expert alone over the same span of context (the calibration's cost curve).
 * Timing asserts compare ratios of speeds measured on this machine; on a machine shared with other work they are
 * noisy (see the tolerance below).
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import type {AppStatus, Message, ServiceEvent} from "../../../src-shared/index.ts";
import {demoPair, startService, type Harness} from "../../helpers/serviceHarness.ts";

const story = [
    "Once upon a time, there was a little girl named Lily.",
    "One day, Tom went to the park with his dog.",
    "The sun was shining and the birds were singing.",
    "Mia found a big red ball in the garden.",
    "At night, the little bear could not sleep."
];

async function answer(h: Harness, conversationId: string, text: string): Promise<Message> {
    const since = h.events.length;
    const {assistantMessageId} = await h.service.sendMessage({conversationId, text});
    const message = await h.finished(assistantMessageId, since);
    assert.equal(message.status, "done", message.error ?? "");
    return message;
}

function statusOf(event: ServiceEvent): AppStatus | null {
    return event.type === "status" ? event.status : null;
}

describe("follow-ups reuse the whole cache", () => {
    let h: Harness;
    before(async () => {
        h = await startService();
        await h.service.loadPair(demoPair);
        // Calibration fills the caches with its own text; let it finish so the chats below own the caches.
        await h.service.calibrate();
    });
    after(() => h.service.close());

    for (const mode of ["scd", "sd", "cd", "expert"] as const) {
        test(`after a ${mode} answer, a ${mode} follow-up evaluates only the new turn`, async () => {
            const conversation = await h.service.createConversation({});
            await h.service.setConversationOverrides({id: conversation.id, overrides: {mode, maxTokens: 64, seed: 7}});
            const first = (await answer(h, conversation.id, story[0]!)).stats!;
            const second = (await answer(h, conversation.id, story[1]!)).stats!;
            // What the follow-up's prompt adds to the first answer's stream: the new turn and its separator.
            const added = second.promptTokens - (first.promptTokens + first.generatedTokens);
            assert.ok(added > 0 && added < 30, `the new turn is ${added} tokens`);
            const reevaluated = second.reevaluatedTokens!;
            for (const model of ["expert", "amateur"] as const) {
                const count = reevaluated[model];
                if (model === "amateur" && mode === "expert") {
                    assert.equal(count, null);
                    continue;
                }
                // The cache holds the stream but its last token (evaluated with the next call, its head read anew).
                // Under γ auto, sd's steps without drafts run the expert alone: the idle amateur has not seen those
                // tokens of the first answer yet and evaluates them now, once.
                const unseen = model === "amateur" && mode === "sd" ? first.engine.fallbackTokens : 0;
                assert.ok(
                    count != null && count <= added + 1 + unseen,
                    `${model} evaluated ${count} prompt tokens again; the new turn is ${added}` + (unseen > 0 ? `, ${unseen} it had not seen` : "")
                );
            }
        });
    }
});

describe("calibration never delays an answer", () => {
    let h: Harness;
    before(async () => {
        h = await startService();
        await h.service.updateSettings({maxTokens: 48});
    });
    after(() => h.service.close());

    test("a Send while calibration runs stops it before the first token; it runs again after the answer and completes", async () => {
        const conversation = await h.service.createConversation({});
        await h.service.loadPair(demoPair);
        // The pair has no curves yet: calibration starts in the background after the load.
        await h.waitFor((e): e is ServiceEvent => statusOf(e)?.calibration.state === "running");
        const since = h.events.length;
        const sent = await h.service.sendMessage({conversationId: conversation.id, text: story[0]!});
        const message = await h.finished(sent.assistantMessageId, since);
        assert.equal(message.status, "done", message.error ?? "");
        const events = h.events.slice(since);
        const firstDelta = events.findIndex((e) => e.type === "generation" && e.event.kind === "delta");
        const finishedAt = events.findIndex((e) => e.type === "generation" && e.event.kind === "finished");
        assert.ok(firstDelta >= 0);
        const stoppedAt = events.findIndex((e) => statusOf(e) != null && statusOf(e)!.calibration.state !== "running");
        assert.ok(stoppedAt >= 0 && stoppedAt < firstDelta, "the calibration stopped before the answer's first token");
        const runningDuringAnswer = events.slice(stoppedAt, finishedAt).some((e) => statusOf(e)?.calibration.state === "running");
        assert.equal(runningDuringAnswer, false, "no calibration while the answer was written");
        assert.ok(message.stats!.sendToFirstTokenMs != null && message.stats!.sendToFirstTokenMs > 0);
        // Afterwards it runs again, to the end.
        const done = await h.waitFor((e): e is ServiceEvent => statusOf(e)?.calibration.state === "done", since, 120_000);
        assert.ok(statusOf(done)!.calibration.baseline?.curves != null);
    });
});

describe("like-for-like speedup", () => {
    let h: Harness;
    before(async () => {
        h = await startService();
        await h.service.loadPair(demoPair);
        await h.service.calibrate();
    });
    after(() => h.service.close());

    test("five turns in mode expert read about 1× vs expert alone on every turn", async () => {
        const conversation = await h.service.createConversation({});
        await h.service.setConversationOverrides({id: conversation.id, overrides: {mode: "expert", maxTokens: 256, seed: 3}});
        const ratios: number[] = [];
        for (const text of story) {
            const stats = (await answer(h, conversation.id, text)).stats!;
            assert.ok(stats.speedup != null, "a speedup against the calibration");
            assert.equal(stats.speedup.span?.from, stats.promptTokens);
            ratios.push(stats.speedup.ratio);
        }
        // Both sides are the expert alone at the same context positions, measured minutes apart on a shared
        // machine: the bound is 0.9–1.1.
        assert.ok(
            ratios.every((ratio) => ratio >= 0.9 && ratio <= 1.1),
            `speedups ${ratios.map((r) => r.toFixed(2)).join(", ")}`
        );
    });
});
