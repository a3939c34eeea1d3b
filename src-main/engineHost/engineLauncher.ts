/**
 * How the service starts the engine process. The launcher is injectable: the Node implementation here
 * forks `engineMain.ts` with tsx's loader (web mode, tests); the Electron shell supplies one built on
 * `utilityProcess.fork`. Either way the child speaks engineProtocol.ts.
 */
import {fork} from "node:child_process";
import {fileURLToPath} from "node:url";
import type {EngineMessage, EngineRequest} from "./engineProtocol.ts";

/** How a process ended: an exit code, or the signal that killed it (Electron reports only codes). */
export type EngineExit = {readonly code: number | null; readonly signal: string | null};

/** One running engine process, as the supervisor sees it. */
export interface EngineProcess {
    send(request: EngineRequest): void;
    onMessage(listener: (message: EngineMessage) => void): void;
    /** Text the process writes to stderr (llama.cpp's assertion messages land here before an abort). */
    onStderr(listener: (text: string) => void): void;
    onExit(listener: (exit: EngineExit) => void): void;
    kill(): void;
}

export interface EngineLauncher {
    launch(): EngineProcess;
}

/** The engine entry script, next to this file. */
export const engineEntryPath = fileURLToPath(new URL("./engineMain.ts", import.meta.url));

export type NodeLauncherOptions = {
    /** The entry script (default: engineMain.ts here; a bundled build passes its built engine file). */
    readonly entryPath?: string;
    /** Also copy the child's stderr to this process's stderr (default true). */
    readonly echoStderr?: boolean;
    readonly env?: NodeJS.ProcessEnv;
};

/** Forks the engine with Node, loading TypeScript through tsx (resolved from here, whatever the cwd). */
export function nodeEngineLauncher(options: NodeLauncherOptions = {}): EngineLauncher {
    const tsx = import.meta.resolve("tsx");
    return {
        launch(): EngineProcess {
            const child = fork(options.entryPath ?? engineEntryPath, [], {
                execArgv: ["--import", tsx],
                stdio: ["ignore", "ignore", "pipe", "ipc"],
                serialization: "advanced",
                env: options.env ?? process.env
            });
            child.stderr!.setEncoding("utf8");
            if (options.echoStderr ?? true) child.stderr!.on("data", (text: string) => process.stderr.write(text));
            return {
                send: (request) => {
                    if (child.connected) child.send(request);
                },
                onMessage: (listener) => child.on("message", (message) => listener(message as EngineMessage)),
                onStderr: (listener) => child.stderr!.on("data", listener),
                onExit: (listener) => child.once("exit", (code, signal) => listener({code, signal})),
                kill: () => child.kill()
            };
        }
    };
}
