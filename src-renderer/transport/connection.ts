/** What the UI holds once connected: the typed API and the service's event stream, whatever the transport. */
import type {ServiceApi, ServiceEvent} from "../../src-shared/index.ts";

/** The desktop window's own dialogs (absent in the browser, where the UI asks for a typed path instead). */
export type Dialogs = {
    /** The system's folder chooser; null when the user cancelled. */
    readonly chooseModelFolder?: () => Promise<string | null>;
    /** The system's file chooser for one .gguf file; null when the user cancelled. */
    readonly chooseModelFile?: () => Promise<string | null>;
};

export type Connection = {
    readonly kind: "electron" | "web";
    readonly api: ServiceApi;
    /** Calls `listener` for every event the service pushes; returns the unsubscribe function. */
    subscribe(listener: (event: ServiceEvent) => void): () => void;
    readonly dialogs?: Dialogs;
};
