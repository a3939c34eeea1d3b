/**
 * Child process for the crash test: writes a conversation with three finished messages, then streams an
 * answer into the store forever (until it is killed), reporting on stdout after each write has returned.
 * Usage: node --import tsx streamingChild.ts <database file> writer|tight
 *   writer: appends a word every 2 ms through AnswerWriter (its timer writes every 100 ms), as the app does;
 *   tight:  calls updateMessage back to back, so the kill most likely lands inside a write.
 * Output lines: "earlier <JSON of the three messages>", then "written <content length>" after each write.
 */
import {pathToFileURL} from "node:url";
import type {Message} from "../../src-shared/index.ts";
import {AnswerWriter} from "../../src-main/store/answerWriter.ts";
import type {MessagePatch} from "../../src-main/store/chatStore.ts";
import {openStore} from "../../src-main/store/sqliteStore.ts";

/** The streamed text: word i is "w<i>", so any saved prefix can be checked against it. */
export function streamedText(words: number): string {
    return Array.from({length: words}, (_, i) => `w${i} `).join("");
}

const [file, mode] = process.argv.slice(2);
const isMain = process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && file != null && (mode === "writer" || mode === "tight")) {
    const store = openStore(file);
    const c = store.createConversation({title: "crash test"});
    const earlier = [
        store.addMessage({conversationId: c.id, role: "user", content: "Tell me a story.", status: "done"}),
        store.addMessage({conversationId: c.id, role: "assistant", content: "Once upon a time there was a kettle.", status: "done"}),
        store.addMessage({conversationId: c.id, role: "user", content: "Another one, longer.", status: "done"})
    ];
    process.stdout.write(`earlier ${JSON.stringify(earlier)}\n`);
    const answer = store.addMessage({conversationId: c.id, role: "assistant", content: "", status: "streaming"});
    const reporting = {
        updateMessage(id: string, patch: MessagePatch): Message {
            const message = store.updateMessage(id, patch);
            process.stdout.write(`written ${message.content.length}\n`);
            return message;
        }
    };
    let words = 0;
    if (mode === "writer") {
        const writer = new AnswerWriter(reporting, answer, 100);
        setInterval(() => writer.append(`w${words++} `, [{source: words % 3 === 0 ? "correction" : "draft", length: `w${words - 1} `.length}]), 2);
    } else {
        for (;;) {
            words++;
            reporting.updateMessage(answer.id, {content: streamedText(words), runs: [{source: "draft", length: streamedText(words).length}]});
        }
    }
}
