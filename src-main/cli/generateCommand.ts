/** `tandem generate`: one generation on an expert/amateur pair, streamed to stdout or printed as JSON. */
import {parseArgs} from "node:util";
import {decodeModes, type DecodeMode, type GenerationResult} from "../engine/types.ts";
import {loadModelPair} from "../models/modelPair.ts";
import {chatPrompt, rawPrompt} from "../models/promptFormat.ts";
import {UsageError, parseIntegerOption, parseNumberOption} from "./options.ts";

export const generateUsage = `usage: tandem generate --expert PATH --amateur PATH --prompt TEXT
       [--mode scd|sd|cd|expert|amateur] [--raw] [--max-tokens N] [--temperature T]
       [--alpha A] [--beta B] [--gamma G] [--top-k K] [--seed S] [--threads N]
       [--context-size N] [--cpu] [--exact] [--json]`;

export async function generateCommand(argv: string[]): Promise<number> {
    const {values} = parseArgs({
        args: argv,
        strict: true,
        options: {
            expert: {type: "string"},
            amateur: {type: "string"},
            prompt: {type: "string"},
            mode: {type: "string", default: "scd"},
            raw: {type: "boolean", default: false},
            "max-tokens": {type: "string", default: "128"},
            temperature: {type: "string", default: "0"},
            alpha: {type: "string", default: "0.1"},
            beta: {type: "string", default: "0.5"},
            gamma: {type: "string", default: "4"},
            "top-k": {type: "string", default: "64"},
            seed: {type: "string"},
            threads: {type: "string"},
            "context-size": {type: "string", default: "2048"},
            cpu: {type: "boolean", default: false},
            exact: {type: "boolean", default: false},
            json: {type: "boolean", default: false}
        }
    });
    if (values.expert == null || values.amateur == null || values.prompt == null) {
        throw new UsageError(`--expert, --amateur and --prompt are required\n${generateUsage}`);
    }
    if (!decodeModes.includes(values.mode as DecodeMode)) throw new UsageError(`--mode must be one of ${decodeModes.join(", ")}`);
    const mode = values.mode as DecodeMode;
    const options = {
        mode,
        maxTokens: parseIntegerOption("--max-tokens", values["max-tokens"], 1),
        temperature: parseNumberOption("--temperature", values.temperature, 0),
        alpha: parseNumberOption("--alpha", values.alpha, 0, 1),
        beta: parseNumberOption("--beta", values.beta, 0),
        gamma: parseIntegerOption("--gamma", values.gamma, 1, 64),
        seed: values.seed == null ? Math.floor(Math.random() * 2 ** 31) : parseIntegerOption("--seed", values.seed, 0)
    };
    const topK = parseIntegerOption("--top-k", values["top-k"], 1);
    const threads = values.threads == null ? undefined : parseIntegerOption("--threads", values.threads, 1, 256);
    const contextSize = parseIntegerOption("--context-size", values["context-size"], 16);

    const pair = await loadModelPair({
        expertPath: values.expert,
        amateurPath: values.amateur,
        topK,
        contextSize,
        gpu: values.cpu ? false : "auto",
        exactNumerics: values.exact,
        ...(threads != null ? {threads} : {})
    });
    try {
        const prompt = values.raw
            ? rawPrompt(pair.tokenizerModel, values.prompt)
            : chatPrompt(pair.tokenizerModel, [{role: "user", text: values.prompt}]);
        const result = await pair.decoder.generate(prompt.tokens, {...options, stopStrings: prompt.stopStrings, stopTokens: prompt.stopTokens},
            values.json ? undefined : (event) => process.stdout.write(event.text));
        if (values.json) process.stdout.write(JSON.stringify(jsonResult(result)) + "\n");
        else process.stdout.write(`\n\n${statsLine(result)}\n`);
    } finally {
        await pair.dispose();
    }
    return 0;
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
        `stop: ${stats.stopReason}`
    ];
    return `[${parts.filter((p) => p != null).join(" · ")}]`;
}
