/**
 * The renderer's one way to reach the service: in the Electron window through the preload's named functions
 * (`window.tandem`), in web mode over a WebSocket (birpc) with the token from the page's address. Components
 * import `connect` and never touch a transport directly. Failed calls reject with ServiceError (`.code`).
 */
import {
    ServiceError,
    serviceFunctionNames,
    BRIDGE_GLOBAL,
    unsettle,
    type ServiceApi,
    type BridgeResult,
    type TandemBridge
} from "../../src-shared/index.ts";
import {apiSocketUrl, lookUpToken, TOKEN_STORAGE_KEY} from "./accessToken.ts";
import type {Connection, Dialogs} from "./connection.ts";
import {webConnection} from "./webConnection.ts";

export type {Connection, Dialogs} from "./connection.ts";

/** The preload's dialog functions, where it offers them (feature-detected: older preloads have none). */
function bridgeDialogs(bridge: TandemBridge): Dialogs | undefined {
    const found = bridge as unknown as Record<string, unknown>;
    const pick = (name: string): (() => Promise<string | null>) | undefined => {
        const call = found[name];
        if (typeof call !== "function") return undefined;
        return async () => {
            const result = (await (call as () => Promise<unknown>)()) as BridgeResult<string | null> | string | null;
            // A bridge function may answer plainly or as a BridgeResult like the service's functions.
            return result != null && typeof result === "object" ? unsettle(result) : result;
        };
    };
    const dialogs = {chooseModelFolder: pick("chooseModelFolder"), chooseModelFile: pick("chooseModelFile")};
    return dialogs.chooseModelFolder == null && dialogs.chooseModelFile == null ? undefined : dialogs;
}

function electronConnection(bridge: TandemBridge): Connection {
    const api = Object.create(null) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of serviceFunctionNames) {
        const call = bridge[name] as (...args: unknown[]) => Promise<BridgeResult<unknown>>;
        api[name] = async (...args: unknown[]) => unsettle(await call(...args));
    }
    return {kind: "electron", api: api as unknown as ServiceApi, subscribe: (listener) => bridge.onEvent(listener), dialogs: bridgeDialogs(bridge)};
}

/** Takes the token from the address (then hides it there) or from this tab's storage after a reload. */
function readToken(): string | null {
    let stored: string | null = null;
    try {
        stored = sessionStorage.getItem(TOKEN_STORAGE_KEY);
    } catch {
        // Storage may be off (privacy settings); the token from the address still works until a reload.
    }
    const {token, cleanedHash} = lookUpToken(location.hash, stored);
    if (cleanedHash != null && token != null) {
        try {
            sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
        } catch {
            // See above.
        }
        history.replaceState(history.state, "", `${location.pathname}${location.search}${cleanedHash}`);
    }
    return token;
}

export async function connect(): Promise<Connection> {
    const bridge = (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as TandemBridge | undefined;
    if (bridge != null) return electronConnection(bridge);
    const token = readToken();
    if (token == null) {
        throw new ServiceError("disconnected", "no access token: open the address Tandem printed when it started (it ends in #token=…)");
    }
    return webConnection(apiSocketUrl(location.href, token));
}
