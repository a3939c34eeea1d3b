/**
 * Serves a service over one FrameChannel with birpc: every call is checked (envelope, then validateRequest)
 * before it reaches the service, every failure goes back as a `{code, message}` WireError, and the service's
 * events are forwarded to the client's `onEvent`. Generic over the transport: the web server runs one per
 * WebSocket, the Electron main process one per window.
 */
import {createBirpc} from "birpc";
import {
    ServiceError,
    serviceFunctionNames,
    checkFrame,
    refusalFrame,
    toWireError,
    type ClientApi,
    type ServiceApi,
    type ServiceEvent,
    type ServiceFunctionName,
    type FrameChannel
} from "../../src-shared/index.ts";
import {limitedLog} from "./limitedLog.ts";
import {validateRequest} from "./requestSchemas.ts";

/** What serveApi serves: the contract's functions plus a way to hear the service's events. */
export type ServableService = ServiceApi & {subscribe(listener: (event: ServiceEvent) => void): () => void};

export type ServeOptions = {
    /** Where refused frames and unexpected service errors are reported (one line each); default: nowhere. */
    readonly log?: (line: string) => void;
    /** Where refused frames are reported (a sender can cause any number): default, `log` at most 10 lines a minute. */
    readonly logRefusal?: (line: string) => void;
};

export type ServedChannel = {
    /** Stops serving: unsubscribes from the service's events and closes the channel. */
    close(): void;
};

export function serveApi(service: ServableService, channel: FrameChannel, options: ServeOptions = {}): ServedChannel {
    const log = options.log ?? (() => {});
    const logRefusal = options.logRefusal ?? limitedLog(log);

    // One wrapper per contract function on a null-prototype object: nothing else (toString, __proto__) is callable.
    const functions: Record<string, (...args: unknown[]) => Promise<unknown>> = Object.create(null);
    for (const name of serviceFunctionNames) {
        functions[name] = async (...args: unknown[]) => {
            try {
                const valid = validateRequest(name, args);
                const method = service[name] as (...a: unknown[]) => Promise<unknown>;
                return await method.apply(service, valid);
            } catch (error) {
                const wire = toWireError(error);
                if (wire.code === "internal") log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
                // A plain object survives JSON and structured cloning; the client turns it back into a ServiceError.
                throw wire;
            }
        };
    }

    let deliver: ((frame: unknown) => void) | null = null;
    const rpc = createBirpc<ClientApi, Record<string, unknown>>(functions, {
        post: (frame) => channel.send(frame as object),
        on: (listener) => {
            deliver = listener;
        },
        resolver: (name, resolved) =>
            Object.hasOwn(functions, name)
                ? (resolved as never)
                : async () => {
                      throw toWireError(new ServiceError("invalidRequest", `unknown request ${JSON.stringify(name.slice(0, 60))}`));
                  },
        eventNames: ["onEvent"],
        // The client never answers events, and a call never waits on the client.
        timeout: -1,
        onGeneralError: (error) => {
            log(`transport error: ${error.message}`);
            return true;
        }
    });

    channel.onFrame((data) => {
        const checked = checkFrame(data);
        if (!checked.ok) {
            logRefusal(`refused a message: ${checked.message}`);
            if (checked.id != null) channel.send(refusalFrame(checked.id, checked.message));
            return;
        }
        deliver?.(checked.frame);
    });

    const unsubscribe = service.subscribe((event) => {
        if (!rpc.$closed) rpc.onEvent(event).catch(() => {});
    });

    let closed = false;
    function close(): void {
        if (closed) return;
        closed = true;
        unsubscribe();
        rpc.$close();
        channel.close();
    }
    channel.onClose(close);
    return {close};
}

/** The contract functions a served object must have (a guard for entry points wiring a service in). */
export function missingServiceFunctions(service: object): ServiceFunctionName[] {
    return serviceFunctionNames.filter((name) => typeof (service as Record<string, unknown>)[name] !== "function");
}
