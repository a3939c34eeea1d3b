/**
 * A streaming answer is written as it grows: when the service process is SIGKILLed mid-answer, the next start
 * shows the answer as "interrupted" with the text it had streamed up to at most a second before the kill
 * (the writer saves every 500 ms), and the earlier message intact.
 */
import assert from "node:assert/strict";
import {spawn} from "node:child_process";
import {mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {createInterface} from "node:readline";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {startService} from "../../helpers/serviceHarness.ts";

const script = fileURLToPath(new URL("../../helpers/serviceProcess.ts", import.meta.url));

test("an answer cut by SIGKILL shows as interrupted, losing at most the last second", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "tandem-kill-"));
    const child = spawn(process.execPath, ["--import", "tsx", script, dataDir], {stdio: ["ignore", "pipe", "inherit"]});
    const deltas: {messageId: string; length: number; at: number}[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const lines = createInterface({input: child.stdout!});
    let killedAt = 0;
    lines.on("line", (line) => {
        deltas.push(JSON.parse(line) as {messageId: string; length: number; at: number});
        // Kill once the answer has streamed for two seconds.
        if (killedAt === 0 && deltas.at(-1)!.at - deltas[0]!.at >= 2000) {
            killedAt = Date.now();
            child.kill("SIGKILL");
        }
    });
    assert.equal(await exited, "SIGKILL", "the service was killed mid-answer (it must still have been answering after 2 s)");

    const h = await startService({dataDir});
    try {
        const [conversation] = await h.service.listConversations();
        const messages = (await h.service.getConversation({id: conversation!.id})).messages;
        assert.deepEqual(
            messages.map((m) => [m.role, m.status]),
            [
                ["user", "done"],
                ["assistant", "interrupted"]
            ]
        );
        assert.equal(messages[0]!.content, "Once upon a time");
        const answer = messages[1]!;
        assert.equal(answer.id, deltas[0]!.messageId);
        const streamedSecondBefore = deltas.filter((d) => d.at <= killedAt - 1000).at(-1)?.length ?? 0;
        assert.ok(streamedSecondBefore > 0, "text was streamed more than a second before the kill");
        assert.ok(
            answer.content.length >= streamedSecondBefore && answer.content.length <= deltas.at(-1)!.length,
            `saved ${answer.content.length} characters; streamed ${streamedSecondBefore} a second before the kill, ${deltas.at(-1)!.length} in all`
        );
        assert.equal(
            (answer.runs ?? []).reduce((sum, r) => sum + r.length, 0),
            answer.content.length
        );
    } finally {
        await h.service.close();
    }
});
