/**
 * Failures a user can meet: a full disk, a read-only database, a database held by another process. Each gives
 * a StoreError with one sentence naming the file, and leaves the file intact (SQLite's integrity check passes
 * and everything written before is there).
 *
 * What is real here: the full disk is a real tmpfs of 1 MiB filled by a growing answer (ENOSPC from the
 * kernel, SQLITE_FULL from SQLite) where this machine allows mounting one (root with CAP_SYS_ADMIN), and in
 * every case SQLite's own page limit (PRAGMA max_page_count), which fails the same way with SQLITE_FULL. The
 * read-only case is a tmpfs remounted read-only (root ignores file modes, so chmod proves nothing as root; as
 * another user the chmod test runs instead), and a connection SQLite itself opened read-only.
 */
import assert from "node:assert/strict";
import {chmodSync, readFileSync} from "node:fs";
import path from "node:path";
import {test} from "node:test";
import Database from "better-sqlite3";
import {type ChatStore, StoreError} from "../../../src-main/store/chatStore.ts";
import {openDatabase} from "../../../src-main/store/database.ts";
import {openStore, SqliteChatStore} from "../../../src-main/store/sqliteStore.ts";
import {mountTmpfs, tempDir} from "../../helpers/tempFiles.ts";

function catchStoreError(work: () => unknown): StoreError {
    try {
        work();
    } catch (error) {
        assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected a StoreError, but the call succeeded");
}

function assertIntact(file: string): void {
    const raw = new Database(file);
    try {
        assert.deepEqual(raw.pragma("integrity_check"), [{integrity_check: "ok"}]);
        raw.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
    } finally {
        raw.close();
    }
}

/** Writes earlier messages, then grows a streaming answer by 8 KiB a write until the store fails. */
function fillUntilFailure(store: ChatStore): {conversationId: string; answerId: string; savedLength: number; error: StoreError} {
    const c = store.createConversation({title: "full"});
    store.addMessage({conversationId: c.id, role: "user", content: "first question", status: "done"});
    store.addMessage({conversationId: c.id, role: "assistant", content: "first answer", status: "done"});
    const answer = store.addMessage({conversationId: c.id, role: "assistant", content: "", status: "streaming"});
    let content = "";
    for (let i = 0; i < 10_000; i++) {
        const next = content + `chunk ${i} `.padEnd(8192, "x");
        try {
            store.updateMessage(answer.id, {content: next});
        } catch (error) {
            assert.ok(error instanceof StoreError, String(error));
            return {conversationId: c.id, answerId: answer.id, savedLength: content.length, error};
        }
        content = next;
    }
    assert.fail("the store never filled up");
}

function assertAfterFull(file: string, conversationId: string, answerId: string, savedLength: number): void {
    assertIntact(file);
    const store = openStore(file);
    try {
        const messages = store.listMessages(conversationId);
        assert.deepEqual(
            messages.map((m) => m.content.slice(0, 14)),
            ["first question", "first answer", "chunk 0 xxxxxx"]
        );
        assert.equal(store.getMessage(answerId).content.length, savedLength, "the failed write changed nothing; the one before it is there");
        store.updateMessage(answerId, {status: "stopped"});
    } finally {
        store.close();
    }
}

test("a full disk (a real 1 MiB tmpfs) gives diskFull, keeps the store readable, and leaves the file intact", (t) => {
    const tmpfs = mountTmpfs(1024 * 1024);
    if (typeof tmpfs === "string") {
        t.skip(tmpfs);
        return;
    }
    const file = path.join(tmpfs.dir, "tandem.sqlite");
    const store = openStore(file);
    const {conversationId, answerId, savedLength, error} = fillUntilFailure(store);
    assert.equal(error.kind, "diskFull");
    assert.equal(error.message, `the disk is full: Tandem could not save to its chat database ${file} (free some space and try again)`);
    assert.ok(savedLength > 0);
    assert.equal(store.getMessage(answerId).content.length, savedLength, "reads go on while the disk is full");
    store.close();
    tmpfs.resize(8 * 1024 * 1024);
    assertAfterFull(file, conversationId, answerId, savedLength);
});

test("SQLite's own size limit (max_page_count) gives the same diskFull and an intact file", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    const db = openDatabase(file);
    const pages = db.pragma("page_count", {simple: true}) as number;
    db.pragma(`max_page_count = ${pages + 40}`);
    const store = new SqliteChatStore(db, file);
    const {conversationId, answerId, savedLength, error} = fillUntilFailure(store);
    assert.equal(error.kind, "diskFull");
    assert.match(error.message, /^the disk is full: Tandem could not save to its chat database .*tandem\.sqlite \(free some space and try again\)$/);
    assert.equal((error.cause as {code?: string}).code, "SQLITE_FULL");
    store.close();
    assertAfterFull(file, conversationId, answerId, savedLength);
});

