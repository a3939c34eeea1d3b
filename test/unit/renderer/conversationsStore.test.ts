/// <reference types="svelte" />
/**
 * The conversations store (src-renderer/lib/stores/conversationsStore.svelte.ts) compiled with Svelte's runes as
 * the page gets it, on a scripted connection: the list order, opening, streamed answers batched per frame and
 * replaced whole by their last event, a question placed before an answer whose "started" event came first, search
 * answers arriving out of order, edit-and-resend dropping the old tail, per-chat mode, the chosen pair sent with
 * each answer, and failures as alerts in words.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {Conversation, Message, Settings} from "../../../src-shared/index.ts";
import {optionDefaults} from "../../../src-shared/index.ts";
import {importRunes, settle} from "../../helpers/svelteRunes.ts";
import {refusal, ScriptedConnection} from "./scriptedConnection.ts";

type StatusModule = typeof import("../../../src-renderer/lib/stores/statusStore.svelte.ts");
type SettingsModule = typeof import("../../../src-renderer/lib/stores/settingsStore.svelte.ts");
type ChatsModule = typeof import("../../../src-renderer/lib/stores/conversationsStore.svelte.ts");

const {StatusStore} = await importRunes<StatusModule>(new URL("../../../src-renderer/lib/stores/statusStore.svelte.ts", import.meta.url));
const {SettingsStore} = await importRunes<SettingsModule>(new URL("../../../src-renderer/lib/stores/settingsStore.svelte.ts", import.meta.url));
const {ConversationsStore} = await importRunes<ChatsModule>(
    new URL("../../../src-renderer/lib/stores/conversationsStore.svelte.ts", import.meta.url)
);

const defaults = optionDefaults() as Settings;

function conversation(id: string, updatedAt: string, extra: Partial<Conversation> = {}): Conversation {
    return {id, title: `chat ${id}`, createdAt: "2026-01-01T00:00:00.000Z", updatedAt, pair: null, overrides: {}, ...extra};
}

function message(id: string, conversationId: string, role: Message["role"], content: string, extra: Partial<Message> = {}): Message {
    return {
        id,
        conversationId,
        role,
        content,
        status: "done",
        error: null,
        stats: null,
        runs: null,
        seed: null,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
        ...extra
    };
}

/** A frame clock the test drives: callbacks wait for `frame()`. */
class Frames {
    private due: (() => void)[] = [];
    readonly schedule = (callback: () => void): void => void this.due.push(callback);
    frame(): void {
        const now = this.due;
        this.due = [];
        for (const callback of now) callback();
    }
}

async function setUp(
    handlers: ConstructorParameters<typeof ScriptedConnection>[0] = {},
    pair: {expertPath: string; amateurPath: string} | null = null
) {
    const connection = new ScriptedConnection({getSettings: async () => defaults, ...handlers});
    const status = new StatusStore();
    assert.equal(await status.connect(async () => connection), true);
    const settings = new SettingsStore(status, null);
    await settings.load();
    const frames = new Frames();
    const saved: string[] = [];
    const chats = new ConversationsStore(status, settings, {
        schedule: frames.schedule,
        saveFile: (f) => void saved.push(f.fileName),
        pairForAnswer: () => pair
    });
    connection.subscribe((event) => {
        if (event.type === "generation") chats.onGeneration(event.event);
    });
    return {connection, status, settings, chats, frames, saved};
}

test("the list is most recent first, and refreshing keeps the open chat's fresh copy", async () => {
    let list = [conversation("a", "2026-01-01T10:00:00.000Z"), conversation("b", "2026-01-02T10:00:00.000Z")];
    const {chats} = await setUp({
        listConversations: async () => list,
        getConversation: async ({id}) => ({conversation: list.find((c) => c.id === id)!, messages: []})
    });
    await chats.refresh();
    assert.deepEqual(
        chats.conversations.map((c) => c.id),
        ["b", "a"]
    );
    await chats.open("a");
    list = [conversation("a", "2026-01-03T10:00:00.000Z", {title: "renamed elsewhere"}), list[1]!];
    await chats.refresh();
    assert.deepEqual(
        chats.conversations.map((c) => c.id),
        ["a", "b"]
    );
    assert.equal(chats.current?.title, "renamed elsewhere");
});

