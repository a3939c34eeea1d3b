/**
 * Option values typed as text (the command line, later a config file): strict decimal parsing against an
 * OptionSpec, and the one phrase that describes what a spec accepts. Pure: no I/O.
 *
 * Strict means what a person would write: "0.5", "-1", "1e-3", "256". Not hex ("0x10" is not 16), not
 * "Infinity", not an empty string, not "1_000", not " 4 ".
 */
import type {OptionSpec} from "./optionTable.ts";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const WHOLE = /^[+-]?\d+$/;

/** What parsing needs of a spec: an OptionSpec, or a command's own flag (a path, the prompt) of the same shape. */
export type ValueSpec = OptionSpec extends infer S ? (S extends OptionSpec ? Omit<S, "key" | "scope" | "label"> : never) : never;

export type ParsedOption = {readonly ok: true; readonly value: number | string | boolean} | {readonly ok: false; readonly problem: string};

/** "a whole number from 1 to 64", "one of scd, sd, cd", ...: what `spec` accepts, for messages and help. */
export function acceptedText(spec: ValueSpec): string {
    switch (spec.kind) {
        case "integer":
            return `${spec.acceptsAuto === true ? "auto or " : ""}a whole number${rangeText(spec.min, spec.max)}`;
        case "number":
            return `a number${rangeText(spec.min, spec.max)}`;
        case "enum":
            return `one of ${spec.choices.join(", ")}`;
        case "boolean":
            return "true or false";
        case "string":
            return `text of at most ${spec.maxLength} characters`;
    }
}

/** Bounds at or past ±2^53 are no bound at all for a person typing a number. */
function rangeText(min: number, max: number): string {
    const low = min > Number.MIN_SAFE_INTEGER;
    const high = max < Number.MAX_SAFE_INTEGER;
    if (low && high) return ` from ${min} to ${max}`;
    if (low) return ` ≥ ${min}`;
    if (high) return ` ≤ ${max}`;
    return "";
}

/** Whether `text` is written as a number at all (decides whether "-1" after a flag is its value). */
export function looksNumeric(text: string): boolean {
    return DECIMAL.test(text);
}

/**
 * Parses `text` as a value of `spec`; the problem names the option as `name` (a flag such as "--beta") and
 * quotes what was given.
 */
export function parseOptionText(spec: ValueSpec, text: string, name: string = spec.flag): ParsedOption {
    const wrong = (): ParsedOption => ({ok: false, problem: `${name} must be ${acceptedText(spec)}, got ${JSON.stringify(text)}`});
    switch (spec.kind) {
        case "integer": {
            if (text === "auto" && spec.acceptsAuto === true) return {ok: true, value: "auto"};
            if (!WHOLE.test(text)) return wrong();
            const value = Number(text);
            return value < spec.min || value > spec.max ? wrong() : {ok: true, value};
        }
        case "number": {
            if (!DECIMAL.test(text)) return wrong();
            const value = Number(text);
            return !Number.isFinite(value) || value < spec.min || value > spec.max ? wrong() : {ok: true, value};
        }
        case "enum":
            return spec.choices.includes(text) ? {ok: true, value: text} : wrong();
        case "boolean":
            return text === "true" || text === "false" ? {ok: true, value: text === "true"} : wrong();
        case "string":
            return text.length > spec.maxLength
                ? {ok: false, problem: `${name} is ${text.length} characters long; at most ${spec.maxLength} are allowed`}
                : {ok: true, value: text};
    }
}
