/** Fills in and checks decoding parameters; every bad value gets one plain sentence. */
import {decodeModes, defaultDecodingParams, type DecodingParams, type GenerateOptions} from "./types.ts";

export class InvalidParamsError extends Error {}

export function resolveDecodingParams(options: GenerateOptions): DecodingParams {
    const params: DecodingParams = {
        mode: options.mode ?? defaultDecodingParams.mode,
        temperature: options.temperature ?? defaultDecodingParams.temperature,
        alpha: options.alpha ?? defaultDecodingParams.alpha,
        beta: options.beta ?? defaultDecodingParams.beta,
        gamma: options.gamma ?? defaultDecodingParams.gamma,
        maxTokens: options.maxTokens ?? defaultDecodingParams.maxTokens,
        seed: options.seed ?? defaultDecodingParams.seed
    };
    const problems: string[] = [];
    if (!decodeModes.includes(params.mode)) problems.push(`mode must be one of ${decodeModes.join(", ")}`);
    if (!(params.temperature >= 0 && Number.isFinite(params.temperature))) problems.push("temperature must be a number ≥ 0");
    if (!(params.alpha >= 0 && params.alpha <= 1)) problems.push("alpha must be between 0 and 1");
    if (!(params.beta >= 0 && Number.isFinite(params.beta))) problems.push("beta must be a number ≥ 0");
    if (!(Number.isInteger(params.gamma) && params.gamma >= 1 && params.gamma <= 64)) problems.push("gamma must be an integer from 1 to 64");
    if (!(Number.isInteger(params.maxTokens) && params.maxTokens >= 1)) problems.push("maxTokens must be an integer ≥ 1");
    if (!Number.isInteger(params.seed)) problems.push("seed must be an integer");
    if (problems.length > 0) throw new InvalidParamsError(problems.join("; "));
    // sd is scd against the expert alone.
    return params.mode === "sd" ? {...params, alpha: 0, beta: 0} : params;
}
