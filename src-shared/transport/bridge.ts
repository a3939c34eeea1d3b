/**
 * The Electron preload's bridge, as the renderer sees it on `window.tandem`: one named, typed function per
 * ServiceApi function plus `onEvent`. Results cross contextBridge as `{ok, value}` / `{ok: false, error}`
 * because an Error thrown across contextBridge loses its `code`. No Node or DOM imports.
 */
import type {ServiceApi, ServiceEvent, ServiceFunctionName} from "../contract/api.ts";
import {ServiceError} from "../contract/serviceError.ts";
import {toWireError, type WireError} from "./wire.ts";

export type BridgeResult<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: WireError};

export type BridgeFunctions = {
    readonly [K in ServiceFunctionName]: (...args: Parameters<ServiceApi[K]>) => Promise<BridgeResult<Awaited<ReturnType<ServiceApi[K]>>>>;
};

export type TandemBridge = BridgeFunctions & {
    /** Calls `listener` for every service event; returns the unsubscribe function. */
    readonly onEvent: (listener: (event: ServiceEvent) => void) => () => void;
};

/** The global name the preload exposes the bridge under (`window.tandem`). */
export const BRIDGE_GLOBAL = "tandem";

/** A call's outcome as a BridgeResult (preload side). */
export async function settle<T>(promise: Promise<T>): Promise<BridgeResult<T>> {
    try {
        return {ok: true, value: await promise};
    } catch (error) {
        return {ok: false, error: toWireError(error)};
    }
}

/** The value of a BridgeResult, or its error thrown as a ServiceError (renderer side). */
export function unsettle<T>(result: BridgeResult<T>): T {
    if (result.ok) return result.value;
    throw new ServiceError(result.error.code, result.error.message);
}
