/**
 * A made-up service for the screenshot harness only: fixed models, a status, chats with Markdown answers,
 * provenance runs and stats, and a fake stream at ~2000 tok/s for sendMessage. Not used by any test.
 */
import {
    optionDefaults,
    type AppStatus,
    type CompatibilityCheck,
    type Conversation,
    type Message,
    type ModelEntry,
    type ServiceApi,
    type ServiceEvent,
    type Settings,
    type TokenRun,
    type MessageStats
} from "../../src-shared/index.ts";
import type {Connection} from "../transport/index.ts";
import {cannedCheckPair, cannedLibrary} from "./cannedLibrary.ts";

const now = Date.now();
const iso = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();
const dir = "/home/ada/.local/share/tandem/models";
const demo = "/opt/Tandem/resources/models";

const models: ModelEntry[] = [
    {
        path: `${demo}/stories260K.gguf`,
        fileName: "stories260K.gguf",
        source: "demo",
        sizeBytes: 1_185_376,
        architecture: "llama",
        vocabularySize: 512,
        parameterLabel: "260K"
    },
    {
        path: `${demo}/stories260K-L4-earlyexit.gguf`,
        fileName: "stories260K-L4-earlyexit.gguf",
        source: "demo",
        sizeBytes: 812_000,
        architecture: "llama",
        vocabularySize: 512,
        parameterLabel: "180K"
    },
    {
        path: `${dir}/llama-2-tiny-random.gguf`,
        fileName: "llama-2-tiny-random.gguf",
        source: "folder",
        sizeBytes: 4_400_000,
        architecture: "llama",
        vocabularySize: 32000
    },
    {
        path: `${dir}/half-downloaded.gguf`,
        fileName: "half-downloaded.gguf",
        source: "folder",
        sizeBytes: 1024,
        problem: "the file ends inside its header (truncated download?)"
    }
];
const pair = {expertPath: models[0]!.path, amateurPath: models[1]!.path};
const baseline = {pairKey: "demo", device: "CPU (2 cores)", expertTokensPerSecond: 2113, measuredAt: iso(60)};

function statusFor(scenario: string, busy = false): AppStatus {
    const calibration = {state: "done" as const, baseline};
    if (scenario === "error") {
        return {
            engine: {
                state: "error",
                pair,
                message: "Could not load stories260K.gguf: the file ends inside tensor data (expected 1185376 bytes, found 40960)."
            },
            busy,
            calibration: {state: "none"},
            lastEngineCrash: "the engine process exited with signal SIGSEGV",
            version: "0.1.0"
        };
    }
    if (scenario === "idle") return {engine: {state: "idle"}, busy, calibration: {state: "none"}, version: "0.1.0"};
    if (scenario === "loading") return {engine: {state: "loading", pair, progress: 0.42}, busy, calibration: {state: "none"}, version: "0.1.0"};
    return {engine: {state: "ready", pair, backend: "CPU", contextSize: 2048, memoryBytes: 5_520_000}, busy, calibration, version: "0.1.0"};
}

/** Runs over `text` from a seeded pattern: mostly drafts, a correction after each rejected draft, a bonus now and then. */
function runsFor(text: string, seed: number): TokenRun[] {
    const runs: TokenRun[] = [];
    let at = 0;
    let state = seed;
    while (at < text.length) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const length = Math.min(text.length - at, 1 + (state % 9));
        const source = (["draft", "draft", "draft", "correction", "bonus", "draft"] as const)[state % 6]!;
        runs.push({source, length});
        at += length;
    }
    return runs;
}

function stats(mode: MessageStats["mode"], tokens: number, extra: Partial<MessageStats> = {}): MessageStats {
    return {
        mode,
        generatedTokens: tokens,
        tokensPerSecond: 559.3,
        timeToFirstTokenMs: 3.1,
        acceptanceRate: mode === "scd" || mode === "sd" ? 0.62 : null,
        meanAcceptedLength: mode === "scd" || mode === "sd" ? 2.47 : null,
        stopReason: "eogToken",
        totalMs: tokens / 0.5593,
        promptTokens: 214,
        droppedTurns: 0,
        speedup: {ratio: 559.3 / 2113, baseline},
        engine: {
            mode,
            generatedTokens: tokens,
            expertCalls: Math.ceil(tokens / 2.47),
            amateurCalls: tokens,
            rounds: Math.ceil(tokens / 2.47),
            draftedTokens: Math.round(tokens * 1.2),
            acceptedTokens: Math.round(tokens * 0.74),
            correctionTokens: 0,
            bonusTokens: 0,
            lookaheadRounds: 0,
            acceptanceRate: mode === "scd" || mode === "sd" ? 0.62 : null,
            meanAcceptedLength: mode === "scd" || mode === "sd" ? 2.47 : null,
            meanAcceptanceLength: mode === "scd" || mode === "sd" ? 3.47 : null,
            acceptanceByPosition: [],
            timeToFirstTokenMs: 3.1,
            totalMs: tokens / 0.5593,
            modelWaitMs: tokens / 0.6,
            tokensPerSecond: 559.3,
            promptTokens: 214,
            reusedPromptTokens: {expert: 0, amateur: 0},
            measuredSteps: {expert: {steps: 0, ms: 0}, cd: {steps: 0, ms: 0}},
            amateurFloorHits: 0,
            headTruncations: 0,
            residualFallbacks: 0,
            gammaHistogram: {},
            fallbackTokens: 0,
            adaptivePick: null,
            sharedVocabularySize: 512,
            stopReason: "eogToken",
            seed: 1
        },
        ...extra
    };
}

