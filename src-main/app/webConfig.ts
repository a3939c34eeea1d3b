/**
 * The web mode's settings, from the environment: TANDEM_PORT (default 7863; 0 picks a free port),
 * TANDEM_DATA_DIR (the database's folder; default the per-user data folder), TANDEM_MODELS_DIR (an extra
 * model folder), TANDEM_TOKEN (fixes the secret, for tests; default a fresh one per launch). Pure given the
 * environment; a bad value throws one sentence naming the variable.
 */
import path from "node:path";
import {dataDir} from "../service/index.ts";
import {newToken, tokenProblem} from "../transports/webSecurity.ts";

export const DEFAULT_PORT = 7863;

export type WebConfig = {
    readonly port: number;
    readonly dataDir: string;
    readonly modelsDirs: readonly string[];
    readonly token: string;
};

export class WebConfigError extends Error {
    override readonly name = "WebConfigError";
}

export function readWebConfig(env: Readonly<Record<string, string | undefined>> = process.env): WebConfig {
    const portText = env.TANDEM_PORT?.trim() ?? "";
    let port = DEFAULT_PORT;
    if (portText !== "") {
        port = Number(portText);
        if (!/^\d+$/.test(portText) || port > 65535) {
            throw new WebConfigError(`TANDEM_PORT must be a port number from 0 to 65535, not ${JSON.stringify(portText.slice(0, 40))}`);
        }
    }
    const token = env.TANDEM_TOKEN ?? "";
    if (token !== "") {
        const problem = tokenProblem(token);
        if (problem != null) throw new WebConfigError(problem);
    }
    const modelsDir = env.TANDEM_MODELS_DIR ?? "";
    return {
        port,
        dataDir: dataDir({env}),
        modelsDirs: modelsDir === "" ? [] : [path.resolve(modelsDir)],
        token: token !== "" ? token : newToken()
    };
}
