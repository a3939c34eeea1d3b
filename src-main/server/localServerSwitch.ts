/**
 * The app's "Local server" switch: follows the settings (localServer, serverHost, serverPort, serverApiKey),
 * starting, restarting or stopping the API server on the app's own service, so the app's chat and the API
 * share one pair through the service's one queue. When the switch is on and no key is set, a key is made and
 * saved in the settings (so editors configured with it keep working after a restart) and shown in Settings.
 */
import type {LocalServerStatus, Settings, SettingsOverrides} from "../../src-shared/index.ts";
import type {LocalServerControl} from "../service/index.ts";
import {newApiKey} from "./apiKey.ts";
import {isLoopback, startApiServer, type ApiBackend, type ApiServer} from "./apiServer.ts";

export type SwitchBackend = ApiBackend & {updateSettings(changes: SettingsOverrides): Promise<Settings>};

type Config = {readonly host: string; readonly port: number; readonly apiKey: string};

/** A service that can carry the switch (TandemService). */
export type SwitchHost = SwitchBackend & {attachLocalServer(control: LocalServerControl): Promise<void>};

/** Creates the switch for the app's service and hands it over: from now on it follows the settings. */
export async function startLocalServerSwitch(service: SwitchHost, log: (line: string) => void = () => {}): Promise<LocalServerSwitch> {
    const control = new LocalServerSwitch(service, log);
    await service.attachLocalServer(control);
    return control;
}

export class LocalServerSwitch implements LocalServerControl {
    private server: ApiServer | null = null;
    private config: Config | null = null;
    private current: LocalServerStatus = {state: "off"};
    /** Applies run one after another (a settings change while a server starts waits for it). */
    private applying: Promise<unknown> = Promise.resolve();

    constructor(
        private readonly backend: SwitchBackend,
        private readonly log: (line: string) => void = () => {}
    ) {}

    get status(): LocalServerStatus {
        return this.current;
    }

    /** Brings the server in line with `settings`; resolves with the resulting status (never throws). */
    apply(settings: Settings): Promise<LocalServerStatus> {
        const next = this.applying.then(() => this.applyNow(settings));
        this.applying = next.catch(() => undefined);
        return next;
    }

    async close(): Promise<void> {
        await this.applying;
        await this.stop();
    }

    private async applyNow(settings: Settings): Promise<LocalServerStatus> {
        if (!settings.localServer) {
            await this.stop();
            this.current = {state: "off"};
            return this.current;
        }
        let apiKey = settings.serverApiKey;
        if (apiKey === "") {
            apiKey = newApiKey();
            // Saving the key calls apply again (queued behind this one), which then finds the server as wanted.
            void this.backend
                .updateSettings({serverApiKey: apiKey})
                .catch((error: unknown) => this.log(`the new API key could not be saved: ${String(error)}`));
        }
        const wanted: Config = {host: settings.serverHost, port: settings.serverPort, apiKey};
        if (this.server != null && this.config != null && sameConfig(this.config, wanted)) return this.current;
        await this.stop();
        try {
            this.server = await startApiServer({backend: this.backend, host: wanted.host, port: wanted.port, apiKey: wanted.apiKey, log: this.log});
            this.config = wanted;
            this.current = {
                state: "on",
                baseUrl: this.server.baseUrl,
                apiKey: wanted.apiKey,
                ...(isLoopback(wanted.host)
                    ? {}
                    : {warning: `listening on ${wanted.host}: other machines that reach it can use the models with the key`})
            };
        } catch (error) {
            this.current = {state: "error", message: `the local server could not start: ${error instanceof Error ? error.message : String(error)}`};
        }
        return this.current;
    }

    private async stop(): Promise<void> {
        const server = this.server;
        this.server = null;
        this.config = null;
        await server?.close();
    }
}

function sameConfig(a: Config, b: Config): boolean {
    return a.host === b.host && a.port === b.port && a.apiKey === b.apiKey;
}
