/**
 * Settings as the service uses them: the option table's defaults, overlaid by the global settings the user
 * changed, overlaid by a conversation's overrides; and the part of them fixed when a pair is loaded. Pure.
 */
import {optionDefaults, type Settings, type SettingsOverrides} from "../../src-shared/index.ts";
import type {EngineLoadOptions} from "../engineHost/engineProtocol.ts";
import type {DecodingParams} from "../engine/index.ts";

function defined(values: SettingsOverrides): SettingsOverrides {
    return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

export function resolveSettings(global: SettingsOverrides, overrides: SettingsOverrides = {}): Settings {
    return {...(optionDefaults() as Settings), ...defined(global), ...defined(overrides)};
}

/** What the service was started with, used where the settings leave a load option to "pick one for me". */
export type LoadDefaults = {readonly threads?: number; readonly cpu?: boolean};

export function loadOptionsOf(settings: Settings, defaults: LoadDefaults = {}): EngineLoadOptions {
    return {
        threads: settings.threads ?? defaults.threads ?? null,
        cpu: settings.cpu || (defaults.cpu ?? false),
        contextSize: settings.contextSize,
        topK: settings.topK,
        exact: settings.exact
    };
}

export function sameLoadOptions(a: EngineLoadOptions, b: EngineLoadOptions): boolean {
    return a.threads === b.threads && a.cpu === b.cpu && a.contextSize === b.contextSize && a.topK === b.topK && a.exact === b.exact;
}

/** The decoder's parameters for one answer; `seed` is the answer's own (drawn by the caller when settings leave it null). */
export function decodingParamsOf(settings: Settings, seed: number): DecodingParams {
    return {
        mode: settings.mode,
        temperature: settings.temperature,
        alpha: settings.alpha,
        beta: settings.beta,
        gamma: settings.gamma,
        maxTokens: settings.maxTokens,
        seed
    };
}
