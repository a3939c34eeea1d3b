/**
 * The settings form's logic over the option table: which options a conversation may override, reading a
 * field's raw input into a value (or a sentence saying what is wrong), and the effective settings of a chat.
 * Pure: no DOM.
 */
import {optionProblem, optionTable, type OptionKey, type OptionSpec, type Settings, type SettingsOverrides} from "../../src-shared/index.ts";

/**
 * Options a single conversation may set for itself: everything read per answer. Load options (head size,
 * context, threads, numerics, CPU) belong to the loaded pair, so they are global only.
 */
export const conversationOptions: readonly OptionSpec[] = optionTable.filter((o) => o.scope !== "load" && o.scope !== "server");

/** Every option, for the global defaults. */
export const globalOptions: readonly OptionSpec[] = optionTable.filter((o) => o.scope !== "server");

/** The local server's switch, address, port and key (global only; shown in their own section). */
export const serverOptions: readonly OptionSpec[] = optionTable.filter((o) => o.scope === "server");

export type FieldResult = {readonly ok: true; readonly value: Settings[OptionKey]} | {readonly ok: false; readonly problem: string};

/**
 * Reads a field: checkbox state for booleans, text otherwise. An empty number field means "pick one for me"
 * where the option's default is null (seed, threads). Problems use the option table's sentences with the
 * form's label.
 */
export function readField(spec: OptionSpec, raw: string | boolean): FieldResult {
    let value: unknown = raw;
    if (spec.kind === "boolean") value = raw === true;
    else if (typeof raw !== "string") value = raw;
    else if (spec.kind === "integer" || spec.kind === "number") {
        const text = raw.trim();
        if (text === "") {
            if (spec.kind === "integer" && spec.default === null) return {ok: true, value: null};
            return {ok: false, problem: `${spec.label} needs a value`};
        }
        if (spec.kind === "integer" && spec.acceptsAuto === true && text.toLowerCase() === "auto") return {ok: true, value: "auto"};
        value = Number(text);
        if (!Number.isFinite(value as number)) return {ok: false, problem: `${spec.label} must be a number, not "${text}"`};
    }
    const problem = optionProblem(spec, value);
    if (problem != null) return {ok: false, problem: problem.replace(spec.key, spec.label)};
    return {ok: true, value: value as Settings[OptionKey]};
}

/** The text a field shows for a value (null as empty). */
export function fieldText(value: unknown): string {
    return value == null ? "" : String(value);
}

/** The conversation's settings: its overrides over the global defaults. */
export function effectiveSettings(defaults: Settings, overrides: SettingsOverrides | null | undefined): Settings {
    const merged: Record<string, unknown> = {...defaults};
    for (const [key, value] of Object.entries(overrides ?? {})) if (value !== undefined) merged[key] = value;
    return merged as Settings;
}

/** `overrides` with `key` set to `value`, or removed when `value` is undefined (inputs unchanged). */
export function withOverride(overrides: SettingsOverrides, key: OptionKey, value: Settings[OptionKey] | undefined): SettingsOverrides {
    const next: Record<string, unknown> = {...overrides};
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next as SettingsOverrides;
}
