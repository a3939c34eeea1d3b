/**
 * Turns user text into the token stream both models see. Models with a chat template are formatted by
 * node-llama-cpp's chat wrappers (Llama 3, Qwen, Mistral, Gemma… or the template itself); models without
 * one (plain completion models such as the story models) get raw completion: BOS, then the text.
 */
import {
    GeneralChatWrapper,
    LlamaText,
    resolveChatWrapper,
    type ChatWrapper,
    SpecialToken,
    SpecialTokensText,
    type ChatHistoryItem,
    type LlamaModel,
    type Token as LlamaToken
} from "node-llama-cpp";
import type {Token} from "../../engine/index.ts";

export type ChatMessage = {readonly role: "system" | "user" | "assistant"; readonly text: string};

export type FormattedPrompt = {
    readonly tokens: Token[];
    readonly stopStrings: string[];
    readonly stopTokens: Token[];
    readonly format: "raw" | "chat";
    /**
     * Set when the model's own chat template could not be used (it does not parse, or it is too long to
     * render in reasonable time) and node-llama-cpp's wrapper chosen from the model's name and architecture
     * formatted the chat instead: one sentence for the user.
     */
    readonly templateProblem?: string;
};

/**
 * Longest chat template rendered (characters). Real templates are a few to ~30 thousand characters; node-llama-cpp
 * renders a template many times to recognise it, at ~0.1 ms per character of template here (measured: 64 KiB
 * ~8 s, 250 KiB ~29 s over a plain run), so a template of megabytes would take minutes.
 */
export const MAX_CHAT_TEMPLATE_LENGTH = 64 * 1024;

/**
 * BOS (when the model adds one) followed by llama.cpp's tokenization of `text`, which for SentencePiece
 * vocabularies adds the dummy-prefix space the model was trained with ("▁Once"). (LlamaCompletion trims
 * that space and spells "Once" as "O", "n", "ce".) Both models are fed this one stream.
 */
export function rawPrompt(model: LlamaModel, text: string): FormattedPrompt {
    const bos = model.tokens.bos;
    const prefix = bos != null && model.tokens.shouldPrependBosToken ? [bos as number] : [];
    return {tokens: [...prefix, ...(model.tokenize(text) as number[])], stopStrings: [], stopTokens: [], format: "raw"};
}

function chatTemplate(model: LlamaModel): string | undefined {
    const template = model.fileInfo.metadata?.tokenizer?.chat_template;
    return typeof template === "string" && template.length > 0 ? template : undefined;
}

export function hasChatTemplate(model: LlamaModel): boolean {
    return chatTemplate(model) != null;
}

/**
 * node-llama-cpp's wrapper for the model: its Jinja template when that parses (and is not absurdly long), else
 * the wrapper node-llama-cpp picks without it, with the reason. (node-llama-cpp's own fallback prints a warning
 * with a stack trace to the console; this one returns the reason instead.)
 */
function chatWrapperFor(model: LlamaModel): {wrapper: ChatWrapper; problem?: string} {
    const template = chatTemplate(model);
    if (template != null && template.length > MAX_CHAT_TEMPLATE_LENGTH) {
        return {
            wrapper: wrapperWithoutTemplate(model),
            problem: `its chat template is ${template.length} characters long, more than the ${MAX_CHAT_TEMPLATE_LENGTH} Tandem reads, so a standard chat format is used instead`
        };
    }
    try {
        return {wrapper: resolveChatWrapper(model, {fallbackToOtherWrappersOnJinjaError: false, warningLogs: false})};
    } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim();
        const reason = message.length > 160 ? `${message.slice(0, 159)}…` : message;
        return {
            wrapper: wrapperWithoutTemplate(model),
            problem: `its chat template cannot be read (${reason}), so a standard chat format is used instead`
        };
    }
}

/**
 * The wrapper node-llama-cpp picks from the model's name and architecture, with the template hidden from it:
 * even with noJinja it scans the template (measured: 37 s for a 500 KB one).
 */
function wrapperWithoutTemplate(model: LlamaModel): ChatWrapper {
    const {fileInfo} = model;
    const tokenizer = {...fileInfo.metadata?.tokenizer, chat_template: undefined};
    return (
        resolveChatWrapper({
            bosString: model.tokens.bosString,
            filename: model.filename,
            fileInfo: {...fileInfo, metadata: {...fileInfo.metadata, tokenizer}} as typeof fileInfo,
            tokenizer: model.tokenizer,
            noJinja: true,
            warningLogs: false
        }) ?? new GeneralChatWrapper()
    );
}

/** Chat-formatted prompt ending where the assistant's answer starts; raw completion when there is no template. */
export function chatPrompt(model: LlamaModel, messages: readonly ChatMessage[]): FormattedPrompt {
    if (!hasChatTemplate(model)) {
        return rawPrompt(model, messages.map((m) => m.text).join("\n"));
    }
    const {wrapper, problem} = chatWrapperFor(model);
    const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem =>
        m.role === "system" ? {type: "system", text: m.text} : m.role === "user" ? {type: "user", text: m.text} : {type: "model", response: [m.text]}
    );
    history.push({type: "model", response: []});
    const state = wrapper.generateContextState({chatHistory: history});
    const stopStrings: string[] = [];
    const stopTokens: Token[] = [];
    for (const trigger of state.stopGenerationTriggers) {
        splitTrigger(model, trigger, stopStrings, stopTokens);
    }
    return {
        tokens: state.contextText.tokenize(model.tokenizer) as number[],
        stopStrings,
        stopTokens,
        format: "chat",
        ...(problem != null ? {templateProblem: problem} : {})
    };
}

/** A trigger made only of text becomes a stop string; one that is a single special token becomes a stop token. */
function splitTrigger(model: LlamaModel, trigger: LlamaText, stopStrings: string[], stopTokens: Token[]): void {
    const values = trigger.values;
    if (values.every((value) => typeof value === "string")) {
        const text = values.join("");
        if (text.length > 0) stopStrings.push(text);
        return;
    }
    if (values.length === 1 && (values[0] instanceof SpecialToken || values[0] instanceof SpecialTokensText)) {
        const tokens = LlamaText(values).tokenize(model.tokenizer) as LlamaToken[];
        if (tokens.length === 1) stopTokens.push(tokens[0] as number);
    }
}
