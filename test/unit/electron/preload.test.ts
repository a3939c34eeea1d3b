/**
 * The built preload bundle (dist/electron/preload.cjs as `npm start` builds it), run where Electron cannot:
 * in a fresh V8 context whose `require` offers only "electron", as a sandboxed preload's does. Electron's
 * contextBridge and IPC are stood in for by a recorder and a structured-clone loop to a real serveApi over
 * the in-memory service (the Electron binary is absent here; the smoke test covers the real thing where it
 * exists). Proves: the bundle needs no other module; it exposes exactly one named function per ServiceApi
 * function plus onEvent and nothing generic; calls round-trip as BridgeResults; errors keep their codes;
 * malformed payloads are refused; events reach onEvent listeners until they unsubscribe.
 */
import assert from "node:assert/strict";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {runInNewContext} from "node:vm";
import {before, test} from "node:test";
import {serviceFunctionNames, type ServiceEvent, type TandemBridge, type FrameChannel} from "../../../src-shared/index.ts";
import {buildElectron} from "../../../src-main/electron/build.ts";
import {RPC_CHANNEL} from "../../../src-main/electron/electronApi.ts";
import {serveApi} from "../../../src-main/transports/serveApi.ts";
import {createMemoryService} from "../../helpers/memoryService.ts";

let bridge: TandemBridge;
const exposed: string[] = [];
const required: string[] = [];

before(async () => {
    const {outDir} = await buildElectron(mkdtempSync(path.join(tmpdir(), "tandem-electron-")));
    const code = readFileSync(path.join(outDir, "preload.cjs"), "utf8");

    // The main process's end: a real serveApi. IPC carries frames by structured clone, asynchronously.
    const toPreload: ((event: unknown, frame: unknown) => void)[] = [];
    let toMain: ((frame: unknown) => void) | null = null;
    const mainChannel: FrameChannel = {
        send: (frame) => setImmediate(() => toPreload.forEach((listener) => listener({}, structuredClone(frame)))),
        onFrame: (listener) => (toMain = listener),
        onClose: () => {},
        close: () => {}
    };
    serveApi(createMemoryService(), mainChannel);

    const electron = {
        contextBridge: {
            exposeInMainWorld(key: string, api: TandemBridge) {
                exposed.push(key);
                bridge = api;
            }
        },
        ipcRenderer: {
            send(channel: string, frame: unknown) {
                assert.equal(channel, RPC_CHANNEL);
                setImmediate(() => toMain?.(structuredClone(frame)));
            },
            on(channel: string, listener: (event: unknown, frame: unknown) => void) {
                assert.equal(channel, RPC_CHANNEL);
                toPreload.push(listener);
            },
            removeAllListeners() {
                toPreload.length = 0;
            }
        }
    };
    const module = {exports: {}};
    runInNewContext(code, {
        require: (name: string) => {
            required.push(name);
            if (name !== "electron") throw new Error(`a sandboxed preload cannot require ${name}`);
            return electron;
        },
        module,
        exports: module.exports,
        console,
        setTimeout,
        clearTimeout
    });
});

/** A value from the preload's V8 context as a plain object of this one (prototypes differ across contexts). */
function plain(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value));
}

test("the bundle requires only electron and exposes one bridge, as window.tandem", () => {
    assert.deepEqual([...new Set(required)], ["electron"]);
    assert.deepEqual(exposed, ["tandem"]);
});

test("the bridge is one named function per contract function plus onEvent, nothing generic", () => {
    assert.deepEqual(Object.keys(bridge).sort(), [...serviceFunctionNames, "onEvent"].sort());
    for (const [name, value] of Object.entries(bridge)) assert.equal(typeof value, "function", name);
    for (const generic of ["ipcRenderer", "send", "invoke", "call", "on", "$call"]) assert.equal(generic in bridge, false, generic);
});

test("calls round-trip as results, errors keep their codes, malformed payloads are refused", async () => {
    const status = await bridge.getStatus();
    assert.equal(status.ok && status.value.version, "test");
    const created = await bridge.createConversation({title: "Desk"});
    assert.ok(created.ok);
    assert.equal(created.value.title, "Desk");
    assert.deepEqual(plain(await bridge.getConversation({id: "nope"})), {
        ok: false,
        error: {code: "notFound", message: "there is no conversation nope"}
    });
    assert.deepEqual(plain(await bridge.sendMessage({conversationId: created.value.id} as never)), {
        ok: false,
        error: {code: "invalidRequest", message: "sendMessage: text is missing"}
    });
    const internal = await bridge.calibrate();
    assert.ok(!internal.ok);
    assert.equal(internal.error.code, "internal");
    assert.doesNotMatch(internal.error.message, /\n|secret/);
});

test("events reach onEvent listeners until they unsubscribe", async () => {
    const events: ServiceEvent[] = [];
    const unsubscribe = bridge.onEvent((event) => events.push(event));
    const created = await bridge.createConversation({});
    assert.ok(created.ok);
    await bridge.sendMessage({conversationId: created.value.id, text: "Once"});
    for (let i = 0; i < 200 && !events.some((e) => e.type === "generation" && e.event.kind === "finished"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const kinds = events.flatMap((e) => (e.type === "generation" ? [e.event.kind] : []));
    assert.deepEqual(kinds, ["started", "delta", "delta", "delta", "delta", "finished"]);
    unsubscribe();
    const seen = events.length;
    await bridge.createConversation({});
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(events.length, seen);
});
