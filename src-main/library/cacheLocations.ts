/**
 * Where other apps keep the GGUF models they downloaded, on each OS. Pure: takes the environment, the home
 * folder and the platform, so tests point it at temp folders. A location is offered only when it exists
 * (checked by the library when it scans).
 *
 * - node-llama-cpp: `~/.node-llama-cpp/models` (its CLI's models folder, every OS).
 * - Hugging Face: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 *   `~/.cache/huggingface/hub` (huggingface_hub uses the same default on Windows and macOS).
 * - LM Studio: `~/.lmstudio/models` (0.3 and later), `~/.cache/lm-studio/models` (older versions), every OS.
 * - Ollama: `$OLLAMA_MODELS`, else `~/.ollama/models`; on Linux also `/usr/share/ollama/.ollama/models` (the
 *   system service's home, used by the official install script).
 */
import path from "node:path";

export const cacheKinds = ["nodeLlamaCpp", "huggingFace", "lmStudio", "ollama"] as const;
export type CacheKind = (typeof cacheKinds)[number];

export const cacheLabels: Record<CacheKind, string> = {
    nodeLlamaCpp: "node-llama-cpp models",
    huggingFace: "Hugging Face cache",
    lmStudio: "LM Studio",
    ollama: "Ollama"
};

export type CacheLocation = {readonly kind: CacheKind; readonly path: string};

export type CacheEnvironment = {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly home: string;
    readonly platform: NodeJS.Platform;
};

function set(value: string | undefined): value is string {
    return value != null && value.trim() !== "";
}

/** Every candidate location, in the order each app itself looks, without duplicates. */
export function cacheLocations({env, home, platform}: CacheEnvironment): CacheLocation[] {
    const join = platform === "win32" ? path.win32.join : path.posix.join;
    const found: CacheLocation[] = [];
    const add = (kind: CacheKind, location: string) => {
        if (!found.some((f) => f.kind === kind && f.path === location)) found.push({kind, path: location});
    };

    add("nodeLlamaCpp", join(home, ".node-llama-cpp", "models"));

    if (set(env.HF_HUB_CACHE)) add("huggingFace", env.HF_HUB_CACHE);
    else if (set(env.HUGGINGFACE_HUB_CACHE)) add("huggingFace", env.HUGGINGFACE_HUB_CACHE);
    if (set(env.HF_HOME)) add("huggingFace", join(env.HF_HOME, "hub"));
    if (set(env.XDG_CACHE_HOME)) add("huggingFace", join(env.XDG_CACHE_HOME, "huggingface", "hub"));
    add("huggingFace", join(home, ".cache", "huggingface", "hub"));

    add("lmStudio", join(home, ".lmstudio", "models"));
    add("lmStudio", join(home, ".cache", "lm-studio", "models"));

    if (set(env.OLLAMA_MODELS)) add("ollama", env.OLLAMA_MODELS);
    add("ollama", join(home, ".ollama", "models"));
    if (platform === "linux") add("ollama", "/usr/share/ollama/.ollama/models");
    return found;
}
