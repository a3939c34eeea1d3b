/// <reference types="svelte" />
/**
 * The composed app state (src-renderer/lib/appState.svelte.ts) on a scripted connection: start reads what the
 * first screen shows and opens the latest chat with its pair chosen; each service event reaches the store it
 * concerns; "busy" joins the service's word and the open chat's streaming answer; the view switches to the
 * library at a section and back.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {AppStatus, Conversation, Download, LibrarySnapshot, Message, Settings} from "../../../src-shared/index.ts";
import {optionDefaults} from "../../../src-shared/index.ts";
import {importRunes, settle} from "../../helpers/svelteRunes.ts";
import {ScriptedConnection} from "./scriptedConnection.ts";

type AppModule = typeof import("../../../src-renderer/lib/appState.svelte.ts");
const {AppState} = await importRunes<AppModule>(new URL("../../../src-renderer/lib/appState.svelte.ts", import.meta.url));

const pair = {expertPath: "/m/big.gguf", amateurPath: "/m/small.gguf"};
const idle: AppStatus = {engine: {state: "idle"}, busy: false, calibration: {state: "none"}, version: "0.1.0"};
const chat: Conversation = {
    id: "c1",
    title: "Stories",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-02T00:00:00.000Z",
    pair,
    overrides: {}
};
const empty: LibrarySnapshot = {sources: [], models: [], scan: {scanning: false, entriesSeen: 0, filesFound: 0, headersRead: 0}};

function answer(content: string, status: Message["status"]): Message {
    return {
        id: "a1",
        conversationId: "c1",
        role: "assistant",
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

function connection(conversations: Conversation[]) {
    let listings = 0;
    const scripted = new ScriptedConnection({
        getStatus: async () => idle,
        getSettings: async () => optionDefaults() as Settings,
        listConversations: async () => conversations,
        getConversation: async ({id}) => ({conversation: conversations.find((c) => c.id === id)!, messages: []}),
        listLibrary: async () => (listings++, empty),
        listDownloads: async () => [],
        catalogue: async () => [],
        getLibrarySettings: async () => ({hfEndpoint: "https://huggingface.co", downloadDir: "/d"}),
        pairVerdicts: async ({expertPath}) => ({expertPath, compatible: [], incompatible: []}),
        checkPair: async () => ({compatible: true, failures: []}),
        estimateFit: async () => {
            throw new Error("no fit here");
        }
    });
    return {scripted, listings: () => listings};
}

test("start: the first screen's reads, the latest chat opened, its pair chosen; no welcome then", async () => {
    const {scripted} = connection([chat]);
    const app = new AppState();
    await app.start(async () => scripted);
    assert.equal(app.chats.current?.id, "c1");
    assert.deepEqual(app.library.chosen, pair);
    assert.equal(app.library.firstRun, false);
    assert.equal(app.settings.settings?.mode, (optionDefaults() as Settings).mode);
    assert.deepEqual(app.status.alerts, [], "nothing failed");
});

test("a fresh start with no chat and nothing chosen shows the welcome", async () => {
    const {scripted} = connection([]);
    const app = new AppState();
    await app.start(async () => scripted);
    assert.equal(app.library.firstRun, true);
});

test("events reach their stores; busy follows the service and the streaming answer", async () => {
    const {scripted, listings} = connection([chat]);
    const app = new AppState();
    await app.start(async () => scripted);

    scripted.emit({type: "status", status: {...idle, busy: true}});
    assert.equal(app.busy, true);
    scripted.emit({type: "status", status: idle});
    assert.equal(app.busy, false);

    scripted.emit({type: "generation", event: {kind: "started", conversationId: "c1", message: answer("", "streaming")}});
    assert.equal(app.busy, true, "the open chat's answer is streaming");
    scripted.emit({type: "generation", event: {kind: "finished", conversationId: "c1", message: answer("Once", "done")}});
    assert.equal(app.busy, false);
    assert.equal(app.chats.messages[0]!.content, "Once");

    scripted.emit({type: "notice", conversationId: "c1", text: "The oldest turn was left out."});
    assert.deepEqual(
        app.status.notices.map((n) => n.text),
        ["The oldest turn was left out."]
    );

    scripted.emit({type: "libraryScan", progress: {scanning: true, entriesSeen: 40, filesFound: 2, headersRead: 1}});
    assert.equal(app.library.scan.entriesSeen, 40);

    const download: Download = {
        id: "d1",
        uri: "hf:o/r/f.gguf",
        fileName: "f.gguf",
        dir: "/d",
        state: "downloading",
        downloadedBytes: 10,
        totalBytes: 100,
        bytesPerSecond: 5,
        etaSeconds: 18,
        createdAt: chat.createdAt,
        updatedAt: chat.createdAt
    };
    scripted.emit({type: "download", download});
    assert.deepEqual(
        app.library.downloads.map((d) => d.state),
        ["downloading"]
    );

    const before = listings();
    scripted.emit({type: "library"});
    await settle();
    assert.equal(listings(), before + 1, "a library event re-reads the library");
});

test("the library view opens at a section and closes back to the chat", () => {
    const app = new AppState();
    assert.equal(app.view, "chat");
    app.openLibrary("downloads");
    assert.equal(app.view, "library");
    assert.equal(app.librarySection, "downloads");
    app.closeLibrary();
    assert.equal(app.view, "chat");
});
