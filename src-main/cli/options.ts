/** Command-line option parsing helpers: every bad value becomes a UsageError with one plain sentence. */

export class UsageError extends Error {}

export function parseNumberOption(name: string, text: string, min = -Infinity, max = Infinity): number {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
        throw new UsageError(`${name} must be a number${rangeText(min, max)}, got "${text}"`);
    }
    return value;
}

export function parseIntegerOption(name: string, text: string, min = -Infinity, max = Infinity): number {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
        throw new UsageError(`${name} must be a whole number${rangeText(min, max)}, got "${text}"`);
    }
    return value;
}

function rangeText(min: number, max: number): string {
    if (min > -Infinity && max < Infinity) return ` from ${min} to ${max}`;
    if (min > -Infinity) return ` ≥ ${min}`;
    if (max < Infinity) return ` ≤ ${max}`;
    return "";
}
