/// <reference types="svelte" />
/**
 * Rough edges a new user hits (issue 15, items 5, 6, 7, 9), on the composed app state over a scripted connection:
 * a dropped link ends the answer on screen at once and its banners replace each other; the context's note is one
 * per chat that updates; a second window gets no Stop for another window's answer; a refusal and an engine crash
 * say each sentence once; a context size llama.cpp rounds up says so beside the field.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {AppStatus, Conversation, LibrarySnapshot, Message, Settings} from "../../../src-shared/index.ts";
import {ServiceError, optionDefaults, optionTable} from "../../../src-shared/index.ts";
// Namespace imports: each test fails on its own where a function is missing, not the whole file at load.
import * as errors from "../../../src-renderer/lib/errors.ts";
import * as settingsForm from "../../../src-renderer/lib/settingsForm.ts";
import {importRunes, settle} from "../../helpers/svelteRunes.ts";
import {ScriptedConnection} from "./scriptedConnection.ts";

type AppModule = typeof import("../../../src-renderer/lib/appState.svelte.ts");
const {AppState} = await importRunes<AppModule>(new URL("../../../src-renderer/lib/appState.svelte.ts", import.meta.url));

const pair = {expertPath: "/m/big.gguf", amateurPath: "/m/small.gguf"};
const idle: AppStatus = {engine: {state: "idle"}, busy: false, calibration: {state: "none"}, version: "0.1.0"};
const busy: AppStatus = {...idle, busy: true};
const chat: Conversation = {
    id: "c1",
    title: "Stories",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-02T00:00:00.000Z",
    pair,
    overrides: {}
};
const empty: LibrarySnapshot = {sources: [], models: [], scan: {scanning: false, entriesSeen: 0, filesFound: 0, headersRead: 0}};

function message(id: string, role: Message["role"], content: string, status: Message["status"]): Message {
    return {
        id,
        conversationId: "c1",
        role,
        content,
        status,
        error: null,
        stats: null,
        runs: null,
        seed: null,
        createdAt: chat.createdAt,
        updatedAt: chat.createdAt
    };
}

/** The app as one window has it, with `stored` the messages the service's store holds for the chat. */
async function startApp(stored: () => Message[]) {
    const scripted = new ScriptedConnection({
        getStatus: async () => idle,
        getSettings: async () => optionDefaults() as Settings,
        listConversations: async () => [chat],
        getConversation: async () => ({conversation: chat, messages: stored()}),
        sendMessage: async () => ({userMessage: message("u1", "user", "Once upon a time", "done"), assistantMessageId: "a1"}),
        listLibrary: async () => empty,
        listDownloads: async () => [],
        catalogue: async () => [],
        getLibrarySettings: async () => ({hfEndpoint: "https://huggingface.co", downloadDir: "/d"}),
        pairVerdicts: async ({expertPath}) => ({expertPath, compatible: [], incompatible: []}),
        checkPair: async () => ({compatible: true, failures: []}),
        estimateFit: async () => {
            throw new Error("no fit here");
        }
    });
    const app = new AppState();
    await app.start(async () => scripted);
    return {app, scripted};
}

test("item 5: when the link drops mid-answer the answer shows interrupted at once, with no Stop; the banner is replaced when it is back", async () => {
    let stored: Message[] = [];
    const {app, scripted} = await startApp(() => stored);
    assert.equal(await app.chats.send("Once upon a time"), true);
    scripted.emit({type: "status", status: busy});
    scripted.emit({type: "generation", event: {kind: "started", conversationId: "c1", message: message("a1", "assistant", "", "streaming")}});
    assert.equal(app.busy, true);

    // The server dies: the web connection reports the link lost, then its notice.
    scripted.link("lost");
    scripted.emit({type: "notice", conversationId: null, topic: "connection", text: "The connection to Tandem was lost; reconnecting…"});
    assert.deepEqual(
        app.chats.messages.map((m) => [m.id, m.status]),
        [
            ["u1", "done"],
            ["a1", "interrupted"]
        ],
        "the answer is marked interrupted at once"
    );
    assert.equal(app.busy, false, "no 'Writing…' while nothing can be seen of the answer");
    assert.equal(app.canStop, false, "no active Stop");
    scripted.emit({
        type: "notice",
        conversationId: null,
        topic: "connection",
        text: "Still reconnecting… If Tandem was restarted, open the new address it printed (the token changes with every launch)."
    });

    // The server is back; its store marked the answer interrupted on restart, and the chat is read again.
    stored = [message("u1", "user", "Once upon a time", "done"), message("a1", "assistant", " there was", "interrupted")];
    scripted.link("back");
    scripted.emit({type: "notice", conversationId: null, topic: "connection", text: "Reconnected to Tandem."});
    scripted.emit({type: "status", status: idle});
    await settle();
    assert.deepEqual(
        app.status.notices.map((n) => n.text),
        ["Reconnected to Tandem."],
        "one banner about the connection, replaced rather than stacked"
    );
    assert.equal(app.chats.messages[1]!.content, " there was", "the chat shows what the store holds");
    assert.equal(app.chats.messages[1]!.status, "interrupted");
    assert.equal(app.busy, false);
    assert.deepEqual(app.status.alerts, []);
});

test("item 5: when the link only blinks, the answer still being written streams on here, with this window's Stop", async () => {
    let stored: Message[] = [];
    const {app, scripted} = await startApp(() => stored);
    assert.equal(await app.chats.send("Once upon a time"), true);
    scripted.emit({type: "status", status: busy});
    scripted.emit({type: "generation", event: {kind: "started", conversationId: "c1", message: message("a1", "assistant", "", "streaming")}});
    scripted.link("lost");
    assert.equal(app.canStop, false);
    stored = [message("u1", "user", "Once upon a time", "done"), message("a1", "assistant", " there was", "streaming")];
    scripted.link("back");
    scripted.emit({type: "status", status: busy});
    await settle();
    assert.equal(app.chats.messages[1]!.status, "streaming");
    assert.equal(app.canStop, true);
});

