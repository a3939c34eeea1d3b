/**
 * "New chat" (createConversation without a title) reuses the untouched empty chat instead of adding another
 * each click (issue 15, item 8): the real service over a real SQLite store, with no engine (a launcher that
 * fails if anything starts one).
 */
import assert from "node:assert/strict";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {test} from "node:test";
import {createService} from "../../../src-main/service/index.ts";
import {DATABASE_FILE_NAME} from "../../../src-main/store/dataDir.ts";
import {openStore} from "../../../src-main/store/sqliteStore.ts";

async function serviceWithoutEngine(dataDir = mkdtempSync(path.join(tmpdir(), "tandem-new-chat-"))) {
    return createService({
        dataDir,
        modelsDirs: [],
        demoModelsDir: mkdtempSync(path.join(tmpdir(), "tandem-no-models-")),
        engineLauncher: {
            launch() {
                throw new Error("this test starts no engine");
            }
        }
    });
}

test("New chat clicked again and again leaves one empty chat, at the top", async () => {
    const service = await serviceWithoutEngine();
    try {
        const older = await service.createConversation({title: "Older chat"});
        const first = await service.createConversation({});
        const again = await service.createConversation({});
        const third = await service.createConversation({});
        assert.equal(again.id, first.id);
        assert.equal(third.id, first.id);
        assert.ok(third.updatedAt >= first.updatedAt);
        const list = await service.listConversations();
        assert.deepEqual(
            list.map((c) => c.title),
            ["New chat", "Older chat"]
        );
        assert.equal(list[0]!.id, first.id);
        assert.notEqual(older.id, first.id);
    } finally {
        await service.close();
    }
});

test("a chat with messages, its own title or its own settings is never reused; a titled request always creates", async () => {
    const service = await serviceWithoutEngine();
    try {
        const renamed = await service.createConversation({});
        await service.renameConversation({id: renamed.id, title: "Kept empty on purpose"});
        const tuned = await service.createConversation({});
        assert.notEqual(tuned.id, renamed.id);
        await service.setConversationOverrides({id: tuned.id, overrides: {beta: 1}});
        const fresh = await service.createConversation({});
        assert.notEqual(fresh.id, renamed.id);
        assert.notEqual(fresh.id, tuned.id);
        const titled = await service.createConversation({title: "New chat"});
        assert.notEqual(titled.id, fresh.id, "a request with a title makes a new chat");
        assert.equal((await service.listConversations()).length, 4);
    } finally {
        await service.close();
    }
});

test("a chat that has a message is not reused", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "tandem-new-chat-"));
    let service = await serviceWithoutEngine(dataDir);
    const used = await service.createConversation({});
    await service.close();
    // A message as the service stores one (sending needs a loaded pair; this test has no engine).
    const store = openStore(path.join(dataDir, DATABASE_FILE_NAME));
    store.addMessage({conversationId: used.id, role: "user", content: "Once upon a time", status: "done"});
    store.close();
    service = await serviceWithoutEngine(dataDir);
    try {
        const next = await service.createConversation({});
        assert.notEqual(next.id, used.id);
        assert.equal((await service.createConversation({})).id, next.id);
    } finally {
        await service.close();
    }
});
