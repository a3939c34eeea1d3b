/** `tandem generate`: one generation on an expert/amateur pair, streamed to stdout or printed as JSON. */
import os from "node:os";
import path from "node:path";
import type {DecodeMode, GenerationResult} from "../engine/index.ts";
import {chatPrompt, loadModelPair, rawPrompt, type ChatMessage, type ModelPair} from "../models/runtime/index.ts";
import {optionDefaults, optionSpec, type OptionKey} from "../../src-shared/index.ts";
import {helpText, parseFlags, usageLine, type Command, type Flag, type FlagValues} from "./flags.ts";
import {UsageError} from "./options.ts";

/** Longest path and prompt the command takes (a prompt longer than any context is refused later anyway). */
const MAX_PATH_LENGTH = 4096;
const MAX_PROMPT_LENGTH = 1_000_000;

const tableFlag = (key: OptionKey, valueName?: string): Flag => {
    const {key: _key, scope: _scope, label: _label, ...spec} = optionSpec(key);
    return {key, spec, ...(valueName != null ? {valueName} : {})};
};

const pathFlag = (key: string, help: string): Flag => ({
    key,
    valueName: "PATH",
    required: true,
    spec: {flag: `--${key}`, kind: "string", default: "", maxLength: MAX_PATH_LENGTH, help}
});

const booleanFlag = (key: string, help: string): Flag => ({key, spec: {flag: `--${key}`, kind: "boolean", default: false, help}});

export const generateCommandSpec: Command = {
    name: "generate",
    summary: "Generates text with an expert/amateur model pair and prints it as it comes, then a stats line.",
    flags: [
        pathFlag("expert", "the expert: the large GGUF model"),
        pathFlag("amateur", "the amateur: a small GGUF model with the expert's tokenizer"),
        {
            key: "prompt",
            valueName: "TEXT",
            required: true,
            spec: {
                flag: "--prompt",
                kind: "string",
                default: "",
                maxLength: MAX_PROMPT_LENGTH,
                help: "the user's message (with --raw: the text to continue)"
            }
        },
        tableFlag("mode", "MODE"),
        booleanFlag("raw", "plain completion: BOS, then the prompt's tokens; without it, models with a chat template get chat formatting"),
        tableFlag("maxTokens", "N"),
        tableFlag("temperature", "T"),
        tableFlag("alpha", "A"),
        tableFlag("beta", "B"),
        tableFlag("gamma", "G"),
        tableFlag("topK", "K"),
        tableFlag("seed", "S"),
        tableFlag("threads", "N"),
        tableFlag("contextSize", "N"),
        tableFlag("systemPrompt", "TEXT"),
        tableFlag("cpu"),
        tableFlag("exact"),
        booleanFlag("json", 'print {"text", "tokens", "stats"} as one JSON line instead of streaming')
    ]
};

export const generateUsage = usageLine(generateCommandSpec);
export const generateHelp = helpText(generateCommandSpec);

/** A note on stderr: a value the user gave was changed or has no effect. */
function note(line: string): void {
    process.stderr.write(`tandem: note: ${line}\n`);
}