const answers = [
    "Once upon a time, there was a little girl named **Lily**. She loved to play outside in the sun.\n\nOne day she found a shiny stone and showed it to her mom.",
    'Here is how to count words in Python:\n\n```python\ndef count_words(text: str) -> int:\n    # split on any whitespace\n    return len(text.split())\n\nprint(count_words("Once upon a time"))  # 4\n```\n\nAnd in the shell:\n\n```bash\necho "Once upon a time" | wc -w\n```',
    "| mode | what runs | output |\n|---|---|---|\n| scd | amateur drafts, expert verifies | contrastive |\n| sd | amateur drafts, expert verifies | expert's |\n| cd | both, every token | contrastive |\n\n> The speedup depends on how often the expert accepts the drafts.",
    "1. Load a pair.\n2. Pick a mode.\n3. Ask something.\n\nThat's all. Raw HTML such as <b>this</b> is shown as text, and `inline code` is monospaced. A link: [the paper](https://arxiv.org/abs/2311.08981).",
    "The dog ran to the park. He saw a big red ball and he ran after it. The ball rolled into the pond and the dog jumped in. Splash! Everyone laughed and the dog was happy."
];

function longChat(id: string): Message[] {
    const messages: Message[] = [];
    const questions = [
        "Tell me a story about a girl.",
        "How do I count words?",
        "Compare the modes.",
        "What do I do first?",
        "And a story about a dog, please, with a ball and a pond and lots of splashing and laughing at the end."
    ];
    for (let turn = 0; turn < 10; turn++) {
        const q = questions[turn % questions.length]!;
        const a = answers[turn % answers.length]!;
        const t = iso(100 - turn * 5);
        messages.push({
            id: `${id}-u${turn}`,
            conversationId: id,
            role: "user",
            content: q,
            status: "done",
            error: null,
            stats: null,
            runs: null,
            seed: null,
            createdAt: t,
            updatedAt: t
        });
        const mode = (["scd", "sd", "cd", "expert", "scd"] as const)[turn % 5]!;
        const last = turn === 9;
        messages.push({
            id: `${id}-a${turn}`,
            conversationId: id,
            role: "assistant",
            content: a,
            status: turn === 7 ? "stopped" : "done",
            error: null,
            stats: stats(mode, Math.round(a.length / 3.6), {
                droppedTurns: last ? 2 : 0,
                stopReason: turn === 7 ? "abort" : "eogToken",
                speedup: turn === 2 ? null : {ratio: 559.3 / 2113, baseline}
            }),
            runs: mode === "expert" || mode === "cd" ? [{source: "direct", length: a.length}] : runsFor(a, turn + 1),
            seed: 1234 + turn,
            createdAt: t,
            updatedAt: t
        });
    }
    return messages;
}

