/**
 * The API over a real WebSocket (the web server's /api, birpc on both ends) against a small in-memory service:
 * typed calls round-trip; events stream in order to every client; every function's malformed payload is
 * refused with the same sentence validateRequest gives, never reaches the service, and the server keeps
 * serving; refusals keep their codes; an unexpected failure becomes "internal" without a stack; malformed
 * frames (not JSON, binary, bad envelopes, inherited names) are refused or dropped without harm; a closed link
 * rejects pending calls with "disconnected" and unsubscribes from the service.
 */
import assert from "node:assert/strict";
import {after, before, test} from "node:test";
import {ServiceError, serviceFunctionNames, type GenerationEvent, type ServiceEvent, type ServiceFunctionName} from "../../../src-shared/index.ts";
import {validateRequest} from "../../../src-main/transports/requestSchemas.ts";
import {createMemoryService, type MemoryService} from "../../helpers/memoryService.ts";
import {connectClient, exchange, openSocket, startTestServer} from "../../helpers/server.ts";

let service: MemoryService;
let server: Awaited<ReturnType<typeof startTestServer>>;

before(async () => {
    service = createMemoryService();
    server = await startTestServer(service);
});
after(async () => {
    await server.close();
});

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
    try {
        await promise;
    } catch (error) {
        assert.ok(error instanceof ServiceError, `a ServiceError, not ${String(error)}`);
        return error;
    }
    assert.fail("the call succeeded");
}

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
    const start = Date.now();
    while (!condition()) {
        if (Date.now() - start > ms) assert.fail("timed out waiting");
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

test("typed calls round-trip their arguments and results", async () => {
    const client = await connectClient(server);
    try {
        const created = await client.api.createConversation({title: "  Stories "});
        assert.equal(created.title, "Stories", "the validated (trimmed) arguments reach the service");
        const fetched = await client.api.getConversation({id: created.id});
        assert.deepEqual(fetched, {conversation: created, messages: []});
        const settings = await client.api.updateSettings({gamma: 2, seed: 7});
        assert.equal(settings.gamma, 2);
        assert.equal(settings.seed, 7);
        assert.equal((await client.api.getStatus()).engine.state, "idle");
    } finally {
        client.close();
    }
});

test("events stream in order to every connected client", async () => {
    const first = await connectClient(server);
    const second = await connectClient(server);
    try {
        const seen: [GenerationEvent[], GenerationEvent[]] = [[], []];
        first.subscribe((e) => e.type === "generation" && seen[0].push(e.event));
        second.subscribe((e) => e.type === "generation" && seen[1].push(e.event));
        const {id} = await first.api.createConversation({});
        const {assistantMessageId} = await first.api.sendMessage({conversationId: id, text: "Once"});
        await waitFor(() => seen.every((events) => events.at(-1)?.kind === "finished"));
        for (const events of seen) {
            assert.deepEqual(
                events.map((e) => e.kind),
                ["started", "delta", "delta", "delta", "delta", "finished"]
            );
            const text = events.flatMap((e) => (e.kind === "delta" ? [e.text] : [])).join("");
            const finished = events.at(-1)!;
            assert.equal(finished.kind === "finished" && finished.message.content, text);
            assert.equal(finished.kind === "finished" && finished.message.id, assistantMessageId);
        }
    } finally {
        first.close();
        second.close();
    }
});

/** One malformed argument list per function: the wrong shape for each. */
const malformed: Record<ServiceFunctionName, unknown[]> = {
    getStatus: [1],
    listModels: ["x"],
    checkPair: [{expertPath: "/a"}],
    loadPair: [{}],
    unloadPair: [null],
    calibrate: [{}],
    getSettings: [0],
    updateSettings: [{gamma: 1000}],
    listConversations: [[]],
    createConversation: [{title: 5}],
    renameConversation: [{id: "c1"}],
    deleteConversation: [{}],
    getConversation: [{id: ""}],
    setConversationOverrides: [{id: "c1", overrides: {mode: "x"}}],
    searchMessages: [{query: null}],
    exportConversation: [{id: "c1", format: "pdf"}],
    sendMessage: [{conversationId: "c1"}],
    regenerate: [{conversationId: 1}],
    editAndResend: [{conversationId: "c1", messageId: "m1"}],
    stopGeneration: ["now"],
    compareModes: [{conversationId: "c1"}],
    listLibrary: [1],
    addModelFolder: [{}],
    removeModelFolder: [{path: 1}],
    addModelFile: [{path: ""}],
    removeModelFile: [[]],
    setSourceEnabled: [{id: "x"}],
    rescanLibrary: ["now"],
    pairVerdicts: [{expert: "/a"}],
    estimateFit: [{pair: {expertPath: "/a"}}],
    catalogue: [{}],
    startDownload: [{uri: 7}],
    cancelDownload: [{}],
    resumeDownload: [{id: null}],
    listDownloads: [true],
    dismissDownload: [{id: ""}],
    getLibrarySettings: [1],
    updateLibrarySettings: [{downloadDir: 1}]
};

test("every function's malformed payload is refused with a clear sentence, and the server keeps serving", async () => {
    const client = await connectClient(server);
    try {
        assert.deepEqual(Object.keys(malformed).sort(), [...serviceFunctionNames].sort());
        for (const name of serviceFunctionNames) {
            const before = service.calls.length;
            const call = client.api[name] as (...args: unknown[]) => Promise<unknown>;
            const error = await rejection(call(...malformed[name]));
            assert.equal(error.code, "invalidRequest", name);
            let expected = "";
            try {
                validateRequest(name, malformed[name]);
            } catch (e) {
                expected = (e as Error).message;
            }
            assert.equal(error.message, expected, name);
            assert.match(error.message, new RegExp(`^${name}`));
            assert.equal(service.calls.length, before, `${name}: a refused request never reaches the service`);
            assert.equal((await client.api.getStatus()).version, "test", `still serving after ${name}`);
        }
    } finally {
        client.close();
    }
});

test("the service's refusals keep their codes and sentences", async () => {
    const client = await connectClient(server);
    try {
        const missing = await rejection(client.api.getConversation({id: "nope"}));
        assert.deepEqual([missing.code, missing.message], ["notFound", "there is no conversation nope"]);
        assert.equal((await rejection(client.api.loadPair({expertPath: "/a", amateurPath: "/b"}))).code, "incompatiblePair");
        assert.equal((await rejection(client.api.stopGeneration())).code, "busy");
    } finally {
        client.close();
    }
});

test('an unexpected failure becomes "internal" with one sentence and no stack', async () => {
    const client = await connectClient(server);
    try {
        const error = await rejection(client.api.calibrate());
        assert.equal(error.code, "internal");
        assert.equal(error.message, "the service failed unexpectedly: Cannot read properties of undefined (reading 'expert')");
        assert.doesNotMatch(error.message, /secret|\n|at calibrate/);
        assert.ok(
            server.logs.some((line) => line.includes("calibrate failed") && line.includes("TypeError")),
            "the full error is logged on the server"
        );
    } finally {
        client.close();
    }
});

test("malformed frames are refused (when they carry an id) or dropped, and never break the connection", async () => {
    const socket = await openSocket(server);
    try {
        // No usable id: dropped, nothing comes back.
        for (const frame of ["not json", "[1,2]", "null", "42", JSON.stringify({t: "x"}), JSON.stringify({t: "q", m: "getStatus", a: [], i: 5})]) {
            assert.equal(await exchange(socket, frame, 150), null, frame);
        }
        assert.equal(await exchange(socket, Buffer.from([1, 2, 3]), 150), null, "binary frame");
        // With an id: answered with an invalidRequest error.
        const refusals: [object, string][] = [
            [{t: "q", i: "r1", m: "getStatus", a: "x"}, "getStatus: the arguments must be a list"],
            [{t: "q", i: "r2", a: []}, 'a request must name its function in "m"'],
            [{t: "q", i: "r3", m: "__proto__", a: []}, 'unknown request "__proto__"'],
            [{t: "q", i: "r4", m: "toString", a: []}, 'unknown request "toString"'],
            [{t: "q", i: "r5", m: "constructor", a: []}, 'unknown request "constructor"'],
            [{t: "q", i: "r6", m: "subscribe", a: []}, 'unknown request "subscribe"'],
            [{t: "q", i: "r7", m: "sendMessage", a: [{conversationId: "c1", text: ""}]}, "sendMessage: text must not be empty"]
        ];
        for (const [frame, message] of refusals) {
            const reply = await exchange(socket, JSON.stringify(frame));
            assert.deepEqual(reply, {t: "s", i: (frame as {i: string}).i, e: {code: "invalidRequest", message}});
        }
        // A stray response frame is ignored; the connection still answers a good request.
        assert.equal(await exchange(socket, JSON.stringify({t: "s", i: "unknown", r: 1}), 150), null);
        const reply = (await exchange(socket, JSON.stringify({t: "q", i: "ok1", m: "getStatus", a: []}))) as {i: string; r: {version: string}};
        assert.equal(reply.i, "ok1");
        assert.equal(reply.r.version, "test");
        assert.ok(server.logs.some((line) => line.startsWith("dropped a frame that is not JSON")));
    } finally {
        socket.close();
    }
});

test('a closed link rejects pending calls with "disconnected" and unsubscribes from the service', async () => {
    await waitFor(() => server.connectionCount() === 0);
    await waitFor(() => service.listenerCount() === 0);
    const client = await connectClient(server);
    const {id} = await client.api.createConversation({});
    assert.equal(service.listenerCount(), 1);
    const pending = client.api.regenerate({conversationId: id});
    await waitFor(() => service.calls.at(-1) === "regenerate");
    client.close();
    const error = await rejection(pending);
    assert.equal(error.code, "disconnected");
    assert.equal((await rejection(client.api.getStatus())).code, "disconnected");
    await waitFor(() => service.listenerCount() === 0);
    // The held call finishing after the link closed must not disturb the server.
    service.releaseHeldCalls();
    const next = await connectClient(server);
    assert.equal((await next.api.getStatus()).version, "test");
    const events: ServiceEvent[] = [];
    next.subscribe((e) => events.push(e));
    await next.api.createConversation({});
    await waitFor(() => events.some((e) => e.type === "conversations"));
    next.close();
});
