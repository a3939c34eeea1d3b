/**
 * What the models see of a conversation: plain completion transcripts and dropping the oldest turns. The
 * token counter here is one token per character plus one per message (any count that does not grow when
 * turns are dropped is what fitHistory needs); the engine's real tokenizer is exercised in service.test.ts.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import type {EngineChatMessage} from "../../../src-main/engineHost/engineProtocol.ts";
import {fitHistory, rawTranscript, splitTurns} from "../../../src-main/engineHost/promptPlan.ts";

const count = (messages: readonly EngineChatMessage[]) => messages.reduce((sum, m) => sum + m.text.length + 1, 0);
const user = (text: string): EngineChatMessage => ({role: "user", text});
const assistant = (text: string): EngineChatMessage => ({role: "assistant", text});
const system: EngineChatMessage = {role: "system", text: "Be brief."};

describe("rawTranscript", () => {
    test("an answer continues its user message; turns are separate lines; the system prompt is left out", () => {
        assert.equal(
            rawTranscript([system, user("Once upon a time"), assistant(" there was a cat."), user("The dog")]),
            "Once upon a time there was a cat.\nThe dog"
        );
        assert.equal(rawTranscript([user("A"), user("B")]), "A\nB");
    });
});

describe("splitTurns", () => {
    test("a turn starts at each user message; leading system messages stay apart", () => {
        const {system: head, turns} = splitTurns([system, user("a"), assistant("b"), assistant("c"), user("d")]);
        assert.deepEqual(head, [system]);
        assert.deepEqual(turns, [[user("a"), assistant("b"), assistant("c")], [user("d")]]);
    });
});

describe("fitHistory", () => {
    const chat = [system, user("u1-xxxxxxxx"), assistant("a1-xxxxxxxx"), user("u2-xxxxxxxx"), assistant("a2-xxxxxxxx"), user("u3-xxxxxxxx")];

    test("everything is kept when it fits", () => {
        const plan = fitHistory(chat, count, 1000);
        assert.deepEqual(plan, {messages: chat, droppedTurns: 0, tokens: count(chat), fits: true});
    });

    test("the oldest turns go first, as few as the budget needs, and the system prompt stays", () => {
        for (let budget = count([system, user("u3-xxxxxxxx")]); budget < count(chat); budget++) {
            const plan = fitHistory(chat, count, budget);
            assert.ok(plan.fits && plan.tokens <= budget && plan.tokens === count(plan.messages));
            assert.equal(plan.messages[0], system);
            assert.deepEqual(plan.messages.at(-1), user("u3-xxxxxxxx"));
            // Keeping one more turn would not fit.
            const {turns} = splitTurns(chat);
            const oneMore = [system, ...turns.slice(plan.droppedTurns - 1).flat()];
            assert.ok(count(oneMore) > budget, `budget ${budget}: dropped ${plan.droppedTurns}, but fewer would fit`);
        }
    });

    test("when even the last turn is too long, it is returned alone and marked as not fitting", () => {
        const plan = fitHistory(chat, count, 5);
        assert.deepEqual(plan, {messages: [system, user("u3-xxxxxxxx")], droppedTurns: 2, tokens: count([system, user("u3-xxxxxxxx")]), fits: false});
        assert.equal(fitHistory([user("too long")], count, 3).fits, false);
    });
});
