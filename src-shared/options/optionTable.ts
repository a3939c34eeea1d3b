/**
 * The one table of user-settable options: name, default, range and help. The CLI builds its flags, usage and
 * value checks from it, the engine its defaults and validation, the app its settings form and the request
 * validation at the process boundary (and later the server). Pure data and pure functions: no I/O, safe to
 * import from the renderer.
 */

export type OptionScope =
    /** Read per generation by the decoder. */
    | "decoding"
    /** Fixed when a pair is loaded (a change reloads the pair). */
    | "load"
    /** Chat formatting, read by the service. */
    | "chat"
    /** The local server (the app's switch and `tandem serve`): global only, never a conversation's. */
    | "server";

type Common = {
    /** camelCase key in options objects, settings and requests. */
    readonly key: string;
    /** The CLI flag, e.g. "--max-tokens". */
    readonly flag: string;
    readonly scope: OptionScope;
    /** One sentence for --help and the settings form. */
    readonly help: string;
    /** Short label for the settings form. */
    readonly label: string;
};

export type IntegerOption = Common & {
    readonly kind: "integer";
    /** null: "pick one for me" (a seed, the threads); "auto": decided as it runs (only where `acceptsAuto`). */
    readonly default: number | null | "auto";
    readonly min: number;
    readonly max: number;
    /** The value "auto" is accepted besides whole numbers. */
    readonly acceptsAuto?: boolean;
};
export type NumberOption = Common & {
    readonly kind: "number";
    readonly default: number;
    readonly min: number;
    readonly max: number;
    readonly step: number;
};
export type EnumOption = Common & {
    readonly kind: "enum";
    readonly default: string;
    readonly choices: readonly string[];
    readonly choiceHelp?: Readonly<Record<string, string>>;
};
export type BooleanOption = Common & {readonly kind: "boolean"; readonly default: boolean};
export type StringOption = Common & {readonly kind: "string"; readonly default: string; readonly maxLength: number};

export type OptionSpec = IntegerOption | NumberOption | EnumOption | BooleanOption | StringOption;

export const decodeModeChoices = ["scd", "sd", "cd", "expert", "amateur"] as const;

/** A fresh seed in the table's range (0 to 2^32 − 1): the one place a missing seed is drawn (engine and service). */
export function drawSeed(): number {
    return Math.floor(Math.random() * 2 ** 32);
}

/** Most tokens one answer may have (a runaway generation is stopped by Stop or the context anyway). */
export const MAX_TOKENS_LIMIT = 32768;
/** Largest context the app asks llama.cpp for; the model's training context caps it further. */
export const CONTEXT_SIZE_LIMIT = 131072;

