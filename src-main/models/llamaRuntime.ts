/**
 * The process's one llama.cpp runtime. GPU backends (Metal, CUDA, Vulkan) are picked by node-llama-cpp
 * when `gpu` is "auto"; nothing is ever built or downloaded at run time.
 */
import os from "node:os";
import {getLlama, LlamaLogLevel, type Llama} from "node-llama-cpp";

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
        runtime = getLlama({gpu, maxThreads, build: "never", logLevel: LlamaLogLevel.error, progressLogs: false}).catch((error: unknown) => {
            runtimes.delete(key);
            throw new Error(`llama.cpp could not start: ${error instanceof Error ? error.message : String(error)}`);
        });
        runtimes.set(key, runtime);
    }
    return runtime;
}
