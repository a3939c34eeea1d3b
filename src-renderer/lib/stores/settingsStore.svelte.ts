/**
 * The global settings as the service holds them, and the page's own preference (token highlighting, kept in
 * the browser's storage). Per-chat overrides belong to the conversation and live in the conversations store.
 */
import type {Settings, SettingsOverrides} from "../../../src-shared/index.ts";
import type {StatusStore} from "./statusStore.svelte.ts";

export const HIGHLIGHT_KEY = "tandem.highlightTokens";

/** The part of the Web Storage API the store uses (injectable: tests pass a Map-backed one). */
export type PreferenceStorage = Pick<Storage, "getItem" | "setItem">;

function defaultStorage(): PreferenceStorage | null {
    try {
        return globalThis.localStorage ?? null;
    } catch {
        return null;
    }
}

export class SettingsStore {
    settings: Settings | null = $state(null);
    highlightTokens: boolean = $state(false);

    constructor(
        private readonly session: StatusStore,
        private readonly storage: PreferenceStorage | null = defaultStorage()
    ) {
        try {
            this.highlightTokens = storage?.getItem(HIGHLIGHT_KEY) === "1";
        } catch {
            // Storage unavailable (private window): highlighting starts off.
        }
    }

    async load(): Promise<boolean> {
        return this.session.run("read the settings", async () => void (this.settings = await this.session.api.getSettings()));
    }

    async update(changes: SettingsOverrides): Promise<boolean> {
        return this.session.run("save the settings", async () => void (this.settings = await this.session.api.updateSettings(changes)));
    }

    setHighlightTokens(on: boolean): void {
        this.highlightTokens = on;
        try {
            this.storage?.setItem(HIGHLIGHT_KEY, on ? "1" : "0");
        } catch {
            // See above: the toggle still works for this session.
        }
    }
}
