/**
 * A process killed with SIGKILL in the middle of streaming an answer (a real child process writing a real
 * database file). Reopened: the earlier messages are intact, the partial answer holds at least every write
 * that had returned before the kill (and is a prefix of what was streamed), the file passes SQLite's
 * integrity check, and start-up recovery marks the answer interrupted.
 */
import assert from "node:assert/strict";
import {spawn} from "node:child_process";
import path from "node:path";
import {createInterface} from "node:readline";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import Database from "better-sqlite3";
import type {Message} from "../../../src-shared/index.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";
import {streamedText} from "../../helpers/streamingChild.ts";
import {tempDir} from "../../helpers/tempFiles.ts";

const childScript = fileURLToPath(new URL("../../helpers/streamingChild.ts", import.meta.url));

/** Runs the child until it has reported `writes` returned writes, then SIGKILLs it at once. */
async function killMidStream(file: string, mode: "writer" | "tight", writes: number): Promise<{earlier: Message[]; lastWritten: number}> {
    const child = spawn(process.execPath, ["--import", "tsx", childScript, file, mode], {stdio: ["ignore", "pipe", "inherit"]});
    let earlier: Message[] = [];
    let lastWritten = 0;
    let seen = 0;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    for await (const line of createInterface({input: child.stdout})) {
        if (line.startsWith("earlier ")) earlier = JSON.parse(line.slice("earlier ".length)) as Message[];
        if (line.startsWith("written ")) {
            lastWritten = Number(line.slice("written ".length));
            if (++seen >= writes) {
                child.kill("SIGKILL");
                break;
            }
        }
    }
    assert.equal(await exited, "SIGKILL");
    return {earlier, lastWritten};
}

for (const mode of ["writer", "tight"] as const) {
    test(`SIGKILL mid-answer (${mode}): earlier messages intact, partial answer kept and marked interrupted`, async () => {
        const file = path.join(tempDir(), "tandem.sqlite");
        const {earlier, lastWritten} = await killMidStream(file, mode, mode === "writer" ? 4 : 200);
        assert.equal(earlier.length, 3);
        assert.ok(lastWritten > 0);

        const raw = new Database(file);
        assert.deepEqual(raw.pragma("integrity_check"), [{integrity_check: "ok"}]);
        raw.close();

        const store = openStore(file);
        const [conversation] = store.listConversations();
        const messages = store.listMessages(conversation!.id);
        assert.equal(messages.length, 4);
        assert.deepEqual(messages.slice(0, 3), earlier, "the three earlier messages are exactly as written");
        const partial = messages[3]!;
        assert.equal(partial.status, "streaming");
        assert.ok(partial.content.length >= lastWritten, `saved ${partial.content.length} characters, the last returned write had ${lastWritten}`);
        const words = partial.content.split(" ").length - 1;
        assert.equal(partial.content, streamedText(words), "the saved answer is a prefix of the streamed text, cut at a write");
        assert.equal(
            partial.runs?.reduce((sum, run) => sum + run.length, 0),
            partial.content.length,
            "the provenance runs cover the saved text"
        );

        assert.equal(store.markInterrupted(), 1);
        assert.equal(store.getMessage(partial.id).status, "interrupted");
        assert.equal(store.getMessage(partial.id).content, partial.content);
        store.close();
    });
}
