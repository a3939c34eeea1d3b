/**
 * `tandem serve`: the OpenAI-compatible API, headless, on the app's own service (its settings and measured
 * baselines from the app's data folder; chats are never written by API traffic). Loads the pair first, prints
 * the base URL and the API key on stdout, logs one line per request on stderr, and stops cleanly on
 * SIGINT/SIGTERM.
 */
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {optionSpec, type OptionKey, type SettingsOverrides} from "../../src-shared/index.ts";
import {apiKeyProblem, isLoopback, newApiKey, pairId, startApiServer} from "../server/index.ts";
import {createService, dataDir} from "../service/index.ts";
import {helpText, parseFlags, usageLine, type Command, type Flag} from "./flags.ts";
import {UsageError} from "./options.ts";

const MAX_PATH_LENGTH = 4096;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const demoModelsDir = path.join(repoRoot, "resources", "models");

const tableFlag = (key: OptionKey, valueName?: string): Flag => {
    const {key: _key, scope: _scope, label: _label, ...spec} = optionSpec(key);
    return {key, spec, ...(valueName != null ? {valueName} : {})};
};

const pathFlag = (key: string, help: string): Flag => ({
    key,
    valueName: "PATH",
    spec: {flag: `--${key}`, kind: "string", default: "", maxLength: MAX_PATH_LENGTH, help}
});

/** The settings serve's flags may set: every request starts from them (over the app's settings). */
const settingFlags: readonly [OptionKey, string?][] = [
    ["mode", "MODE"],
    ["gamma", "G"],
    ["alpha", "A"],
    ["beta", "B"],
    ["temperature", "T"],
    ["maxTokens", "N"],
    ["topK", "K"],
    ["threads", "N"],
    ["contextSize", "N"],
    ["systemPrompt", "TEXT"],
    ["cpu"],
    ["exact"]
];

export const serveCommandSpec: Command = {
    name: "serve",
    summary:
        "Serves an OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/completions) that decodes with the pair,\n" +
        "on the service the app uses (docs/server.md). The options below are the defaults of every request; the app's\n" +
        "settings fill in the rest. The API key: --api-key, else TANDEM_API_KEY, else a new one, printed at start.",
    flags: [
        pathFlag("expert", "the expert: the large GGUF model (default: the demo pair's)"),
        pathFlag("amateur", "the amateur: a small GGUF model with the expert's tokenizer (default: the demo pair's)"),
        tableFlag("serverHost", "HOST"),
        tableFlag("serverPort", "N"),
        tableFlag("serverApiKey", "KEY"),
        ...settingFlags.map(([key, valueName]) => tableFlag(key, valueName))
    ]
};

export const serveUsage = usageLine(serveCommandSpec);
export const serveHelp = helpText(serveCommandSpec);

export async function serveCommand(argv: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
    const values = parseFlags(serveCommandSpec, argv);
    if (values.get("help") === true) {
        process.stdout.write(serveHelp);
        return 0;
    }
    const expertPath = values.get("expert") as string | undefined;
    const amateurPath = values.get("amateur") as string | undefined;
    if ((expertPath == null) !== (amateurPath == null))
        throw new UsageError("tandem serve needs both --expert and --amateur, or neither (the demo pair)");
    const threads = values.get("threads") as number | undefined;
    const cores = os.availableParallelism();
    if (threads != null && threads > cores) {
        throw new UsageError(
            `--threads ${threads} is more than this machine's ${cores} cores; llama.cpp threads beyond the cores only wait on each other`
        );
    }
    const givenKey = (values.get("serverApiKey") as string | undefined) ?? env.TANDEM_API_KEY ?? "";
    if (givenKey !== "") {
        const problem = apiKeyProblem(givenKey);
        if (problem != null) throw new UsageError(`${values.has("serverApiKey") ? "--api-key" : "TANDEM_API_KEY"}: ${problem}`);
    }
    const apiKey = givenKey !== "" ? givenKey : newApiKey();
    const host = (values.get("serverHost") as string | undefined) ?? (optionSpec("serverHost").default as string);
    const port = (values.get("serverPort") as number | undefined) ?? (optionSpec("serverPort").default as number);
    const defaults: Record<string, unknown> = {};
    for (const [key] of settingFlags) if (values.has(key)) defaults[key] = values.get(key);

    const modelsDir = env.TANDEM_MODELS_DIR ?? "";
    const service = await createService({
        dataDir: dataDir({env}),
        modelsDirs: modelsDir === "" ? [] : [path.resolve(modelsDir)],
        demoModelsDir,
        // The app may be running on the same data folder: its answer in progress is not this process's to mark.
        keepInterruptedAnswers: true
    });
    const log = (line: string) => process.stderr.write(`tandem: ${line}\n`);
    try {
        const pair =
            expertPath != null && amateurPath != null
                ? {expertPath: path.resolve(expertPath), amateurPath: path.resolve(amateurPath)}
                : service.currentPair();
        // The port first (a port in use is said at once); requests that come while the pair loads wait their turn.
        const server = await startApiServer({backend: service, host, port, apiKey, defaults: defaults as SettingsOverrides, log});
        log(`loading ${pairId(pair)}…`);
        try {
            await service.preparePair({pair, settings: defaults as SettingsOverrides});
        } catch (error) {
            await server.close();
            throw error;
        }
        process.stdout.write(`API key: ${givenKey !== "" ? "(the one given)" : apiKey}\nTandem serves ${pairId(pair)} at ${server.baseUrl}\n`);
        if (!isLoopback(host)) log("warning: other machines can reach this server; keep the API key secret");
        await new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
        });
        await server.close();
    } finally {
        await service.close();
    }
    return 0;
}
