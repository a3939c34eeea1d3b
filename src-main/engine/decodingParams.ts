/**
 * Fills in and checks decoding parameters. Defaults and ranges come from the one option table
 * (src-shared/options/optionTable.ts), so the engine, the CLI and the app agree; every bad value gets the
 * table's one sentence. A seed left out (or null, the table's default) is drawn here and reported in
 * the stats, so any answer can be reproduced (every random number is keyed by the position of the token it
 * decides; docs/engine.md says what that fixes under γ auto). γ takes "auto" (the table's default) or a number.
 */
import {drawSeed, optionDefaults, optionProblem, optionSpec} from "../../src-shared/index.ts";
import type {DecodeMode, DecodingParams, GenerateOptions} from "./types.ts";

export class InvalidParamsError extends Error {}

const decodingKeys = ["mode", "temperature", "alpha", "beta", "gamma", "maxTokens", "seed"] as const;

export function resolveDecodingParams(options: GenerateOptions): DecodingParams {
    const defaults = optionDefaults();
    const problems: string[] = [];
    for (const key of decodingKeys) {
        const value = options[key];
        if (value === undefined) continue;
        const problem = optionProblem(optionSpec(key), value);
        if (problem != null) problems.push(problem);
    }
    if (problems.length > 0) throw new InvalidParamsError(problems.join("; "));
    const params: DecodingParams = {
        mode: options.mode ?? (defaults.mode as DecodeMode),
        temperature: options.temperature ?? defaults.temperature,
        alpha: options.alpha ?? defaults.alpha,
        beta: options.beta ?? defaults.beta,
        gamma: options.gamma ?? defaults.gamma,
        maxTokens: options.maxTokens ?? defaults.maxTokens,
        seed: options.seed ?? defaults.seed ?? drawSeed()
    };
    // sd is scd against the expert alone.
    return params.mode === "sd" ? {...params, alpha: 0, beta: 0} : params;
}
