/**
 * The compare view's state, apart from the app's: the comparisons of the open conversation (one per user
 * message compared: the same prompt through expert, sd, cd and scd with one seed), kept up to date from the
 * service's `comparison` events, and the action that starts one. Components read `forMessage(id)`.
 */
import type {Comparison, ConversationWithMessages, ServiceApi, ServiceEvent} from "../../src-shared/index.ts";
import type {Connection} from "../transport/index.ts";
import {errorText} from "./errors.ts";

export class CompareState {
    /** The open conversation's comparisons by the id of the user message they compare. */
    byMessage: Record<string, Comparison> = $state({});
    conversationId: string | null = $state(null);
    /** The last failed start, in words (shown under the message it was for). */
    error: string | null = $state(null);
    errorFor: string | null = $state(null);
    /** A comparison is running (one at a time, like answers). */
    readonly running = $derived(Object.values(this.byMessage).some((c) => c.status === "running"));

    private api: ServiceApi | null = null;
    private connection: Connection | null = null;
    private unsubscribe: (() => void) | null = null;

    /** Follows the connection's events (once per connection). */
    attach(connection: Connection): void {
        if (connection === this.connection) return;
        this.connection = connection;
        this.api = connection.api;
        this.unsubscribe?.();
        this.unsubscribe = connection.subscribe((event) => this.onEvent(event));
        const open = this.conversationId;
        this.conversationId = null;
        if (open != null) void this.open(open);
    }

    detach(): void {
        this.unsubscribe?.();
        this.unsubscribe = null;
        this.api = null;
        this.connection = null;
    }

    /** The conversation now open, with the comparisons stored with it. */
    show(conversation: ConversationWithMessages | null): void {
        this.conversationId = conversation?.conversation.id ?? null;
        const next: Record<string, Comparison> = {};
        for (const comparison of conversation?.comparisons ?? []) next[comparison.messageId] = comparison;
        this.byMessage = next;
        this.error = null;
    }

    /** Loads the comparisons of conversation `id` (when the open conversation changes). */
    async open(id: string | null): Promise<void> {
        if (id === this.conversationId && (this.api != null || id == null)) return;
        this.conversationId = id;
        this.byMessage = {};
        if (id == null || this.api == null) return;
        try {
            const conversation = await this.api.getConversation({id});
            if (this.conversationId === id) this.show(conversation);
        } catch (error) {
            this.error = errorText(error);
        }
    }

    forMessage(messageId: string): Comparison | null {
        return this.byMessage[messageId] ?? null;
    }

    /** Runs the user message `messageId` through every mode; false (with `error` set) when refused. */
    async start(conversationId: string, messageId: string): Promise<boolean> {
        if (this.api == null) return false;
        this.error = null;
        this.errorFor = messageId;
        try {
            const comparison = await this.api.compareModes({conversationId, messageId});
            this.put(comparison);
            return true;
        } catch (error) {
            this.error = errorText(error);
            return false;
        }
    }

    async stop(): Promise<void> {
        try {
            await this.api?.stopGeneration();
        } catch (error) {
            this.error = errorText(error);
        }
    }

    private onEvent(event: ServiceEvent): void {
        if (event.type === "comparison") this.put(event.comparison);
    }

    private put(comparison: Comparison): void {
        if (comparison.conversationId !== this.conversationId) return;
        this.byMessage = {...this.byMessage, [comparison.messageId]: comparison};
    }
}

export const compare = new CompareState();
