/**
 * Command-line value helpers: UsageError (a mistake in how the command was called: exit code 2, one line),
 * and strict number parsing for flags that are not in the option table (tandem bench's own flags).
 */
import {parseOptionText} from "../../src-shared/index.ts";

export class UsageError extends Error {}

/** A decimal number from `min` to `max` ("0x10", "Infinity" and "" are refused). */
export function parseNumberOption(name: string, text: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
    const parsed = parseOptionText({flag: name, kind: "number", default: min, min, max, step: 0, help: ""}, text);
    if (!parsed.ok) throw new UsageError(parsed.problem);
    return parsed.value as number;
}

/** A whole decimal number from `min` to `max` (at most 2^53 − 1). */
export function parseIntegerOption(name: string, text: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const parsed = parseOptionText({flag: name, kind: "integer", default: min, min, max, help: ""}, text);
    if (!parsed.ok) throw new UsageError(parsed.problem);
    return parsed.value as number;
}
