/**
 * A small, real, in-memory implementation of the contract's functions, for the transport tests only: the
 * transports are generic over any object with ServiceApi + subscribe, so their tests need an object that
 * behaves (keeps conversations, streams an answer as events, refuses with ServiceError codes) without models.
 * It also records every call it received, so tests can prove a refused request never reached it. The real
 * service (src-main/service) is tested by its own tests and by the full-stack web test.
 */
import {
    ServiceError,
    optionDefaults,
    type AppStatus,
    type Conversation,
    type Message,
    type ServiceApi,
    type ServiceEvent,
    type Settings,
    type SettingsOverrides
} from "../../src-shared/index.ts";

export type MemoryService = ServiceApi & {
    subscribe(listener: (event: ServiceEvent) => void): () => void;
    readonly calls: string[];
    listenerCount(): number;
    /** Resolves pending `stopGeneration`-gated answers; lets a test hold a call open. */
    releaseHeldCalls(): void;
};

type LibraryFunctions = Pick<
    ServiceApi,
    | "listLibrary"
    | "addModelFolder"
    | "removeModelFolder"
    | "addModelFile"
    | "removeModelFile"
    | "setSourceEnabled"
    | "rescanLibrary"
    | "pairVerdicts"
    | "estimateFit"
    | "catalogue"
    | "startDownload"
    | "cancelDownload"
    | "resumeDownload"
    | "listDownloads"
    | "dismissDownload"
    | "getLibrarySettings"
    | "updateLibrarySettings"
>;

function emptyLibrary(): LibraryFunctions {
    const snapshot = {sources: [], models: [], scan: {scanning: false, entriesSeen: 0, filesFound: 0, headersRead: 0}};
    const refuse = async (): Promise<never> => {
        throw new ServiceError("notFound", "this test service has no model library");
    };
    return {
        listLibrary: async () => snapshot,
        addModelFolder: refuse,
        removeModelFolder: refuse,
        addModelFile: refuse,
        removeModelFile: refuse,
        setSourceEnabled: refuse,
        rescanLibrary: async () => snapshot,
        pairVerdicts: refuse,
        estimateFit: refuse,
        catalogue: async () => [],
        startDownload: refuse,
        cancelDownload: refuse,
        resumeDownload: refuse,
        listDownloads: async () => [],
        dismissDownload: refuse,
        getLibrarySettings: async () => ({hfEndpoint: "https://huggingface.co", downloadDir: "/nowhere"}),
        updateLibrarySettings: refuse
    };
}