export async function generateCommand(argv: string[]): Promise<number> {
    const values = parseFlags(generateCommandSpec, argv);
    if (values.get("help") === true) {
        process.stdout.write(generateHelp);
        return 0;
    }
    const defaults = optionDefaults();
    const get = <T extends number | string | boolean>(key: string, fallback: T): T => (values.get(key) as T | undefined) ?? fallback;
    const mode = get<string>("mode", defaults.mode) as DecodeMode;
    const threads = values.get("threads") as number | undefined;
    const cores = os.availableParallelism();
    if (threads != null && threads > cores) {
        throw new UsageError(
            `--threads ${threads} is more than this machine's ${cores} cores; llama.cpp threads beyond the cores only wait on each other`
        );
    }
    noteIgnoredValues(mode, values);
    const contextSize = get<number>("contextSize", defaults.contextSize);
    const expertPath = values.get("expert") as string;
    const amateurPath = values.get("amateur") as string;

    const pair = await loadModelPair({
        expertPath,
        amateurPath,
        topK: get<number>("topK", defaults.topK),
        contextSize,
        gpu: get<boolean>("cpu", defaults.cpu) ? false : "auto",
        exactNumerics: get<boolean>("exact", defaults.exact),
        ...(threads != null ? {threads} : {})
    });
    try {
        if (values.has("contextSize")) noteContextCap(pair, contextSize);
        const text = values.get("prompt") as string;
        const system = get<string>("systemPrompt", defaults.systemPrompt);
        const messages: ChatMessage[] = [...(system !== "" ? [{role: "system" as const, text: system}] : []), {role: "user", text}];
        const prompt = get<boolean>("raw", false) ? rawPrompt(pair.tokenizerModel, text) : chatPrompt(pair.tokenizerModel, messages);
        if (prompt.templateProblem != null) note(`${path.basename(expertPath)}: ${prompt.templateProblem}`);
        const json = get<boolean>("json", false);
        const result = await pair.decoder.generate(
            prompt.tokens,
            {
                mode,
                maxTokens: get<number>("maxTokens", defaults.maxTokens),
                temperature: get<number>("temperature", defaults.temperature),
                alpha: get<number>("alpha", defaults.alpha),
                beta: get<number>("beta", defaults.beta),
                gamma: get<number | "auto">("gamma", defaults.gamma),
                // No --seed: the engine draws one and reports it in the stats.
                ...(values.has("seed") ? {seed: get<number>("seed", 0)} : {}),
                stopStrings: prompt.stopStrings,
                stopTokens: prompt.stopTokens
            },
            json ? undefined : (event) => process.stdout.write(event.text)
        );
        if (json) process.stdout.write(JSON.stringify(jsonResult(result)) + "\n");
        else process.stdout.write(`\n\n${statsLine(result)}\n`);
    } finally {
        await pair.dispose();
    }
    return 0;
}

/** Values the chosen mode overrides or never reads: said once on stderr, so nothing changes silently. */
function noteIgnoredValues(mode: DecodeMode, values: FlagValues): void {
    const given = (keys: string[]) => keys.filter((key) => values.has(key)).map((key) => optionSpec(key as OptionKey).flag);
    const contrast = given(["alpha", "beta"]);
    if (mode === "sd" && contrast.length > 0) {
        note(`--mode sd is plain speculative decoding (α = 0, β = 0), so ${contrast.join(" and ")} ${contrast.length > 1 ? "are" : "is"} ignored`);
    }
    if ((mode === "expert" || mode === "amateur") && contrast.length > 0) {
        note(`--mode ${mode} uses one model, so ${contrast.join(" and ")} ${contrast.length > 1 ? "are" : "is"} ignored`);
    }
    if ((mode === "cd" || mode === "expert" || mode === "amateur") && values.has("gamma")) {
        note(`--mode ${mode} does not draft, so --gamma is ignored`);
    }
}

/** Each model's context is capped at its training context (see loadModelPair); say so when that cut the request. */
function noteContextCap(pair: ModelPair, requested: number): void {
    for (const loaded of [pair.expert, pair.amateur]) {
        const trained = loaded.model.trainContextSize;
        if (requested > trained) {
            note(
                `${path.basename(loaded.file.path)} was trained on a context of ${trained} tokens, so it gets ${trained} instead of --context-size ${requested}`
            );
        }
    }
}

function jsonResult(result: GenerationResult) {
    return {text: result.text, tokens: result.tokens, stats: result.stats};
}

function statsLine({stats}: GenerationResult): string {
    const parts = [
        `${stats.mode}`,
        `${stats.generatedTokens} tokens`,
        `${stats.tokensPerSecond.toFixed(1)} tok/s`,
        `first token ${stats.timeToFirstTokenMs?.toFixed(1) ?? "-"} ms`,
        stats.acceptanceRate == null ? null : `acceptance ${(stats.acceptanceRate * 100).toFixed(1)}%`,
        `expert calls ${stats.expertCalls}`,
        stats.fallbackTokens > 0 ? `auto fallback ${stats.fallbackTokens} tokens` : null,
        `seed ${stats.seed}`,
        `stop: ${stats.stopReason}`
    ];
    return `[${parts.filter((p) => p != null).join(" · ")}]`;
}
