/**
 * The session with the service: the Connection, what the service last said about itself (status), and what the
 * user is told in passing (alerts for failed actions, notices pushed by the service). Every other store reaches
 * the service through `api` and reports failures through `run`, so a failed action is always a sentence on
 * screen, never silent.
 */
import type {AppStatus, ServiceApi} from "../../../src-shared/index.ts";
import type {Connection} from "../../transport/index.ts";
import {errorText} from "../errors.ts";

export type Alert = {readonly id: number; readonly text: string};
export type Notice = {readonly id: number; readonly conversationId: string | null; readonly text: string};

/** How many alerts and notices stay on screen at most (older ones are dropped first). */
export const KEEP_MESSAGES = 5;

export class StatusStore {
    connection: Connection | null = $state(null);
    /** Set when the service cannot be reached at all. */
    connectionError: string | null = $state(null);
    status: AppStatus | null = $state(null);
    alerts: Alert[] = $state([]);
    notices: Notice[] = $state([]);

    readonly engine = $derived(this.status?.engine ?? null);
    readonly pairReady = $derived(this.status?.engine.state === "ready");
    readonly contextSize: number | null = $derived(this.status?.engine.state === "ready" ? this.status.engine.contextSize : null);

    private nextId = 1;

    get api(): ServiceApi {
        if (this.connection == null) throw new Error("the service is not connected");
        return this.connection.api;
    }

    /** Connects; false (and `connectionError` in words) when the service cannot be reached. */
    async connect(connectTo: () => Promise<Connection>): Promise<boolean> {
        try {
            this.connection = await connectTo();
            this.connectionError = null;
            return true;
        } catch (error) {
            this.connectionError = errorText(error, "reach the Tandem service");
            return false;
        }
    }

    /** Runs `action`; a failure becomes an alert "Could not <what>: …". Returns false when it failed. */
    async run(what: string, action: () => Promise<void>): Promise<boolean> {
        try {
            await action();
            return true;
        } catch (error) {
            this.alert(errorText(error, what));
            return false;
        }
    }

    async refresh(): Promise<boolean> {
        return this.run("read the status", async () => void (this.status = await this.api.getStatus()));
    }

    alert(text: string): void {
        this.alerts.push({id: this.nextId++, text});
        if (this.alerts.length > KEEP_MESSAGES) this.alerts.splice(0, this.alerts.length - KEEP_MESSAGES);
    }

    dismissAlert(id: number): void {
        this.alerts = this.alerts.filter((a) => a.id !== id);
    }

    notice(conversationId: string | null, text: string): void {
        this.notices.push({id: this.nextId++, conversationId, text});
        if (this.notices.length > KEEP_MESSAGES) this.notices.splice(0, this.notices.length - KEEP_MESSAGES);
    }

    dismissNotice(id: number): void {
        this.notices = this.notices.filter((n) => n.id !== id);
    }
}
