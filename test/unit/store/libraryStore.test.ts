/**
 * The model library's rows (schema version 2) in a real SQLite file: a version-1 database (chats only) is
 * upgraded in place with its chats kept; folders and files keep the order they were added in and are listed
 * once; sources switch off and on; library settings set and clear; downloads are saved, replaced by id,
 * listed newest first and removed; a download in an unknown state is refused. Everything survives a reopen.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import type {Download} from "../../../src-shared/index.ts";
import {StoreError} from "../../../src-main/store/chatStore.ts";
import {openDatabase} from "../../../src-main/store/database.ts";
import {migrations} from "../../../src-main/store/migrations.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";
import {tempDir} from "../../helpers/tempFiles.ts";

function download(id: string, createdAt: string, patch: Partial<Download> = {}): Download {
    return {
        id,
        uri: `hf:org/repo/${id}.gguf`,
        fileName: null,
        dir: "/downloads",
        state: "downloading",
        downloadedBytes: 10,
        totalBytes: 100,
        bytesPerSecond: 5,
        etaSeconds: 18,
        createdAt,
        updatedAt: createdAt,
        ...patch
    };
}

test("a version-1 database is upgraded to the library's rows, and they survive a reopen", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    const v1 = openDatabase(file, migrations.slice(0, 1));
    v1.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c1', 'kept', 'x', 'x')").run();
    v1.close();

    const store = openStore(file);
    assert.equal(store.getConversation("c1").title, "kept");
    const rows = store.library;
    rows.addModelFolder("/b");
    rows.addModelFolder("/a");
    rows.addModelFolder("/b");
    rows.addModelFile("/m/x.gguf");
    rows.setSourceEnabled("ollama:/home/me/.ollama/models", false);
    rows.setSourceEnabled("downloads", false);
    rows.setSourceEnabled("downloads", true);
    rows.setLibrarySetting("hfEndpoint", "http://mirror.example");
    rows.setLibrarySetting("downloadDir", "/d");
    rows.setLibrarySetting("downloadDir", null);
    rows.saveDownload(download("old", "2026-12-01T00:00:00.000Z"));
    rows.saveDownload(download("new", "2026-12-02T00:00:00.000Z"));
    rows.saveDownload(download("old", "2026-12-01T00:00:00.000Z", {state: "paused", downloadedBytes: 60}));
    assert.throws(
        () => rows.saveDownload(download("bad", "2026-12-03T00:00:00.000Z", {state: "exploded" as Download["state"]})),
        (error: unknown) => error instanceof StoreError && error.kind === "invalid"
    );
    store.close();

    const again = openStore(file);
    const reopened = again.library;
    assert.deepEqual(reopened.listModelFolders(), ["/b", "/a"]);
    assert.deepEqual(reopened.listModelFiles(), ["/m/x.gguf"]);
    assert.deepEqual(reopened.listDisabledSources(), ["ollama:/home/me/.ollama/models"]);
    assert.equal(reopened.getLibrarySetting("hfEndpoint"), "http://mirror.example");
    assert.equal(reopened.getLibrarySetting("downloadDir"), null);
    assert.deepEqual(
        reopened.listDownloads().map((d) => [d.id, d.state, d.downloadedBytes]),
        [
            ["new", "downloading", 10],
            ["old", "paused", 60]
        ]
    );
    reopened.removeModelFolder("/b");
    reopened.removeModelFile("/m/x.gguf");
    reopened.deleteDownload("new");
    assert.deepEqual(reopened.listModelFolders(), ["/a"]);
    assert.deepEqual(reopened.listModelFiles(), []);
    assert.deepEqual(
        reopened.listDownloads().map((d) => d.id),
        ["old"]
    );
    again.close();
});
