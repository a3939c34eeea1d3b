/**
 * The app's "Local server" switch on the real service (SQLite store, engine process, the demo pair): turning the
 * setting on starts the API with a generated key that is saved and shown in the status; the app's chat and the
 * API take turns on the pair (an app answer sent while the server has a line waits for the running request only);
 * API traffic writes nothing to the chat history; turning it off stops the server.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import OpenAI from "openai";
import type {LocalServerStatus} from "../../../src-shared/index.ts";
import {startLocalServerSwitch} from "../../../src-main/server/index.ts";
import {startService, type Harness} from "../../helpers/serviceHarness.ts";

let harness: Harness;

before(async () => {
    harness = await startService();
    await startLocalServerSwitch(harness.service);
});

after(async () => {
    await harness.service.close();
});

async function serverStatus(): Promise<LocalServerStatus | undefined> {
    return (await harness.service.getStatus()).server;
}

test("the switch starts the API with a saved key, the chat and the API take turns, API traffic is not stored, off stops it", async () => {
    assert.deepEqual(await serverStatus(), {state: "off"});
    await harness.service.updateSettings({localServer: true, serverPort: 0});
    const status = await serverStatus();
    assert.equal(status?.state, "on", JSON.stringify(status));
    if (status?.state !== "on") return;
    assert.match(status.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    // The generated key is saved in the settings, so the next start serves with the same one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await harness.service.getSettings()).serverApiKey, status.apiKey);

    const client = new OpenAI({baseURL: status.baseUrl, apiKey: status.apiKey, maxRetries: 0});
    const conversationsBefore = (await harness.service.listConversations()).length;
    const finished: string[] = [];
    const ask = (name: string, maxTokens: number) =>
        client.completions.create({model: "tandem", prompt: `Once upon a time, ${name}`, max_tokens: maxTokens, temperature: 0}).then((answer) => {
            finished.push(name);
            return answer;
        });
    // The first request streams, so the test knows when it runs (the pair loads first); it is long enough that
    // the others are in line behind it before it ends.
    const stream = await client.completions.create({
        model: "tandem",
        prompt: "Once upon a time, first",
        max_tokens: 450,
        temperature: 0,
        stream: true
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const first = (async () => {
        while (!(await iterator.next()).done);
        finished.push("first");
    })();
    const second = ask("second", 200);
    const third = ask("third", 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The app sends while the server has one request running and two waiting.
    const conversation = await harness.service.createConversation({});
    const since = harness.events.length;
    const {assistantMessageId} = await harness.service.sendMessage({conversationId: conversation.id, text: "The little dog"});
    const appAnswer = harness.finished(assistantMessageId, since).then((message) => {
        finished.push("app");
        return message;
    });
    const [, b, c, message] = await Promise.all([first, second, third, appAnswer]);
    assert.equal(message.status, "done", message.error ?? "");
    for (const answer of [b, c]) assert.equal(answer.usage!.completion_tokens, 200);
    assert.deepEqual(finished, ["first", "app", "second", "third"], "the app's answer waited for the running request only");

    // The API wrote nothing: the only new conversation is the app's own.
    assert.equal((await harness.service.listConversations()).length, conversationsBefore + 1);

    await harness.service.updateSettings({localServer: false});
    assert.deepEqual(await serverStatus(), {state: "off"});
    await assert.rejects(fetch(`${status.baseUrl}/models`), /fetch failed/);
});

test("a port in use is said in the status, and the app keeps running", async () => {
    const blocker = await import("node:http").then(({createServer}) => createServer());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as {port: number}).port;
    try {
        await harness.service.updateSettings({localServer: true, serverPort: port});
        const status = await serverStatus();
        assert.equal(status?.state, "error");
        assert.match((status as {message: string}).message, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
        assert.equal((await harness.service.getStatus()).engine.state === "error", false);
    } finally {
        await harness.service.updateSettings({localServer: false});
        blocker.close();
    }
});
