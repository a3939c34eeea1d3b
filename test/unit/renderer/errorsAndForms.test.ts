import assert from "node:assert/strict";
import {test} from "node:test";
import {ServiceError, optionDefaults, optionTable, type Settings} from "../../../src-shared/index.ts";
import {errorCode, errorText} from "../../../src-renderer/lib/errors.ts";
import {conversationOptions, effectiveSettings, fieldText, readField, withOverride} from "../../../src-renderer/lib/settingsForm.ts";
import {snippetParts, sortConversations, titleFromMessage} from "../../../src-renderer/lib/conversations.ts";

test("service errors become sentences with a hint for the codes a user can act on", () => {
    const busy = new ServiceError("busy", "another answer is being written");
    assert.equal(errorCode(busy), "busy");
    assert.equal(
        errorText(busy, "send the message"),
        "Could not send the message: Another answer is being written. Wait for it to finish or press Stop."
    );
    assert.equal(
        errorText(new ServiceError("noPair", "no model pair is loaded")),
        "No model pair is loaded: choose an expert and an amateur under Models and press Load."
    );
    // A ServiceError that crossed a transport arrives as a plain object with code and message.
    assert.match(errorText({code: "engineCrashed", message: "the engine process exited (signal SIGKILL)"}), /load the pair again/);
    assert.equal(errorText(new Error("disk full")), "Disk full.");
    assert.equal(errorText("offline"), "Offline.");
    assert.equal(errorText(undefined), "Something went wrong without an explanation.");
    assert.equal(errorCode({code: "made-up"}), null);
});

test("every option's default reads back as itself, and bad input names the field", () => {
    const defaults = optionDefaults() as Record<string, unknown>;
    for (const spec of optionTable) {
        const raw = spec.kind === "boolean" ? (defaults[spec.key] as boolean) : fieldText(defaults[spec.key]);
        const result = readField(spec, raw);
        assert.ok(result.ok, `${spec.key}: ${result.ok ? "" : result.problem}`);
        assert.equal(result.value, defaults[spec.key], spec.key);
    }
    const gamma = optionTable.find((o) => o.key === "gamma")!;
    assert.deepEqual(readField(gamma, "0"), {ok: false, problem: "Draft length γ must be auto or a whole number from 1 to 64"});
    assert.deepEqual(readField(gamma, "2.5"), {ok: false, problem: "Draft length γ must be auto or a whole number from 1 to 64"});
    assert.deepEqual(readField(gamma, "Auto"), {ok: true, value: "auto"});
    assert.deepEqual(readField(gamma, "four"), {ok: false, problem: 'Draft length γ must be a number, not "four"'});
    assert.deepEqual(readField(gamma, " "), {ok: false, problem: "Draft length γ needs a value"});
    assert.deepEqual(readField(gamma, "8"), {ok: true, value: 8});
    const seed = optionTable.find((o) => o.key === "seed")!;
    assert.deepEqual(readField(seed, ""), {ok: true, value: null});
    const temperature = optionTable.find((o) => o.key === "temperature")!;
    assert.deepEqual(readField(temperature, "0.7"), {ok: true, value: 0.7});
    assert.equal(readField(temperature, "11").ok, false);
});

test("a chat overrides per-answer options only; its settings are the overrides over the defaults", () => {
    assert.deepEqual(
        conversationOptions.map((o) => o.key).sort(),
        optionTable
            .filter((o) => o.scope !== "load" && o.scope !== "server")
            .map((o) => o.key)
            .sort()
    );
    assert.ok(!conversationOptions.some((o) => o.key === "contextSize" || o.key === "threads"));
    const defaults = optionDefaults() as unknown as Settings;
    const overrides = withOverride(withOverride({}, "mode", "cd"), "temperature", 0.8);
    assert.deepEqual(overrides, {mode: "cd", temperature: 0.8});
    assert.deepEqual(withOverride(overrides, "mode", undefined), {temperature: 0.8});
    const effective = effectiveSettings(defaults, overrides);
    assert.equal(effective.mode, "cd");
    assert.equal(effective.temperature, 0.8);
    assert.equal(effective.gamma, defaults.gamma);
    assert.deepEqual(effectiveSettings(defaults, null), defaults);
});

test("sidebar: newest chats first, search snippets as text pieces, titles from the first line", () => {
    const at = (updatedAt: string, id: string) => ({id, title: id, createdAt: "2026-11-01T00:00:00Z", updatedAt, pair: null, overrides: {}});
    const sorted = sortConversations([at("2026-11-02T00:00:00Z", "b"), at("2026-11-28T00:00:00Z", "c"), at("2026-11-01T00:00:00Z", "a")]);
    assert.deepEqual(
        sorted.map((c) => c.id),
        ["c", "b", "a"]
    );
    assert.deepEqual(snippetParts("a «dog» and <b>«cat»</b>"), [
        {text: "a ", match: false},
        {text: "dog", match: true},
        {text: " and <b>", match: false},
        {text: "cat", match: true},
        {text: "</b>", match: false}
    ]);
    assert.deepEqual(snippetParts("plain"), [{text: "plain", match: false}]);
    assert.equal(titleFromMessage("  Tell me   a story\nabout a dog"), "Tell me a story");
    assert.equal(titleFromMessage("x".repeat(100)).length, 60);
    assert.equal(titleFromMessage("   "), "New chat");
});