test("a database on a read-only file system is refused at open with readOnly, and left as it was", (t) => {
    const tmpfs = mountTmpfs(4 * 1024 * 1024);
    if (typeof tmpfs === "string") {
        t.skip(tmpfs);
        return;
    }
    const file = path.join(tmpfs.dir, "tandem.sqlite");
    const store = openStore(file);
    const c = store.createConversation({title: "kept"});
    store.close();
    const before = readFileSync(file);
    tmpfs.setReadOnly(true);
    const error = catchStoreError(() => openStore(file));
    assert.equal(error.kind, "readOnly");
    assert.equal(error.message, `Tandem cannot write its chat database ${file} (the file system is read-only)`);
    const fresh = catchStoreError(() => openStore(path.join(tmpfs.dir, "new", "tandem.sqlite")));
    assert.equal(fresh.kind, "readOnly", "nor can a new database be made there");
    assert.deepEqual(readFileSync(file), before);
    tmpfs.setReadOnly(false);
    const reopened = openStore(file);
    assert.equal(reopened.getConversation(c.id).title, "kept");
    reopened.close();
});

test("a file the user may not write is refused with readOnly (runs as a non-root user only)", (t) => {
    if (process.getuid?.() === 0) {
        t.skip("root may write any file, so a read-only mode proves nothing here (the tmpfs test covers it)");
        return;
    }
    const file = path.join(tempDir(), "tandem.sqlite");
    openStore(file).close();
    chmodSync(file, 0o444);
    const error = catchStoreError(() => openStore(file));
    assert.equal(error.kind, "readOnly");
    assert.match(error.message, /permission denied|read-only/);
});

test("a write refused by a connection SQLite opened read-only gives readOnly and changes nothing", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    const writable = openStore(file);
    const c = writable.createConversation({title: "before"});
    writable.close();
    const store = new SqliteChatStore(new Database(file, {readonly: true}), file);
    assert.equal(store.getConversation(c.id).title, "before");
    const error = catchStoreError(() => store.renameConversation(c.id, "after"));
    assert.equal(error.kind, "readOnly");
    assert.match(error.message, /^Tandem cannot write its chat database .*tandem\.sqlite \(.+\)$/);
    store.close();
    assertIntact(file);
    const reopened = openStore(file);
    assert.equal(reopened.getConversation(c.id).title, "before");
    reopened.close();
});

test("a database another process holds the write lock on gives locked after the busy timeout; reads go on", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    const store = openStore(file);
    const c = store.createConversation({title: "shared"});
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    try {
        assert.equal(store.getConversation(c.id).title, "shared", "WAL readers never wait for a writer");
        const started = Date.now();
        const error = catchStoreError(() => store.addMessage({conversationId: c.id, role: "user", content: "hi", status: "done"}));
        assert.equal(error.kind, "locked");
        assert.equal(error.message, `the chat database ${file} is in use by another program (is Tandem already running?)`);
        assert.ok(Date.now() - started >= 2500, "it waited for the lock before giving up");
    } finally {
        other.exec("ROLLBACK");
        other.close();
    }
    store.addMessage({conversationId: c.id, role: "user", content: "hi", status: "done"});
    store.close();
});
