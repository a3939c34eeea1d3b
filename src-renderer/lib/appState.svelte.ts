/**
 * The app's state, composed of one store per area: the session with the service (status, alerts, notices),
 * the settings, the conversations (and the answers streaming in), and the model library with the pair. This
 * module connects them: it starts the session, routes the service's events to the store they concern, and holds
 * what only the window needs (which view shows). Components import `app` and call the stores' actions.
 */
import type {ServiceEvent} from "../../src-shared/index.ts";
import type {Connection, Dialogs} from "../transport/index.ts";
import {ConversationsStore} from "./stores/conversationsStore.svelte.ts";
import {LibraryStore} from "./stores/libraryStore.svelte.ts";
import {SettingsStore} from "./stores/settingsStore.svelte.ts";
import {StatusStore} from "./stores/statusStore.svelte.ts";

export type {UiMessage} from "./stores/conversationsStore.svelte.ts";
export type {Alert, Notice} from "./stores/statusStore.svelte.ts";

/** Parts of the library view the welcome's buttons lead to. */
export type LibrarySection = "pair" | "models" | "sources" | "downloads";

export class AppState {
    readonly status = new StatusStore();
    readonly settings = new SettingsStore(this.status);
    readonly library: LibraryStore = new LibraryStore(this.status, {
        contextSize: () => this.settings.settings?.contextSize,
        rememberedPair: () => this.chats.conversations.find((c) => c.pair != null)?.pair ?? null
    });
    readonly chats = new ConversationsStore(this.status, this.settings, {pairForAnswer: () => this.library.pairForAnswer()});

    /** The main area: the chat, or the model library. */
    view: "chat" | "library" = $state("chat");
    /** A section of the library to bring into view once it shows; cleared by the view. */
    librarySection: LibrarySection | null = $state(null);

    /** An answer is being written (the service says so, or one of the open chat's messages is streaming). */
    readonly busy = $derived(this.status.status?.busy === true || this.chats.streaming);
    readonly dialogs: Dialogs | null = $derived(this.status.connection?.dialogs ?? null);

    private unsubscribe: (() => void) | null = null;

    /** Connects and loads everything the first screen shows. */
    async start(connectTo: () => Promise<Connection>): Promise<void> {
        if (!(await this.status.connect(connectTo))) return;
        this.unsubscribe = this.status.connection!.subscribe((event) => this.onEvent(event));
        await Promise.all([this.status.refresh(), this.settings.load(), this.chats.refresh()]);
        await Promise.all([this.library.start(), this.openFirstChat()]);
    }

    private async openFirstChat(): Promise<void> {
        const first = this.chats.conversations[0];
        if (first != null && this.chats.current == null) await this.chats.open(first.id);
    }

    stop(): void {
        this.unsubscribe?.();
        this.unsubscribe = null;
    }

    openLibrary(section: LibrarySection | null = null): void {
        this.view = "library";
        this.librarySection = section;
    }

    closeLibrary(): void {
        this.view = "chat";
    }

    /** Routes one service event to the store it concerns. */
    onEvent(event: ServiceEvent): void {
        switch (event.type) {
            case "status":
                this.status.status = event.status;
                break;
            case "conversations":
                void this.chats.refresh();
                break;
            case "notice":
                this.status.notice(event.conversationId, event.text);
                break;
            case "generation":
                this.chats.onGeneration(event.event);
                break;
            case "library":
                void this.library.onLibraryChanged();
                break;
            case "libraryScan":
                this.library.onScan(event.progress);
                break;
            case "download":
                this.library.onDownload(event.download);
                break;
        }
    }
}

export const app = new AppState();
