/**
 * The client end of serveApi: a typed ServiceApi over one FrameChannel (birpc), whose failed calls reject with
 * ServiceError (code and sentence from the service), and the service's events fanned out to listeners. Used by
 * the renderer's web transport, the Electron preload and the tests. No Node or DOM imports.
 */
import {createBirpc} from "birpc";
import type {ClientApi, ServiceApi, ServiceEvent} from "../contract/api.ts";
import {ServiceError} from "../contract/serviceError.ts";
import {serviceFunctionNames} from "../contract/functionNames.ts";
import type {FrameChannel} from "./frameChannel.ts";
import {checkFrame, fromWireError} from "./wire.ts";

export type ApiClient = {
    readonly api: ServiceApi;
    /** Calls `listener` for every event the service pushes; returns the unsubscribe function. */
    subscribe(listener: (event: ServiceEvent) => void): () => void;
    /** True once the channel closed; every call then rejects with ServiceError("disconnected"). */
    readonly closed: boolean;
    close(): void;
};

export function createApiClient(channel: FrameChannel): ApiClient {
    const listeners = new Set<(event: ServiceEvent) => void>();
    const local: ClientApi = Object.assign(Object.create(null) as object, {
        onEvent(event: ServiceEvent): void {
            for (const listener of [...listeners]) {
                try {
                    listener(event);
                } catch (error) {
                    // One failing listener must not starve the others of events.
                    console.error("a Tandem event listener failed:", error);
                }
            }
        }
    });

    let deliver: ((frame: unknown) => void) | null = null;
    const rpc = createBirpc<ServiceApi, ClientApi>(local, {
        post: (frame) => channel.send(frame as object),
        on: (listener) => {
            deliver = listener;
        },
        // Loading a large pair or calibrating may take minutes; a closed channel rejects pending calls instead.
        timeout: -1,
        // Only onEvent is callable here; the service never calls with an id, so nothing else needs an answer.
        resolver: (name, resolved) => (name === "onEvent" ? (resolved as never) : undefined)
    });
    channel.onFrame((data) => {
        const checked = checkFrame(data);
        if (checked.ok) deliver?.(checked.frame);
    });

    let closed = false;
    channel.onClose(() => {
        closed = true;
        rpc.$close(new ServiceError("disconnected", "the connection to Tandem closed before the answer arrived"));
    });

    const api = Object.create(null) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of serviceFunctionNames) {
        api[name] = async (...args: unknown[]) => {
            if (closed) throw new ServiceError("disconnected", "not connected to Tandem");
            try {
                return await (rpc.$call as (method: string, ...a: unknown[]) => Promise<unknown>)(name, ...args);
            } catch (error) {
                throw fromWireError(error);
            }
        };
    }

    return {
        api: api as unknown as ServiceApi,
        subscribe(listener) {
            listeners.add(listener);
            return () => {
                listeners.delete(listener);
            };
        },
        get closed() {
            return closed;
        },
        close() {
            channel.close();
        }
    };
}
