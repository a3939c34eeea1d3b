/**
 * The desktop app's EngineLauncher: the engine entry (built to dist/electron/engine.mjs) in an Electron
 * utilityProcess, so llama.cpp never runs in the main process or the renderer, and an abort in llama.cpp
 * takes down only that process. Electron reports an exit code only, never the signal.
 */
import type {EngineLauncher, EngineProcess} from "../engineHost/engineLauncher.ts";
import type {EngineMessage, EngineRequest} from "../engineHost/engineProtocol.ts";
import type {ElectronMain} from "./electronApi.ts";

export function utilityEngineLauncher(electron: ElectronMain, entryPath: string): EngineLauncher {
    return {
        launch(): EngineProcess {
            const child = electron.utilityProcess.fork(entryPath, [], {stdio: ["ignore", "ignore", "pipe"], serviceName: "Tandem engine"});
            const exitListeners: ((exit: {code: number | null; signal: string | null}) => void)[] = [];
            let exited = false;
            child.stderr?.setEncoding("utf8");
            child.stderr?.on("data", (text) => process.stderr.write(text));
            child.on("exit", (code) => {
                exited = true;
                for (const listener of exitListeners) listener({code, signal: null});
            });
            return {
                send(request: EngineRequest) {
                    if (!exited) child.postMessage(request);
                },
                onMessage(listener) {
                    child.on("message", (message) => listener(message as EngineMessage));
                },
                onStderr(listener) {
                    child.stderr?.on("data", listener);
                },
                onExit(listener) {
                    exitListeners.push(listener);
                },
                kill() {
                    child.kill();
                }
            };
        }
    };
}
