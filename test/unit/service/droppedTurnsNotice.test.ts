/**
 * The note a chat shows when its oldest turns are left out of what the models see (issue 15, item 6): correct
 * plurals ("the oldest 1 turn were left out" before).
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import * as answerRun from "../../../src-main/service/answerRun.ts";

test("the left-out turns are counted in words with correct plurals", () => {
    assert.equal(answerRun.droppedTurnsNotice(1), "The chat is longer than the context holds: the oldest turn was left out of what the models see.");
    assert.equal(
        answerRun.droppedTurnsNotice(2),
        "The chat is longer than the context holds: the oldest 2 turns were left out of what the models see."
    );
    assert.equal(
        answerRun.droppedTurnsNotice(12),
        "The chat is longer than the context holds: the oldest 12 turns were left out of what the models see."
    );
});