export const optionTable = [
    {
        key: "mode",
        flag: "--mode",
        scope: "decoding",
        kind: "enum",
        label: "Mode",
        default: "scd",
        choices: decodeModeChoices,
        help: "how the pair decodes",
        choiceHelp: {
            scd: "speculative contrastive decoding: amateur drafts, expert verifies against the contrastive target",
            sd: "plain speculative decoding (β = 0, α = 0): the output is the expert's",
            cd: "contrastive decoding, both models on every token",
            expert: "the expert alone",
            amateur: "the amateur alone"
        }
    },
    {
        key: "gamma",
        flag: "--gamma",
        scope: "decoding",
        kind: "integer",
        label: "Draft length γ",
        default: "auto",
        min: 1,
        max: 64,
        acceptsAuto: true,
        help: "tokens the amateur drafts per round (scd, sd); auto picks γ each round from measured speed and runs the non-speculative mode when that is faster"
    },
    {
        key: "alpha",
        flag: "--alpha",
        scope: "decoding",
        kind: "number",
        label: "Plausibility α",
        default: 0.1,
        min: 0,
        max: 1,
        step: 0.01,
        help: "plausibility cutoff: only tokens with p_expert ≥ α·max p_expert can be chosen (scd, cd)"
    },
    {
        key: "beta",
        flag: "--beta",
        scope: "decoding",
        kind: "number",
        label: "Contrast β",
        default: 0.5,
        min: 0,
        max: 10,
        step: 0.05,
        help: "contrast strength: how much the amateur's preferences are subtracted (scd, cd)"
    },
    {
        key: "temperature",
        flag: "--temperature",
        scope: "decoding",
        kind: "number",
        label: "Temperature",
        default: 0,
        min: 0,
        max: 10,
        step: 0.05,
        help: "sampling temperature; 0 is greedy"
    },
    {
        key: "maxTokens",
        flag: "--max-tokens",
        scope: "decoding",
        kind: "integer",
        label: "Max tokens",
        default: 256,
        min: 1,
        max: MAX_TOKENS_LIMIT,
        help: "most tokens in one answer"
    },
    {
        key: "seed",
        flag: "--seed",
        scope: "decoding",
        kind: "integer",
        label: "Seed",
        default: null,
        min: 0,
        max: 2 ** 32 - 1,
        help: "random seed; the same seed gives the same answer (γ auto: only with --exact, not sampled sd) (default: a new one each time)"
    },
    {
        key: "topK",
        flag: "--top-k",
        scope: "load",
        kind: "integer",
        label: "Head size K",
        default: 64,
        min: 1,
        max: 1_000_000,
        help: "tokens read per position from each model; ≥ the vocabulary size is exact"
    },
    {
        key: "contextSize",
        flag: "--context-size",
        scope: "load",
        kind: "integer",
        label: "Context size",
        default: 2048,
        min: 16,
        max: CONTEXT_SIZE_LIMIT,
        help: "tokens each model's context holds (capped at the model's training context)"
    },
    {
        key: "threads",
        flag: "--threads",
        scope: "load",
        kind: "integer",
        label: "Threads",
        default: null,
        min: 1,
        max: 256,
        help: "llama.cpp threads per model (default: half the cores; more than the cores is refused)"
    },
    {
        key: "exact",
        flag: "--exact",
        scope: "load",
        kind: "boolean",
        label: "Exact numerics",
        default: false,
        help: "flash attention off and an F32 KV cache, so batched and single-token logits agree (slower)"
    },
    {
        key: "cpu",
        flag: "--cpu",
        scope: "load",
        kind: "boolean",
        label: "CPU only",
        default: false,
        help: "skip GPU detection (Metal, CUDA, Vulkan are used automatically otherwise)"
    },
    {
        key: "systemPrompt",
        flag: "--system",
        scope: "chat",
        kind: "string",
        label: "System prompt",
        default: "",
        maxLength: 100_000,
        help: "instructions placed before the chat (models with a chat template)"
    },
    {
        key: "localServer",
        flag: "--local-server",
        scope: "server",
        kind: "boolean",
        label: "Local server",
        default: false,
        help: "serve an OpenAI-compatible API beside the chat, on the same pair (docs/server.md)"
    },
    {
        key: "serverHost",
        flag: "--host",
        scope: "server",
        kind: "string",
        label: "Server address",
        default: "127.0.0.1",
        maxLength: 253,
        help: "the address the server listens on; 127.0.0.1 is this machine only, anything else lets other machines in (with the key)"
    },
    {
        key: "serverPort",
        flag: "--port",
        scope: "server",
        kind: "integer",
        label: "Server port",
        default: 7864,
        min: 0,
        max: 65535,
        help: "the port the server listens on; 0 picks a free one"
    },
    {
        key: "serverApiKey",
        flag: "--api-key",
        scope: "server",
        kind: "string",
        label: "API key",
        default: "",
        maxLength: 256,
        help: 'the key every request must send as "Authorization: Bearer KEY" (default: a new one, shown at start)'
    }
] as const satisfies readonly OptionSpec[];

export type OptionKey = (typeof optionTable)[number]["key"];

export function optionSpec(key: OptionKey): OptionSpec {
    return optionTable.find((o) => o.key === key)!;
}

export function optionsInScope(scope: OptionScope): OptionSpec[] {
    return optionTable.filter((o) => o.scope === scope);
}

function rangeText(min: number, max: number): string {
    return `from ${min} to ${max}`;
}

/**
 * Checks one value against its spec; returns a plain sentence naming the option when it is wrong, else null.
 * `null` is accepted where the default is null (meaning "pick one for me").
 */
export function optionProblem(spec: OptionSpec, value: unknown): string | null {
    const name = spec.key;
    switch (spec.kind) {
        case "integer":
            if (value === null && spec.default === null) return null;
            if (value === "auto" && spec.acceptsAuto === true) return null;
            if (typeof value !== "number" || !Number.isInteger(value) || value < spec.min || value > spec.max) {
                return `${name} must be ${spec.acceptsAuto === true ? "auto or " : ""}a whole number ${rangeText(spec.min, spec.max)}`;
            }
            return null;
        case "number":
            if (typeof value !== "number" || !Number.isFinite(value) || value < spec.min || value > spec.max) {
                return `${name} must be a number ${rangeText(spec.min, spec.max)}`;
            }
            return null;
        case "enum":
            return typeof value === "string" && spec.choices.includes(value) ? null : `${name} must be one of ${spec.choices.join(", ")}`;
        case "boolean":
            return typeof value === "boolean" ? null : `${name} must be true or false`;
        case "string":
            if (typeof value !== "string") return `${name} must be text`;
            return value.length > spec.maxLength ? `${name} is longer than ${spec.maxLength} characters` : null;
    }
}

/** Problems of every listed key in `values` (unknown keys included); empty when all are fine. */
export function optionProblems(values: Readonly<Record<string, unknown>>): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        const spec = optionTable.find((o) => o.key === key);
        if (spec == null) {
            problems.push(`unknown option "${key}"`);
            continue;
        }
        const problem = optionProblem(spec, value);
        if (problem != null) problems.push(problem);
    }
    return problems;
}

/** The defaults of every option, keyed by option key. */
export function optionDefaults(): {[K in OptionKey]: Extract<(typeof optionTable)[number], {key: K}>["default"]} {
    return Object.fromEntries(optionTable.map((o) => [o.key, o.default])) as never;
}
