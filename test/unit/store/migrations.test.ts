/**
 * Schema migrations on real database files: an empty file gets every step, a reopen applies nothing again, a
 * later step upgrades a file in place keeping its data, a failing step leaves the file at its old version, and
 * files of a newer Tandem, of another program, or that are not databases are refused with one sentence and
 * left byte for byte as they were.
 */
import assert from "node:assert/strict";
import {readFileSync, writeFileSync} from "node:fs";
import path from "node:path";
import {test} from "node:test";
import Database from "better-sqlite3";
import {StoreError} from "../../../src-main/store/chatStore.ts";
import {openDatabase} from "../../../src-main/store/database.ts";
import {type Migration, migrations, TANDEM_APPLICATION_ID} from "../../../src-main/store/migrations.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";
import {tempDir} from "../../helpers/tempFiles.ts";

/** A second step for the tests: a table that counts how many times the step ran. */
const countingStep: Migration = {
    version: migrations.length + 1,
    description: "test step",
    sql: "CREATE TABLE step_runs (n INTEGER); INSERT INTO step_runs VALUES (1);"
};

function tables(db: Database.Database): string[] {
    return (db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table') ORDER BY name").all() as {name: string}[]).map((r) => r.name);
}

function assertStoreError(work: () => unknown, kind: string, pattern: RegExp): void {
    assert.throws(work, (error: unknown) => {
        assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
        assert.equal(error.kind, kind);
        assert.match(error.message, pattern);
        return true;
    });
}

test("an empty file (in folders that do not exist yet) gets the whole schema, WAL, foreign keys and NORMAL sync", () => {
    const file = path.join(tempDir(), "a", "b", "tandem.sqlite");
    const db = openDatabase(file);
    try {
        assert.equal(db.pragma("user_version", {simple: true}), migrations.length);
        assert.equal(db.pragma("application_id", {simple: true}), TANDEM_APPLICATION_ID);
        assert.equal(db.pragma("journal_mode", {simple: true}), "wal");
        assert.equal(db.pragma("foreign_keys", {simple: true}), 1);
        assert.equal(db.pragma("synchronous", {simple: true}), 1, "1 is NORMAL");
        const names = tables(db);
        for (const table of ["conversations", "messages", "messages_fts", "settings", "speed_baselines"]) assert.ok(names.includes(table), table);
        assert.deepEqual(db.pragma("integrity_check"), [{integrity_check: "ok"}]);
    } finally {
        db.close();
    }
});

test("reopening applies no step again; a new step upgrades the file in place and keeps its data", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    const store = openStore(file);
    const conversation = store.createConversation({title: "kept"});
    store.close();

    const upgraded = openDatabase(file, [...migrations, countingStep]);
    assert.equal(upgraded.pragma("user_version", {simple: true}), countingStep.version);
    upgraded.close();
    const reopened = openDatabase(file, [...migrations, countingStep]);
    try {
        assert.deepEqual(reopened.prepare("SELECT count(*) AS n FROM step_runs").get(), {n: 1}, "the step ran once over two opens");
        assert.deepEqual(reopened.prepare("SELECT title FROM conversations WHERE id = ?").get(conversation.id), {title: "kept"});
    } finally {
        reopened.close();
    }
});

test("a step that fails leaves the file at its old version with none of the step's changes", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    openStore(file).close();
    const broken: Migration = {
        version: migrations.length + 1,
        description: "broken",
        sql: "CREATE TABLE half (a); INSERT INTO missing_table VALUES (1);"
    };
    assertStoreError(() => openDatabase(file, [...migrations, broken]), "io", /no such table: missing_table/);
    const db = new Database(file, {readonly: true});
    try {
        assert.equal(db.pragma("user_version", {simple: true}), migrations.length);
        assert.ok(!tables(db).includes("half"));
    } finally {
        db.close();
    }
});

test("a database from a newer Tandem is refused, naming the file and both versions, and left untouched", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    openStore(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 5}`);
    raw.close();
    const before = readFileSync(file);
    assertStoreError(
        () => openStore(file),
        "tooNew",
        new RegExp(
            `${file.replaceAll("/", "\\/")} was written by a newer version of Tandem \\(schema ${migrations.length + 5}; this version knows up to ${migrations.length}\\)`
        )
    );
    assert.deepEqual(readFileSync(file), before);
});

test("another program's SQLite file is refused and never migrated", () => {
    const file = path.join(tempDir(), "other.sqlite");
    const raw = new Database(file);
    raw.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY); INSERT INTO photos VALUES (7);");
    raw.close();
    const before = readFileSync(file);
    assertStoreError(() => openStore(file), "corrupt", /other\.sqlite is not a Tandem chat database/);
    assert.deepEqual(readFileSync(file), before);
});

test("a file that is not a database at all is refused as damaged and left as it was", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    writeFileSync(file, "these are somebody's notes, not a database\n".repeat(100));
    const before = readFileSync(file);
    assertStoreError(() => openStore(file), "corrupt", /tandem\.sqlite is damaged or is not a Tandem database \(file is not a database\)/);
    assert.deepEqual(readFileSync(file), before);
});

test("steps must be numbered 1, 2, 3, …", () => {
    const file = path.join(tempDir(), "tandem.sqlite");
    assert.throws(() => openDatabase(file, [{...countingStep, version: 7}]), /migration 1 is numbered 7/);
});
