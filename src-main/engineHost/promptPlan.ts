/**
 * What the models see of a conversation: how turns are joined for models without a chat template, and which
 * oldest turns are left out when the history no longer fits the context. Pure functions; the token count
 * comes from the caller (the engine process, which holds the tokenizer).
 */
import type {EngineChatMessage} from "./engineProtocol.ts";

/**
 * The text a plain completion model (no chat template, e.g. the story models) continues: each user message
 * is a story start and the answer after it continued that text, so an answer follows its user message
 * directly and turns are separated by a newline. A system prompt is left out: the option is for chat models
 * (see its help), and a completion model would only continue the instructions.
 */
export function rawTranscript(messages: readonly EngineChatMessage[]): string {
    let text = "";
    for (const message of messages) {
        if (message.role === "system") continue;
        if (message.role === "user" && text.length > 0) text += "\n";
        text += message.text;
    }
    return text;
}

export type HistoryPlan = {
    /** System messages, then the kept turns. */
    readonly messages: readonly EngineChatMessage[];
    /** Turns (a user message with the answers after it) left out, oldest first. */
    readonly droppedTurns: number;
    readonly tokens: number;
    /** False when even the system prompt with the last turn alone is over the budget. */
    readonly fits: boolean;
};

/** Splits into the leading system messages and turns: each turn starts at a user message. */
export function splitTurns(messages: readonly EngineChatMessage[]): {system: EngineChatMessage[]; turns: EngineChatMessage[][]} {
    const system: EngineChatMessage[] = [];
    const turns: EngineChatMessage[][] = [];
    for (const message of messages) {
        if (message.role === "system" && turns.length === 0) system.push(message);
        else if (message.role === "user" || turns.length === 0) turns.push([message]);
        else turns.at(-1)!.push(message);
    }
    return {system, turns};
}

/**
 * Keeps the system messages and the most recent turns whose prompt fits `budget` tokens, dropping the oldest
 * turns first; the last turn is always kept. `count` must not grow when turns are dropped (true of any prompt
 * format that lays turns out one after another), which lets the cut be found by bisection.
 */
export function fitHistory(
    messages: readonly EngineChatMessage[],
    count: (messages: readonly EngineChatMessage[]) => number,
    budget: number
): HistoryPlan {
    const {system, turns} = splitTurns(messages);
    const keepFrom = (first: number): EngineChatMessage[] => [...system, ...turns.slice(first).flat()];
    const all = count(messages);
    if (all <= budget || turns.length <= 1) return {messages, droppedTurns: 0, tokens: all, fits: all <= budget};
    // Smallest `first` in [1, last] whose prompt fits; `last` is tried even if nothing fits.
    let low = 1;
    let high = turns.length - 1;
    let best: {first: number; tokens: number} | null = null;
    while (low <= high) {
        const middle = (low + high) >> 1;
        const tokens = count(keepFrom(middle));
        if (tokens <= budget) {
            best = {first: middle, tokens};
            high = middle - 1;
        } else {
            low = middle + 1;
        }
    }
    if (best == null) {
        const last = turns.length - 1;
        return {messages: keepFrom(last), droppedTurns: last, tokens: count(keepFrom(last)), fits: false};
    }
    return {messages: keepFrom(best.first), droppedTurns: best.first, tokens: best.tokens, fits: true};
}
