/**
 * The renderer's one way to reach the service: in the Electron window through the preload's named functions,
 * in web mode over a WebSocket (birpc). Components import `connect` and never touch a transport directly.
 * (Implementation: the transports work; until then this stub throws.)
 */
import type {ServiceApi, ServiceEvent} from "../../src-main/contract/api.ts";

export type Connection = {
    readonly kind: "electron" | "web";
    readonly api: ServiceApi;
    /** Calls `listener` for every event the service pushes; returns the unsubscribe function. */
    subscribe(listener: (event: ServiceEvent) => void): () => void;
};

export async function connect(): Promise<Connection> {
    throw new Error("transport not implemented yet");
}
