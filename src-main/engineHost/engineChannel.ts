/**
 * The engine process's end of its link to the service: Electron's utilityProcess `parentPort`, or Node's IPC
 * channel after `child_process.fork`. The process exits when the service goes away.
 */
import type {EngineMessage, EngineRequest} from "./engineProtocol.ts";

/** Electron's utilityProcess gives the child `process.parentPort` (a MessagePort-like emitter). */
type ParentPort = {
    on(event: "message", listener: (event: {data: unknown}) => void): void;
    postMessage(message: unknown): void;
};

export function openParentChannel(): {send: (message: EngineMessage) => void; onRequest: (listener: (request: EngineRequest) => void) => void} {
    const parentPort = (process as unknown as {parentPort?: ParentPort}).parentPort;
    if (parentPort != null) {
        return {
            send: (message) => parentPort.postMessage(message),
            onRequest: (listener) => parentPort.on("message", (event) => listener(event.data as EngineRequest))
        };
    }
    if (process.send != null) {
        // The service went away: nothing is left to answer.
        process.on("disconnect", () => process.exit(0));
        return {
            send: (message) => process.send!(message),
            onRequest: (listener) => process.on("message", (message) => listener(message as EngineRequest))
        };
    }
    throw new Error("the engine process must be started by the Tandem service (no message channel to its parent)");
}