test("a streamed answer: deltas land once per frame, the finished event replaces it whole", async () => {
    const c = conversation("c", "2026-01-01T10:00:00.000Z");
    const {connection, chats, frames} = await setUp({
        getConversation: async () => ({conversation: c, messages: []}),
        sendMessage: async () => ({userMessage: message("u1", "c", "user", "Hi"), assistantMessageId: "a1"})
    });
    await chats.open("c");
    // The answer's "started" arrives before sendMessage's reply: the question must still come first.
    connection.emit({
        type: "generation",
        event: {kind: "started", conversationId: "c", message: message("a1", "c", "assistant", "", {status: "streaming"})}
    });
    assert.equal(await chats.send("Hi"), true);
    assert.deepEqual(
        chats.messages.map((m) => m.id),
        ["u1", "a1"]
    );
    assert.equal(chats.streaming, true);

    connection.emit({
        type: "generation",
        event: {kind: "delta", conversationId: "c", messageId: "a1", text: "Once", runs: [{source: "draft", length: 4}]}
    });
    connection.emit({
        type: "generation",
        event: {kind: "delta", conversationId: "c", messageId: "a1", text: " upon", runs: [{source: "draft", length: 5}]}
    });
    assert.equal(chats.messages[1]!.content, "", "nothing before the frame");
    frames.frame();
    assert.equal(chats.messages[1]!.content, "Once upon");
    assert.deepEqual(chats.messages[1]!.runs, [{source: "draft", length: 9}]);

    // A delta still waiting for its frame lands before the finished message replaces it.
    connection.emit({
        type: "generation",
        event: {kind: "delta", conversationId: "c", messageId: "a1", text: " a", runs: [{source: "bonus", length: 2}]}
    });
    connection.emit({
        type: "generation",
        event: {kind: "finished", conversationId: "c", message: message("a1", "c", "assistant", "Once upon a time")}
    });
    assert.equal(chats.messages[1]!.content, "Once upon a time");
    assert.equal(chats.messages[1]!.status, "done");
    assert.equal(chats.streaming, false);

    // Another chat's events do not touch this one.
    connection.emit({type: "generation", event: {kind: "started", conversationId: "other", message: message("x", "other", "assistant", "")}});
    assert.equal(chats.messages.length, 2);
});

test("answers carry the pair the picker shows", async () => {
    const pair = {expertPath: "/m/big.gguf", amateurPath: "/m/small.gguf"};
    const c = conversation("c", "2026-01-01T10:00:00.000Z");
    const {connection, chats} = await setUp(
        {
            getConversation: async () => ({conversation: c, messages: [message("u1", "c", "user", "Hi"), message("a1", "c", "assistant", "Hello")]}),
            sendMessage: async () => ({userMessage: message("u2", "c", "user", "Again"), assistantMessageId: "a2"}),
            regenerate: async () => ({assistantMessageId: "a3"})
        },
        pair
    );
    await chats.open("c");
    await chats.send("Again");
    await chats.regenerate();
    assert.deepEqual(connection.callsTo("sendMessage")[0]!.args[0], {conversationId: "c", text: "Again", pair});
    assert.deepEqual(connection.callsTo("regenerate")[0]!.args[0], {conversationId: "c", pair});
    assert.deepEqual(
        chats.messages.map((m) => m.id),
        ["u1", "u2"],
        "the replaced answer left the view; its successor arrives as events"
    );
});

test("without a chosen pair an answer leaves the choice to the service", async () => {
    const {connection, chats} = await setUp({
        createConversation: async ({title}) => conversation("new", "2026-01-01T10:00:00.000Z", {title: title ?? "New chat"}),
        sendMessage: async () => ({userMessage: message("u1", "new", "user", "Tell me a story"), assistantMessageId: "a1"})
    });
    assert.equal(await chats.send("Tell me a story"), true);
    assert.equal(chats.current?.title, "Tell me a story", "a chat is started, titled from the message");
    assert.deepEqual(connection.callsTo("sendMessage")[0]!.args[0], {conversationId: "new", text: "Tell me a story"});
});

