/**
 * Loads the renderer's `*.svelte.ts` stores in Node for unit tests, compiled as the page gets them (see
 * svelteRunesHooks.mjs). Hooks apply to modules loaded after they are registered, so a test imports its store
 * through `importRunes` (a dynamic import) rather than with a static import.
 */
import {register} from "node:module";

const registered = Symbol.for("tandem.svelteRunesHooks");

export async function importRunes<T>(url: URL): Promise<T> {
    const state = globalThis as unknown as Record<symbol, boolean>;
    if (state[registered] !== true) {
        register("./svelteRunesHooks.mjs", import.meta.url);
        state[registered] = true;
    }
    return (await import(url.href)) as T;
}

/** Lets pending promise callbacks and timers of zero delay run (a store's chained awaits). */
export function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}
