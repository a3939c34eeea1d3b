/**
 * Turns generated tokens into streamed text: holds back bytes of an unfinished UTF-8 character and any tail
 * that could be the start of a stop string, and cuts the text where a stop string appears. It remembers
 * where each token's text ends, so after a cut the caller can make its tokens say what the text says.
 */
import type {Token} from "./types.ts";

export interface TokenText {
    /** Text of `tokens`, given the tokens just before them (for SentencePiece leading-space rules). */
    detokenize(tokens: readonly Token[], precedingTokens: readonly Token[]): string;
    isEndOfGeneration(token: Token): boolean;
    /**
     * Tokens that spell `text` exactly when they follow `precedingTokens` (no BOS, no special tokens), or null
     * when the tokenizer cannot spell it that way.
     */
    tokenize(text: string, precedingTokens: readonly Token[]): Token[] | null;
}

/** Where a stop string cut the text: the first `keptTokens` tokens lie wholly before it, then `remainder`. */
export type StopCut = {readonly keptTokens: number; readonly remainder: string};

const CONTEXT_TOKENS = 8;
const MAX_HELD_TOKENS = 4;

export class TextAssembler {
    private text = "";
    private emitted = 0;
    private held: Token[] = [];
    private readonly history: Token[];
    private readonly longestStop: number;
    /** After each flush of tokens into the text: how many tokens, and the text length they end at. */
    private readonly boundaries: {tokens: number; chars: number}[] = [{tokens: 0, chars: 0}];
    private pushedTokens = 0;
    private cut: StopCut | null = null;

    constructor(
        private readonly tokenText: TokenText,
        private readonly stopStrings: readonly string[],
        precedingTokens: readonly Token[]
    ) {
        this.history = precedingTokens.slice(-CONTEXT_TOKENS);
        this.longestStop = stopStrings.reduce((max, s) => Math.max(max, s.length), 0);
    }

    get fullText(): string {
        return this.text;
    }

    /** Set once a stop string has cut the text. */
    get stopCut(): StopCut | null {
        return this.cut;
    }

    /** Adds a token; returns the text it makes final and whether a stop string has appeared. */
    push(token: Token): {text: string; stopped: boolean} {
        this.held.push(token);
        const piece = this.tokenText.detokenize(this.held, this.history);
        if (piece.endsWith("\uFFFD") && this.held.length < MAX_HELD_TOKENS) return {text: "", stopped: false};
        const searchFrom = Math.max(0, this.text.length - this.longestStop + 1);
        this.text += piece;
        this.pushedTokens += this.held.length;
        this.boundaries.push({tokens: this.pushedTokens, chars: this.text.length});
        this.history.push(...this.held);
        if (this.history.length > CONTEXT_TOKENS) this.history.splice(0, this.history.length - CONTEXT_TOKENS);
        this.held = [];

        const stopAt = this.findStop(searchFrom);
        if (stopAt >= 0) {
            let last = this.boundaries[0]!;
            for (const boundary of this.boundaries) if (boundary.chars <= stopAt) last = boundary;
            this.cut = {keptTokens: last.tokens, remainder: this.text.slice(last.chars, stopAt)};
            this.text = this.text.slice(0, stopAt);
            return {text: this.take(this.text.length), stopped: true};
        }
        return {text: this.take(this.text.length - this.possibleStopPrefixLength()), stopped: false};
    }

    /** Ends the stream: returns whatever was still held back. */
    finish(stoppedByString: boolean): string {
        if (!stoppedByString && this.held.length > 0) {
            this.text += this.tokenText.detokenize(this.held, this.history);
            this.held = [];
        }
        return this.take(this.text.length);
    }

    private take(until: number): string {
        if (until <= this.emitted) return "";
        const out = this.text.slice(this.emitted, until);
        this.emitted = until;
        return out;
    }

    private findStop(from: number): number {
        let earliest = -1;
        for (const stop of this.stopStrings) {
            if (stop.length === 0) continue;
            const at = this.text.indexOf(stop, from);
            if (at >= 0 && (earliest < 0 || at < earliest)) earliest = at;
        }
        return earliest;
    }

    /** Length of the longest tail of the text that is a proper prefix of some stop string. */
    private possibleStopPrefixLength(): number {
        let longest = 0;
        for (const stop of this.stopStrings) {
            for (let length = Math.min(stop.length - 1, this.text.length); length > longest; length--) {
                if (this.text.endsWith(stop.slice(0, length))) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
