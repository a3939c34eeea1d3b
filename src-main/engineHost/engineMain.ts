/**
 * Entry script of the engine process: the only process that loads llama.cpp. Started by the service's
 * EngineLauncher, with Node's `child_process.fork` (web mode, tests) or Electron's `utilityProcess.fork`
 * (the desktop app); it speaks engineProtocol.ts over whichever channel it was given. If llama.cpp aborts
 * (a malformed model can make it SIGABRT), only this process dies; the service reports it and starts a new one.
 */
import type {EngineMessage, EngineRequest} from "./engineProtocol.ts";
import {EngineWorker} from "./engineWorker.ts";

/** Electron's utilityProcess gives the child `process.parentPort` (a MessagePort-like emitter). */
type ParentPort = {
    on(event: "message", listener: (event: {data: unknown}) => void): void;
    postMessage(message: unknown): void;
};

function openChannel(): {send: (message: EngineMessage) => void; onRequest: (listener: (request: EngineRequest) => void) => void} {
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

const channel = openChannel();
const worker = new EngineWorker((reply) => channel.send(reply));
channel.onRequest((request) => worker.handle(request));
channel.send({type: "hello", pid: process.pid});