export function createMemoryService(): MemoryService {
    const listeners = new Set<(event: ServiceEvent) => void>();
    const emit = (event: ServiceEvent) => listeners.forEach((listener) => listener(event));
    const calls: string[] = [];
    const conversations = new Map<string, {conversation: Conversation; messages: Message[]}>();
    let settings = optionDefaults() as unknown as Settings;
    let nextId = 1;
    let held: (() => void)[] = [];
    const now = () => new Date(0).toISOString();
    const status = (): AppStatus => ({engine: {state: "idle"}, busy: false, calibration: {state: "none"}, version: "test"});

    function conversationOf(id: string) {
        const found = conversations.get(id);
        if (found == null) throw new ServiceError("notFound", `there is no conversation ${id}`);
        return found;
    }
    function message(conversationId: string, role: Message["role"], content: string): Message {
        return {
            id: `m${nextId++}`,
            conversationId,
            role,
            content,
            status: "done",
            error: null,
            stats: null,
            runs: null,
            seed: null,
            createdAt: now(),
            updatedAt: now()
        };
    }

    const service: ServiceApi = {
        async getStatus() {
            return status();
        },
        async listModels() {
            return [];
        },
        async checkPair() {
            return {compatible: false, failures: [{rule: "vocabularySize", message: "the vocabularies differ"}]};
        },
        async loadPair() {
            throw new ServiceError("incompatiblePair", "the pair is incompatible: the vocabularies differ");
        },
        async unloadPair() {
            return status();
        },
        async calibrate() {
            // An unexpected failure, as a bug would raise it: the transport must hide its stack.
            throw new TypeError("Cannot read properties of undefined (reading 'expert')\n    at calibrate (/secret/path/service.ts:1:1)");
        },
        async getSettings() {
            return settings;
        },
        async updateSettings(changes: SettingsOverrides) {
            settings = {...settings, ...changes};
            return settings;
        },
        async listConversations() {
            return [...conversations.values()].map((c) => c.conversation);
        },
        async createConversation({title}) {
            const conversation: Conversation = {
                id: `c${nextId++}`,
                title: title ?? "New chat",
                createdAt: now(),
                updatedAt: now(),
                pair: null,
                overrides: {}
            };
            conversations.set(conversation.id, {conversation, messages: []});
            emit({type: "conversations"});
            return conversation;
        },
        async renameConversation({id, title}) {
            const entry = conversationOf(id);
            entry.conversation = {...entry.conversation, title};
            return entry.conversation;
        },
        async deleteConversation({id}) {
            conversationOf(id);
            conversations.delete(id);
        },
        async getConversation({id}) {
            const entry = conversationOf(id);
            return {conversation: entry.conversation, messages: entry.messages};
        },
        async setConversationOverrides({id, overrides}) {
            const entry = conversationOf(id);
            entry.conversation = {...entry.conversation, overrides};
            return entry.conversation;
        },
        async searchMessages({query}) {
            return [...conversations.values()].flatMap((c) =>
                c.messages
                    .filter((m) => m.content.includes(query))
                    .map((m) => ({
                        conversationId: c.conversation.id,
                        conversationTitle: c.conversation.title,
                        messageId: m.id,
                        snippet: `«${query}»`
                    }))
            );
        },
        async exportConversation({id, format}) {
            const entry = conversationOf(id);
            return {
                fileName: `${entry.conversation.title}.${format === "json" ? "json" : "md"}`,
                mimeType: "text/plain",
                content: JSON.stringify(entry)
            };
        },
        async sendMessage({conversationId, text}) {
            const entry = conversationOf(conversationId);
            const userMessage = message(conversationId, "user", text);
            const answer = {...message(conversationId, "assistant", ""), status: "streaming" as const};
            entry.messages.push(userMessage);
            // The answer streams after the call returns, as the real service does.
            setTimeout(() => {
                emit({type: "generation", event: {kind: "started", conversationId, message: answer}});
                const words = ["Once", " upon", " a", " time"];
                for (const word of words) {
                    emit({
                        type: "generation",
                        event: {kind: "delta", conversationId, messageId: answer.id, text: word, runs: [{source: "draft", length: word.length}]}
                    });
                }
                const done = {...answer, content: words.join(""), status: "done" as const};
                entry.messages.push(done);
                emit({type: "generation", event: {kind: "finished", conversationId, message: done}});
            }, 5);
            return {userMessage, assistantMessageId: answer.id};
        },
        async regenerate({conversationId}) {
            conversationOf(conversationId);
            // Held open until the test releases it: lets a test close the link mid-call.
            await new Promise<void>((resolve) => held.push(resolve));
            return {assistantMessageId: "m0"};
        },
        async editAndResend({conversationId, messageId, text}) {
            conversationOf(conversationId);
            throw new ServiceError("notFound", `there is no message ${messageId} (${text.length} characters sent)`);
        },
        async stopGeneration() {
            throw new ServiceError("busy", "another answer is running");
        },
        async compareModes({messageId}) {
            throw new ServiceError("notFound", `there is no message ${messageId}`);
        },
        // The model library: an empty one that refuses what needs a disk (its real tests are test/models/library/).
        ...emptyLibrary()
    };

    // Record every call that reached the service (after the transport's validation).
    const recorded = Object.fromEntries(
        Object.entries(service).map(([name, fn]) => [
            name,
            (...args: unknown[]) => {
                calls.push(name);
                return (fn as (...a: unknown[]) => unknown).apply(service, args);
            }
        ])
    ) as unknown as ServiceApi;

    return Object.assign(recorded, {
        subscribe(listener: (event: ServiceEvent) => void) {
            listeners.add(listener);
            return () => {
                listeners.delete(listener);
            };
        },
        calls,
        listenerCount: () => listeners.size,
        releaseHeldCalls() {
            for (const release of held) release();
            held = [];
        }
    });
}