test("edit and resend drops the old tail but keeps a new answer that already started", async () => {
    const c = conversation("c", "2026-01-01T10:00:00.000Z");
    const {connection, chats} = await setUp({
        getConversation: async () => ({
            conversation: c,
            messages: [
                message("u1", "c", "user", "first"),
                message("a1", "c", "assistant", "one"),
                message("u2", "c", "user", "second"),
                message("a2", "c", "assistant", "two")
            ]
        }),
        editAndResend: async () => {
            connection.emit({
                type: "generation",
                event: {kind: "started", conversationId: "c", message: message("a9", "c", "assistant", "", {status: "streaming"})}
            });
            return {userMessage: message("u1", "c", "user", "first, edited"), assistantMessageId: "a9"};
        }
    });
    await chats.open("c");
    assert.equal(await chats.editAndResend("u1", "first, edited"), true);
    assert.deepEqual(
        chats.messages.map((m) => `${m.id}:${m.content}`),
        ["u1:first, edited", "a9:"]
    );
});

test("search: a slow answer to an older query does not replace a newer one", async () => {
    const answers = new Map<string, (hits: {conversationId: string; conversationTitle: string; messageId: string; snippet: string}[]) => void>();
    const {chats} = await setUp({
        searchMessages: ({query}) => new Promise((resolve) => answers.set(query, resolve))
    });
    const older = chats.search("dog");
    const newer = chats.search("dog park");
    answers.get("dog park")!([{conversationId: "c", conversationTitle: "t", messageId: "m2", snippet: "«dog park»"}]);
    await newer;
    answers.get("dog")!([{conversationId: "c", conversationTitle: "t", messageId: "m1", snippet: "«dog»"}]);
    await older;
    assert.deepEqual(
        chats.searchHits.map((h) => h.messageId),
        ["m2"]
    );
    await chats.search("  ");
    assert.deepEqual(chats.searchHits, []);
});

test("the header's mode: a chat's own override changes, else the default for all chats", async () => {
    const withOverride = conversation("o", "2026-01-01T10:00:00.000Z", {overrides: {mode: "cd"}});
    const plain = conversation("p", "2026-01-01T10:00:00.000Z");
    const {connection, chats, settings} = await setUp({
        getConversation: async ({id}) => ({conversation: id === "o" ? withOverride : plain, messages: []}),
        setConversationOverrides: async ({id, overrides}) => conversation(id, "2026-01-01T11:00:00.000Z", {overrides}),
        updateSettings: async (changes) => ({...defaults, ...changes})
    });
    await chats.open("o");
    assert.equal(chats.effective?.mode, "cd");
    await chats.setMode("sd");
    assert.deepEqual(connection.callsTo("setConversationOverrides")[0]!.args[0], {id: "o", overrides: {mode: "sd"}});
    assert.equal(chats.effective?.mode, "sd");

    await chats.open("p");
    await chats.setMode("expert");
    assert.deepEqual(connection.callsTo("updateSettings")[0]!.args[0], {mode: "expert"});
    assert.equal(settings.settings?.mode, "expert");
    assert.equal(chats.effective?.mode, "expert");
});

test("deleting the open chat opens the next one; a refusal becomes an alert in words", async () => {
    const list = [conversation("a", "2026-01-02T10:00:00.000Z"), conversation("b", "2026-01-01T10:00:00.000Z")];
    const {chats, status, saved} = await setUp({
        listConversations: async () => list,
        getConversation: async ({id}) => ({conversation: list.find((c) => c.id === id)!, messages: []}),
        deleteConversation: async () => undefined,
        exportConversation: async () => ({fileName: "chat-b.md", mimeType: "text/markdown", content: "# b"}),
        renameConversation: async () => {
            throw refusal("invalidRequest", "the title is empty");
        }
    });
    await chats.refresh();
    await chats.open("a");
    assert.equal(await chats.remove("a"), true);
    assert.equal(chats.current?.id, "b");
    assert.deepEqual(
        chats.conversations.map((c) => c.id),
        ["b"]
    );

    assert.equal(await chats.exportCurrent("markdown"), true);
    assert.deepEqual(saved, ["chat-b.md"]);

    assert.equal(await chats.rename("b", " "), false);
    assert.deepEqual(
        status.alerts.map((a) => a.text),
        ["Could not rename the conversation: The title is empty."]
    );
    await settle();
});
