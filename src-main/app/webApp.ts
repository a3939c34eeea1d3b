/**
 * Web mode, wired: creates the service (its data folder, model folders, the demo pair), serves the built
 * renderer and the API on 127.0.0.1, hands the service the local server switch (the OpenAI-compatible API,
 * started when the settings turn it on), and stops everything in order. The service factory is a parameter so the
 * entry (webMain.ts) passes the real one and the tests can run the same wiring end to end.
 */
import {mkdirSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {startLocalServerSwitch} from "../server/index.ts";
import type {TandemService} from "../service/index.ts";
import {missingServiceFunctions} from "../transports/serveApi.ts";
import {startWebServer, type WebServer} from "../transports/webServer.ts";
import type {WebConfig} from "./webConfig.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where `npm run build` (vite) puts the renderer. */
export const defaultStaticDir = path.join(repoRoot, "dist", "renderer");
/** The demo pair shipped with the app. */
export const defaultDemoModelsDir = path.join(repoRoot, "resources", "models");

export type ServiceFactory = (options: {
    dataDir: string;
    modelsDirs: readonly string[];
    demoModelsDir: string;
    warmStart?: boolean;
}) => Promise<TandemService>;

export type WebApp = {
    readonly server: WebServer;
    /** Closes the connections, the server, then the service (which stops the engine process). */
    stop(): Promise<void>;
};

export async function startWebApp(
    config: WebConfig,
    createService: ServiceFactory,
    options: {
        staticDir?: string;
        demoModelsDir?: string;
        log?: (line: string) => void;
    } = {}
): Promise<WebApp> {
    mkdirSync(config.dataDir, {recursive: true});
    const service = await createService({
        dataDir: config.dataDir,
        modelsDirs: config.modelsDirs,
        demoModelsDir: options.demoModelsDir ?? defaultDemoModelsDir,
        // The engine starts and loads the last pair now, so the first answer does not wait for it.
        warmStart: true
    });
    const missing = missingServiceFunctions(service);
    if (missing.length > 0) throw new Error(`the service lacks ${missing.join(", ")}`);
    let server: WebServer;
    try {
        await startLocalServerSwitch(service, options.log);
        server = await startWebServer({
            service,
            staticDir: options.staticDir ?? defaultStaticDir,
            token: config.token,
            port: config.port,
            ...(options.log ? {log: options.log} : {})
        });
    } catch (error) {
        await service.close();
        throw error;
    }
    let stopping: Promise<void> | null = null;
    return {
        server,
        stop() {
            stopping ??= (async () => {
                await server.close();
                await service.close();
            })();
            return stopping;
        }
    };
}
