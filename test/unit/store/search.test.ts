/**
 * Full-text search: the query builder (user text is never FTS5 syntax) and the store's search on a real
 * database: best matches first, «…»-marked snippets with the conversation's title, accents folded, prefix on the
 * last word, and an index that follows every insert, edit and delete (checked with FTS5's own integrity-check
 * against the messages table).
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import type Database from "better-sqlite3";
import {openDatabase} from "../../../src-main/store/database.ts";
import {ftsQuery} from "../../../src-main/store/searchQuery.ts";
import {SqliteChatStore} from "../../../src-main/store/sqliteStore.ts";
import {tempDir} from "../../helpers/tempFiles.ts";

test("ftsQuery quotes every word, ANDs them, makes the last a prefix, and drops words with no letter or digit", () => {
    assert.equal(ftsQuery("hello"), '"hello"*');
    assert.equal(ftsQuery("  red   fox "), '"red" "fox"*');
    assert.equal(ftsQuery("NOT fox"), '"NOT" "fox"*');
    assert.equal(ftsQuery('say "hi"'), '"say" """hi"""*');
    assert.equal(ftsQuery("a - b"), '"a" "b"*');
    assert.equal(ftsQuery("   "), null);
    assert.equal(ftsQuery("*** ()"), null);
});

function storeWithDb(): {store: SqliteChatStore; db: Database.Database} {
    const file = path.join(tempDir(), "tandem.sqlite");
    const db = openDatabase(file);
    return {store: new SqliteChatStore(db, file), db};
}

/** FTS5's own check that the index matches the messages table exactly (throws SQLITE_CORRUPT_VTAB if not). */
function checkIndex(db: Database.Database): void {
    db.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
}

test("search finds messages across conversations, best match first, with marked snippets and titles", () => {
    const {store, db} = storeWithDb();
    const stories = store.createConversation({title: "Stories"});
    const recipes = store.createConversation({title: "Recipes"});
    const once = store.addMessage({conversationId: stories.id, role: "user", content: "Tell me about a dragon.", status: "done"});
    const many = store.addMessage({
        conversationId: stories.id,
        role: "assistant",
        content: "The dragon slept. The dragon woke. The dragon flew over the dragon's cave.",
        status: "done"
    });
    const cafe = store.addMessage({conversationId: recipes.id, role: "user", content: "A café au lait, please, and a crème brûlée.", status: "done"});

    const dragons = store.search("dragon");
    assert.deepEqual(
        dragons.map((hit) => hit.messageId),
        [many.id, once.id],
        "more occurrences in a shorter text rank first (bm25)"
    );
    assert.equal(dragons[0]!.conversationTitle, "Stories");
    assert.equal(dragons[0]!.conversationId, stories.id);
    assert.equal(dragons[1]!.snippet, "Tell me about a «dragon».");

    assert.deepEqual(
        store.search("cafe creme").map((hit) => hit.messageId),
        [cafe.id],
        "accents are folded"
    );
    assert.match(store.search("cafe")[0]!.snippet, /A «café» au lait/);
    assert.deepEqual(
        store
            .search("drag")
            .map((hit) => hit.messageId)
            .sort(),
        [many.id, once.id].sort(),
        "the last word is a prefix"
    );
    assert.deepEqual(
        store.search("dragon cave").map((hit) => hit.messageId),
        [many.id],
        "every word must occur"
    );
    assert.deepEqual(
        store.search("dragon", 1).map((hit) => hit.messageId),
        [many.id]
    );
    checkIndex(db);
    store.close();
});

test("FTS5 syntax in user input is plain text: no query errors", () => {
    const {store} = storeWithDb();
    const c = store.createConversation({title: "c"});
    const m = store.addMessage({conversationId: c.id, role: "user", content: "use C++ and NOT Java (or OR AND) with col:value", status: "done"});
    for (const query of ['"', '"unbalanced', "NOT", "AND OR", "(", "col:value", "java*", "NEAR(a b)", "^start", "c++", "{x}", "-x", "'"]) {
        assert.doesNotThrow(() => store.search(query), query);
    }
    assert.deepEqual(
        store.search("NOT java").map((hit) => hit.messageId),
        [m.id],
        "NOT is a word, not an operator"
    );
    assert.deepEqual(
        store.search("col:value").map((hit) => hit.messageId),
        [m.id]
    );
    assert.deepEqual(store.search("***"), []);
    store.close();
});

test("the index follows streaming edits, truncation and deletes of whole conversations", () => {
    const {store, db} = storeWithDb();
    const c = store.createConversation({title: "c"});
    const answer = store.addMessage({conversationId: c.id, role: "assistant", content: "", status: "streaming"});
    for (const text of ["The wizard", "The wizard cast a spell", "The wizard cast a spell on the kettle."])
        store.updateMessage(answer.id, {content: text});
    assert.deepEqual(
        store.search("kettle").map((hit) => hit.messageId),
        [answer.id]
    );
    store.updateMessage(answer.id, {content: "Rewritten entirely."});
    assert.deepEqual(store.search("wizard"), []);
    store.updateMessage(answer.id, {status: "done"});
    assert.deepEqual(
        store.search("rewritten").map((hit) => hit.messageId),
        [answer.id]
    );
    checkIndex(db);

    const later = store.addMessage({conversationId: c.id, role: "user", content: "unicorn", status: "done"});
    store.deleteMessagesFrom(c.id, later.id, true);
    assert.deepEqual(store.search("unicorn"), []);
    const other = store.createConversation({title: "other"});
    store.addMessage({conversationId: other.id, role: "user", content: "unicorn again", status: "done"});
    store.deleteConversation(c.id);
    assert.deepEqual(store.search("rewritten"), [], "a conversation's cascade delete leaves the index");
    assert.equal(store.search("unicorn").length, 1);
    checkIndex(db);
    store.close();
});

test("the integrity check above does catch an index out of step with its messages", () => {
    const {store, db} = storeWithDb();
    const c = store.createConversation({title: "c"});
    const m = store.addMessage({conversationId: c.id, role: "user", content: "first words", status: "done"});
    db.exec("DROP TRIGGER messages_fts_update");
    db.prepare("UPDATE messages SET content = 'other words' WHERE id = ?").run(m.id);
    assert.throws(() => checkIndex(db), /fts5: checksum mismatch/);
    store.close();
});
