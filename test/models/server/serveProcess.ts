/**
 * `tandem serve` as a user starts it (a child process through bin/tandem.mjs), on the demo pair, CPU, one
 * llama.cpp thread per model, a fresh data folder, 127.0.0.1 and a free port; resolves once it prints its
 * address. Its stderr (one line per request) is kept for the tests to read.
 */
import {spawn, type ChildProcess} from "node:child_process";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const bin = path.join(repoRoot, "bin", "tandem.mjs");
export const demoExpert = path.join(repoRoot, "resources", "models", "stories260K.gguf");
export const demoAmateur = path.join(repoRoot, "resources", "models", "stories260K-L4-earlyexit.gguf");
export const DEMO_PAIR_ID = "stories260K+stories260K-L4-earlyexit";
export const TEST_KEY = "test-key-0123456789abcdef";

export type ServeProcess = {
    readonly child: ChildProcess;
    readonly baseUrl: string;
    readonly apiKey: string;
    readonly stdout: () => string;
    readonly stderr: () => string;
    /** SIGTERM, then the exit code. */
    stop(): Promise<number | null>;
};

/**
 * `options.apiKey`: the key passed with --api-key (default TEST_KEY; null: none, then the one in `extra`, else
 * the printed one). `options.port`: --port (default 0, a free one; null: the default port).
 */
export async function startServe(
    extra: readonly string[] = [],
    options: {apiKey?: string | null; port?: number | null; env?: NodeJS.ProcessEnv} = {}
): Promise<ServeProcess> {
    const apiKey = options.apiKey === undefined ? TEST_KEY : options.apiKey;
    const port = options.port === undefined ? 0 : options.port;
    const args = [
        bin,
        "serve",
        "--expert",
        demoExpert,
        "--amateur",
        demoAmateur,
        "--threads",
        "1",
        "--cpu",
        ...(port != null ? ["--port", String(port)] : []),
        ...(apiKey != null ? ["--api-key", apiKey] : []),
        ...extra
    ];
    const dataDir = mkdtempSync(path.join(tmpdir(), "tandem-serve-"));
    const child = spawn(process.execPath, args, {
        cwd: repoRoot,
        env: {...process.env, TANDEM_DATA_DIR: dataDir, TANDEM_MODELS_DIR: "", TANDEM_API_KEY: "", ...options.env},
        stdio: ["ignore", "pipe", "pipe"]
    });
    let out = "";
    let err = "";
    child.stdout!.setEncoding("utf8").on("data", (text: string) => (out += text));
    child.stderr!.setEncoding("utf8").on("data", (text: string) => (err += text));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const baseUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`tandem serve printed no address within 60 s; stderr:\n${err}`)), 60_000);
        const check = () => {
            const match = /at (http:\/\/127\.0\.0\.1:\d+\/v1)\n/.exec(out);
            if (match != null) {
                clearTimeout(timer);
                resolve(match[1]!);
            }
        };
        child.stdout!.on("data", check);
        void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`tandem serve exited with ${code} before printing its address; stderr:\n${err}`));
        });
    });
    const printedKey = /API key: (\S+)/.exec(out)?.[1];
    return {
        child,
        baseUrl,
        apiKey: apiKey ?? (extra.includes("--api-key") ? extra[extra.indexOf("--api-key") + 1]! : printedKey!),
        stdout: () => out,
        stderr: () => err,
        async stop() {
            if (child.exitCode == null) child.kill("SIGTERM");
            return exited;
        }
    };
}