export function cannedConnection(scenario: string): Connection {
    const listeners = new Set<(event: ServiceEvent) => void>();
    const emit = (event: ServiceEvent): void => listeners.forEach((l) => l(event));
    let settings: Settings = optionDefaults() as unknown as Settings;
    const conversations: Conversation[] =
        scenario === "empty" || scenario === "idle"
            ? []
            : [
                  {id: "c1", title: "Stories and code", createdAt: iso(120), updatedAt: iso(2), pair, overrides: {temperature: 0.7}},
                  {
                      id: "c2",
                      title: "A much longer conversation title that will not fit in the sidebar at all",
                      createdAt: iso(3000),
                      updatedAt: iso(2000),
                      pair,
                      overrides: {}
                  },
                  {id: "c3", title: "Context test", createdAt: iso(9000), updatedAt: iso(8000), pair, overrides: {}}
              ];
    const chats = new Map<string, Message[]>(conversations.map((c) => [c.id, c.id === "c1" ? longChat(c.id) : []]));
    let nextId = 1;
    let stop = false;
    const fail = (code: string, message: string): never => {
        throw Object.assign(new Error(message), {code});
    };

    const api: ServiceApi = {
        ...cannedLibrary(),
        getStatus: async () => statusFor(scenario),
        listModels: async () => models,
        checkPair: async (p): Promise<CompatibilityCheck> => cannedCheckPair(p),
        loadPair: async () => statusFor(scenario),
        unloadPair: async () => statusFor("idle"),
        calibrate: async () => baseline,
        getSettings: async () => settings,
        updateSettings: async (changes) => (settings = {...settings, ...changes}),
        listConversations: async () => conversations,
        createConversation: async ({title}) => {
            const c: Conversation = {
                id: `n${nextId++}`,
                title: title ?? "New chat",
                createdAt: new Date().toISOString(),
                updatedAt: new Date().toISOString(),
                pair,
                overrides: {}
            };
            conversations.unshift(c);
            chats.set(c.id, []);
            return c;
        },
        renameConversation: async ({id, title}) => {
            const i = conversations.findIndex((c) => c.id === id);
            conversations[i] = {...conversations[i]!, title};
            return conversations[i]!;
        },
        deleteConversation: async ({id}) =>
            void conversations.splice(
                conversations.findIndex((c) => c.id === id),
                1
            ),
        getConversation: async ({id}) => ({
            conversation: conversations.find((c) => c.id === id) ?? fail("notFound", "this conversation no longer exists"),
            messages: chats.get(id) ?? []
        }),
        setConversationOverrides: async ({id, overrides}) => {
            const i = conversations.findIndex((c) => c.id === id);
            conversations[i] = {...conversations[i]!, overrides};
            return conversations[i]!;
        },
        searchMessages: async ({query}) =>
            [...chats.values()]
                .flat()
                .filter((m) => m.content.toLowerCase().includes(query.toLowerCase()))
                .slice(0, 20)
                .map((m) => {
                    const at = m.content.toLowerCase().indexOf(query.toLowerCase());
                    return {
                        conversationId: m.conversationId,
                        conversationTitle: conversations.find((c) => c.id === m.conversationId)?.title ?? "",
                        messageId: m.id,
                        snippet: `${m.content.slice(Math.max(0, at - 30), at)}«${m.content.slice(at, at + query.length)}»${m.content.slice(at + query.length, at + query.length + 40)}`
                    };
                }),
        exportConversation: async ({id, format}) => ({
            fileName: `${id}.${format === "json" ? "json" : "md"}`,
            mimeType: format === "json" ? "application/json" : "text/markdown",
            content: JSON.stringify(chats.get(id))
        }),
        sendMessage: async ({conversationId, text}) => {
            if (scenario === "error") fail("noPair", "no model pair is loaded");
            const t = new Date().toISOString();
            const user: Message = {
                id: `m${nextId++}`,
                conversationId,
                role: "user",
                content: text,
                status: "done",
                error: null,
                stats: null,
                runs: null,
                seed: null,
                createdAt: t,
                updatedAt: t
            };
            const answer: Message = {...user, id: `m${nextId++}`, role: "assistant", content: "", status: "streaming"};
            chats.get(conversationId)!.push(user);
            stop = false;
            setTimeout(() => stream(answer), 10);
            return {userMessage: user, assistantMessageId: answer.id};
        },
        regenerate: async () => fail("busy", "another answer is being written"),
        editAndResend: async () => fail("internal", "editing is not part of the harness"),
        stopGeneration: async () => void (stop = true),
        compareModes: async () => fail("internal", "comparing modes is not part of the harness")
    };

    function stream(answer: Message): void {
        emit({type: "status", status: statusFor(scenario, true)});
        emit({type: "generation", event: {kind: "started", conversationId: answer.conversationId, message: answer}});
        const full = Array.from({length: 12}, () => answers)
            .flat()
            .join("\n\n");
        let at = 0;
        const runs: TokenRun[] = [];
        const started = performance.now();
        const timer = setInterval(() => {
            // 2000 tok/s of ~4-character tokens, whatever the timer's real period: catch up in events of one token.
            const due = Math.min(full.length, Math.round(((performance.now() - started) * 2000) / 1000) * 4);
            while (at < due && !stop) {
                const piece = full.slice(at, at + 4);
                const r = runsFor(piece, at);
                runs.push(...r);
                at += piece.length;
                emit({type: "generation", event: {kind: "delta", conversationId: answer.conversationId, messageId: answer.id, text: piece, runs: r}});
            }
            if (at >= full.length || stop) {
                clearInterval(timer);
                const ms = performance.now() - started;
                const done: Message = {
                    ...answer,
                    content: full.slice(0, at),
                    runs,
                    status: stop ? "stopped" : "done",
                    stats: stats("scd", Math.round(at / 4), {
                        totalMs: ms,
                        tokensPerSecond: at / 4 / (ms / 1000),
                        stopReason: stop ? "abort" : "maxTokens"
                    })
                };
                chats.get(answer.conversationId)!.push(done);
                emit({type: "generation", event: {kind: "finished", conversationId: answer.conversationId, message: done}});
                emit({type: "status", status: statusFor(scenario)});
                emit({
                    type: "notice",
                    conversationId: answer.conversationId,
                    topic: "context",
                    text: "The 2 oldest turns were left out of what the models see: the chat no longer fits the 2048-token context."
                });
            }
        }, 2);
    }

    return {kind: "web", api, subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener))};
}