test("item 6: the context's note is one per chat that updates, not one more per turn", async () => {
    const {app, scripted} = await startApp(() => []);
    const texts = [
        "The chat is longer than the context holds: the oldest turn was left out of what the models see.",
        "The chat is longer than the context holds: the oldest 2 turns were left out of what the models see.",
        "The chat is longer than the context holds: the oldest 3 turns were left out of what the models see."
    ];
    for (const text of texts) scripted.emit({type: "notice", conversationId: "c1", topic: "context", text});
    scripted.emit({type: "notice", conversationId: "c2", topic: "context", text: texts[0]!});
    scripted.emit({type: "notice", conversationId: "c1", text: "Loading big.gguf + small.gguf before answering…"});
    assert.deepEqual(
        app.status.notices.filter((n) => n.conversationId === "c1").map((n) => n.text),
        [texts[2], "Loading big.gguf + small.gguf before answering…"]
    );
    assert.equal(app.status.notices.filter((n) => n.conversationId === "c2").length, 1, "another chat keeps its own note");
});

test("item 7: a second window sees the first window's answer written but gets no Stop for it", async () => {
    const {app, scripted} = await startApp(() => []);
    // Another window sent the message: this one only hears about it.
    scripted.emit({type: "status", status: busy});
    scripted.emit({type: "generation", event: {kind: "started", conversationId: "c1", message: message("a9", "assistant", "", "streaming")}});
    assert.equal(app.busy, true, "Send stays disabled while an answer is written");
    assert.equal(app.canStop, false, "no Stop for another window's answer");
    scripted.emit({type: "generation", event: {kind: "finished", conversationId: "c1", message: message("a9", "assistant", "Once", "done")}});
    scripted.emit({type: "status", status: idle});
    assert.equal(app.busy, false);

    // This window's own answer: its Stop, until the answer ends.
    assert.equal(await app.chats.send("Once upon a time"), true);
    scripted.emit({type: "status", status: busy});
    scripted.emit({type: "generation", event: {kind: "started", conversationId: "c1", message: message("a1", "assistant", "", "streaming")}});
    assert.equal(app.canStop, true, "this window asked for the answer: its Stop is active");
    scripted.emit({type: "generation", event: {kind: "finished", conversationId: "c1", message: message("a1", "assistant", "Once", "done")}});
    scripted.emit({type: "status", status: idle});
    assert.equal(app.canStop, false);

    // An answer so short that it finished before the request that started it returned leaves no Stop behind.
    scripted.handlers.sendMessage = async () => {
        scripted.emit({type: "generation", event: {kind: "finished", conversationId: "c1", message: message("a2", "assistant", ".", "done")}});
        return {userMessage: message("u2", "user", "Hi", "done"), assistantMessageId: "a2"};
    };
    assert.equal(await app.chats.send("Hi"), true);
    scripted.emit({type: "status", status: busy});
    assert.equal(app.canStop, false);
});

test("item 7: a refusal that gives its own advice is not followed by the same advice again", () => {
    const sent = "an answer is still being written; wait for it to finish (or stop it in the window that asked for it) before you send a message";
    assert.equal(
        errors.errorText(new ServiceError("busy", sent), "send the message"),
        "Could not send the message: An answer is still being written; wait for it to finish (or stop it in the window that asked for it) before you send a message."
    );
    // The wording before this change, as an older service still sends it.
    const older = errors.errorText({code: "busy", message: "an answer is still being written; wait for it or press Stop before you send a message"});
    assert.equal((older.match(/press Stop/g) ?? []).length, 1, older);
    // A refusal without advice still gets the hint.
    assert.match(errors.errorText(new ServiceError("busy", "another answer is being written")), /Wait for it to finish or press Stop\.$/);
});

test("item 7: an engine crash's reason is said once in the status line", () => {
    const reason = "the engine process exited (signal SIGKILL) while writing an answer";
    const crashed: AppStatus = {...idle, engine: {state: "error", pair, message: reason}, lastEngineCrash: reason};
    assert.deepEqual(errors.engineProblems(crashed), [`The engine stopped unexpectedly: ${reason}`]);
    const loadFailed: AppStatus = {...idle, engine: {state: "error", pair, message: "the file is not a GGUF model"}};
    assert.deepEqual(errors.engineProblems(loadFailed), ["the file is not a GGUF model"]);
    assert.deepEqual(errors.engineProblems({...loadFailed, lastEngineCrash: reason}), [
        `The engine stopped unexpectedly: ${reason}`,
        "the file is not a GGUF model"
    ]);
    assert.deepEqual(errors.engineProblems(idle), []);
});

test("item 9: a context size llama.cpp rounds up is said beside the field", () => {
    const context = optionTable.find((o) => o.key === "contextSize")!;
    assert.match(settingsForm.fieldNote(context, 64) ?? "", /64 becomes 256/);
    assert.match(settingsForm.fieldNote(context, 300) ?? "", /300 becomes 512/);
    assert.equal(settingsForm.fieldNote(context, 256), null);
    assert.equal(settingsForm.fieldNote(context, 2048), null);
    assert.equal(
        settingsForm.fieldNote(
            optionTable.find((o) => o.key === "maxTokens")!,
            64
        ),
        null,
        "other fields have no such note"
    );
});
