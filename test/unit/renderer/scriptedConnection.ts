/**
 * A Connection for the stores' unit tests: each test says what the service answers to the calls it expects
 * (anything else rejects with a ServiceError-shaped error naming the call), every call is recorded with its
 * request, and the test pushes service events by hand. The stores run unchanged on it.
 */
import type {ServiceApi, ServiceEvent} from "../../../src-shared/index.ts";
import type {Connection} from "../../../src-renderer/transport/index.ts";

export type Call = {readonly name: string; readonly args: readonly unknown[]};
type Handlers = {
    [K in keyof ServiceApi]?: (
        ...args: Parameters<ServiceApi[K]>
    ) => Awaited<ReturnType<ServiceApi[K]>> | Promise<Awaited<ReturnType<ServiceApi[K]>>>;
};

export class ScriptedConnection implements Connection {
    readonly kind = "web" as const;
    readonly calls: Call[] = [];
    private readonly listeners = new Set<(event: ServiceEvent) => void>();
    readonly api: ServiceApi;

    constructor(public handlers: Handlers = {}) {
        this.api = new Proxy({} as ServiceApi, {
            get:
                (_target, name) =>
                async (...args: unknown[]) => {
                    this.calls.push({name: String(name), args});
                    const handler = (this.handlers as Record<string, ((...a: unknown[]) => unknown) | undefined>)[String(name)];
                    if (handler == null) throw Object.assign(new Error(`${String(name)} is not scripted in this test`), {code: "internal"});
                    return handler(...args);
                }
        });
    }

    subscribe(listener: (event: ServiceEvent) => void): () => void {
        this.listeners.add(listener);
        return () => void this.listeners.delete(listener);
    }

    emit(event: ServiceEvent): void {
        for (const listener of [...this.listeners]) listener(event);
    }

    callsTo(name: keyof ServiceApi): Call[] {
        return this.calls.filter((c) => c.name === name);
    }
}

/** An error as a transport delivers a refusal: a message and a ServiceError code. */
export function refusal(code: string, message: string): Error {
    return Object.assign(new Error(message), {code});
}
