/**
 * `npm run serve` (through scripts/serve.mjs): the web app on 127.0.0.1 with the real service. Prints one
 * line with the address to open (token included), stops cleanly on SIGINT/SIGTERM. Bad settings or a busy
 * port end with one line on stderr and exit code 1.
 */
import {createService} from "../service/index.ts";
import {readWebConfig} from "./webConfig.ts";
import {startWebApp, type WebApp} from "./webApp.ts";

export async function main(env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
    let app: WebApp;
    try {
        const config = readWebConfig(env);
        app = await startWebApp(config, createService, {log: (line) => process.stderr.write(`tandem: ${line}\n`)});
    } catch (error) {
        process.stderr.write(`tandem: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
        return 1;
    }
    process.stdout.write(`Tandem is running at ${app.server.url}\n`);
    return new Promise<number>((resolve) => {
        const stop = () => {
            app.stop().then(
                () => resolve(0),
                (error: unknown) => {
                    process.stderr.write(`tandem: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
                    resolve(1);
                }
            );
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
    });
}
