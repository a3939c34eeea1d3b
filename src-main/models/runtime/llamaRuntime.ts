/**
 * The process's one llama.cpp runtime. GPU backends (Metal, CUDA, Vulkan) are picked by node-llama-cpp
 * when `gpu` is "auto"; nothing is ever built or downloaded at run time.
 */
import os from "node:os";
import {getLlama, LlamaLogLevel, type Llama, type LlamaModel, type LlamaModelOptions} from "node-llama-cpp";
import {GgufError} from "../header/index.ts";

export type GpuChoice = "auto" | false;

const runtimes = new Map<string, Promise<Llama>>();

/**
 * Threads per model context. llama.cpp's own default oversubscribes small machines badly (threads spin
 * against each other: ~20× slower on 2 cores), and cd evaluates both models side by side, so each model
 * gets half the cores.
 */
export function defaultThreadsPerModel(): number {
    return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

export function getRuntime(gpu: GpuChoice, maxThreads: number): Promise<Llama> {
    const key = `${gpu}:${maxThreads}`;
    let runtime = runtimes.get(key);
    if (runtime == null) {
        runtime = getLlama({gpu, maxThreads, build: "never", logLevel: LlamaLogLevel.error, logger: keepLog, progressLogs: false}).catch(
            (error: unknown) => {
                runtimes.delete(key);
                throw new Error(`llama.cpp could not start: ${error instanceof Error ? error.message : String(error)}`);
            }
        );
        runtimes.set(key, runtime);
    }
    return runtime;
}

/**
 * llama.cpp's error lines, kept instead of printed: a failed load is reported as one line naming the file
 * and llama.cpp's reason (TANDEM_DEBUG=1 prints them as they come). Only the most recent few are kept.
 */
const errorLines: string[] = [];
let errorCount = 0;
const KEPT_ERROR_LINES = 32;

function keepLog(level: LlamaLogLevel, message: string): void {
    if (process.env.TANDEM_DEBUG) process.stderr.write(`[llama.cpp ${level}] ${message}\n`);
    if (level !== LlamaLogLevel.error && level !== LlamaLogLevel.fatal) return;
    for (const line of message.split("\n")) {
        if (line.trim() === "") continue;
        errorLines.push(line.trim());
        errorCount++;
        if (errorLines.length > KEPT_ERROR_LINES) errorLines.shift();
    }
}

/**
 * llama.cpp's reason among the error lines logged since `since` (an errorCount): the text after "error loading
 * model:" when there is one, else the last line that says more than "failed to load model".
 */
export function llamaReasonSince(since: number): string | undefined {
    const fresh = errorLines.slice(Math.max(0, errorLines.length - (errorCount - since)));
    const loading = fresh.find((line) => line.includes("error loading model:"));
    if (loading != null) return loading.slice(loading.indexOf("error loading model:") + "error loading model:".length).trim();
    const last = fresh.filter((line) => !/failed to load model/i.test(line)).pop();
    return last?.replace(/^[a-z_]+: /, "");
}

/** llama.loadModel, with a failure turned into one GgufError ("unloadable") naming the file and llama.cpp's reason. */
export async function loadLlamaModel(llama: Llama, options: LlamaModelOptions): Promise<LlamaModel> {
    const since = errorCount;
    try {
        return await llama.loadModel(options);
    } catch (error) {
        const reason = llamaReasonSince(since) ?? (error instanceof Error ? error.message : String(error));
        throw new GgufError("unloadable", options.modelPath, `${options.modelPath}: llama.cpp cannot load this model: ${reason}`, {cause: error});
    }
}
