/** What the UI holds once connected: the typed API and the service's event stream, whatever the transport. */
import type {ServiceApi, ServiceEvent} from "../../src-shared/index.ts";

export type Connection = {
    readonly kind: "electron" | "web";
    readonly api: ServiceApi;
    /** Calls `listener` for every event the service pushes; returns the unsubscribe function. */
    subscribe(listener: (event: ServiceEvent) => void): () => void;
};
