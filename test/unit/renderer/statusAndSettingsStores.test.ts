/// <reference types="svelte" />
/**
 * The status store (the session: connection, status, alerts and notices) and the settings store (global
 * settings, the highlighting preference in the browser's storage), compiled with Svelte's runes as the page
 * gets them, on a scripted connection.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import type {AppStatus, Settings} from "../../../src-shared/index.ts";
import {optionDefaults} from "../../../src-shared/index.ts";
import {importRunes} from "../../helpers/svelteRunes.ts";
import {refusal, ScriptedConnection} from "./scriptedConnection.ts";

type StatusModule = typeof import("../../../src-renderer/lib/stores/statusStore.svelte.ts");
type SettingsModule = typeof import("../../../src-renderer/lib/stores/settingsStore.svelte.ts");
const {StatusStore, KEEP_MESSAGES} = await importRunes<StatusModule>(
    new URL("../../../src-renderer/lib/stores/statusStore.svelte.ts", import.meta.url)
);
const {SettingsStore, HIGHLIGHT_KEY} = await importRunes<SettingsModule>(
    new URL("../../../src-renderer/lib/stores/settingsStore.svelte.ts", import.meta.url)
);

const ready: AppStatus = {
    engine: {state: "ready", pair: {expertPath: "/m/e.gguf", amateurPath: "/m/a.gguf"}, backend: "CPU", contextSize: 2048, memoryBytes: 1000},
    busy: false,
    calibration: {state: "none"},
    version: "0.1.0"
} as AppStatus;

test("a service that cannot be reached: the reason in words, no connection", async () => {
    const status = new StatusStore();
    const ok = await status.connect(async () => {
        throw refusal("disconnected", "could not connect to Tandem's API");
    });
    assert.equal(ok, false);
    assert.equal(status.connection, null);
    assert.match(status.connectionError ?? "", /^Could not reach the Tandem service: Could not connect to Tandem's API\./);
    assert.throws(() => status.api, /not connected/);
});

test("status: what the engine says, derived for the views", async () => {
    const connection = new ScriptedConnection({getStatus: async () => ready});
    const status = new StatusStore();
    await status.connect(async () => connection);
    assert.equal(status.pairReady, false);
    assert.equal(await status.refresh(), true);
    assert.equal(status.pairReady, true);
    assert.equal(status.contextSize, 2048);
    assert.equal(status.engine?.state, "ready");
    status.status = {...ready, engine: {state: "idle"}} as AppStatus;
    assert.equal(status.contextSize, null);
});

test("alerts and notices: failures in words, the newest kept, each dismissable", async () => {
    const connection = new ScriptedConnection({
        getStatus: async () => {
            throw refusal("engineCrashed", "the engine exited");
        }
    });
    const status = new StatusStore();
    await status.connect(async () => connection);
    assert.equal(await status.refresh(), false);
    assert.deepEqual(
        status.alerts.map((a) => a.text),
        ["Could not read the status: The engine exited. The engine stopped unexpectedly: load the pair again to continue."]
    );
    for (let i = 0; i < KEEP_MESSAGES + 2; i++) status.alert(`alert ${i}`);
    assert.equal(status.alerts.length, KEEP_MESSAGES);
    assert.equal(status.alerts.at(-1)!.text, `alert ${KEEP_MESSAGES + 1}`);
    status.dismissAlert(status.alerts[0]!.id);
    assert.equal(status.alerts.length, KEEP_MESSAGES - 1);

    status.notice("c1", "The oldest 2 turns were left out.");
    status.notice(null, "Reconnected to Tandem.");
    assert.deepEqual(
        status.notices.map((n) => n.conversationId),
        ["c1", null]
    );
    status.dismissNotice(status.notices[0]!.id);
    assert.deepEqual(
        status.notices.map((n) => n.text),
        ["Reconnected to Tandem."]
    );
});

test("settings: loaded and saved through the service; highlighting remembered in the page's storage", async () => {
    const defaults = optionDefaults() as Settings;
    const connection = new ScriptedConnection({getSettings: async () => defaults, updateSettings: async (changes) => ({...defaults, ...changes})});
    const status = new StatusStore();
    await status.connect(async () => connection);
    const stored = new Map<string, string>([[HIGHLIGHT_KEY, "1"]]);
    const storage = {getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v)};
    const settings = new SettingsStore(status, storage);
    assert.equal(settings.highlightTokens, true, "read from storage at start");
    assert.equal(await settings.load(), true);
    assert.equal(settings.settings?.mode, defaults.mode);
    assert.equal(await settings.update({temperature: 0.7}), true);
    assert.equal(settings.settings?.temperature, 0.7);
    settings.setHighlightTokens(false);
    assert.equal(stored.get(HIGHLIGHT_KEY), "0");

    // Storage that throws (a private window) leaves the toggle working for the session.
    const broken = {
        getItem: (): string | null => {
            throw new Error("denied");
        },
        setItem: (): void => {
            throw new Error("denied");
        }
    };
    const withoutStorage = new SettingsStore(status, broken);
    assert.equal(withoutStorage.highlightTokens, false);
    withoutStorage.setHighlightTokens(true);
    assert.equal(withoutStorage.highlightTokens, true);
});
