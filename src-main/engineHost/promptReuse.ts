/**
 * The next turn's prompt from the tokens the models actually saw and generated. A chat's history is stored as
 * text, and tokenizing that text again does not always give the tokens the models generated (an answer spelt
 * "▁Once" may come back as "▁On", "ce"; a boundary with the next turn may merge), so a follow-up built from
 * text alone makes the models evaluate again everything from the first difference on. With the token stream
 * of the previous answer (its prompt and its generated tokens, stored with the answer), the follow-up's prompt
 * is that stream up to where the freshly formatted prompt says the same text, then the fresh tokens for the
 * rest (the template's few tokens and the new turn): the caches, which hold that stream, are reused whole.
 *
 * Pure: the caller passes its tokenizer's detokenizer, special tokens left out: the stored answer's text (what the
 * fresh prompt is formatted from) does not show a special token the model generated mid-answer (a story model's
 * BOS before a new story), so with them rendered the two streams would part there. The template's own markers
 * come from the fresh tokens after the splice, so nothing is lost.
 */

type Token = number;

/** Text of a token sequence from the start of the context (special tokens left out). */
export type Detokenize = (tokens: readonly Token[]) => string;

export type ReusedPrompt = {
    /** The prompt to evaluate: `stored[0, keptStored)` then `fresh[freshFrom, …)`, or `fresh` as it is. */
    readonly tokens: Token[];
    /** Tokens of the stored stream at the start of the prompt (0: the fresh tokens are used as they are). */
    readonly keptStored: number;
    /** Where the fresh tokens take over. */
    readonly freshFrom: number;
};

/** How many boundaries to step back when the two streams' texts do not meet at the first candidate. */
const BOUNDARY_TRIES = 8;

/**
 * `stored` (the token stream the models hold from the previous answer) spliced onto `fresh` (the formatted
 * prompt of the new turn, freshly tokenized) at the longest text both streams spell alike up to a token
 * boundary in each. The result spells the same text as `fresh`. When no splice reuses more tokens than
 * `fresh` already shares with `stored` token for token, `fresh` is returned unchanged.
 */
export function spliceStoredPrefix(stored: readonly Token[], fresh: readonly Token[], detokenize: Detokenize): ReusedPrompt {
    const unchanged: ReusedPrompt = {tokens: [...fresh], keptStored: 0, freshFrom: 0};
    if (stored.length === 0 || fresh.length === 0) return unchanged;
    let sameTokens = 0;
    while (sameTokens < stored.length && sameTokens < fresh.length && stored[sameTokens] === fresh[sameTokens]) sameTokens++;
    if (sameTokens === stored.length) return unchanged; // fresh already starts with the whole stored stream

    const storedText = detokenize(stored);
    const freshText = detokenize(fresh);
    let common = 0;
    const limit = Math.min(storedText.length, freshText.length);
    while (common < limit && storedText.charCodeAt(common) === freshText.charCodeAt(common)) common++;

    // The longest fresh prefix whose text fits in the common text, then the stored prefix spelling exactly that.
    let freshEnd = longestPrefixWithin(fresh, common, detokenize);
    for (let attempt = 0; attempt < BOUNDARY_TRIES && freshEnd > sameTokens; attempt++, freshEnd--) {
        const text = detokenize(fresh.slice(0, freshEnd));
        if (!freshText.startsWith(text)) continue;
        const storedEnd = longestPrefixWithin(stored, text.length, detokenize);
        if (storedEnd <= sameTokens) return unchanged;
        if (detokenize(stored.slice(0, storedEnd)) !== text) continue;
        // The whole prompt must end with fresh tokens: the last prompt token's head is read anew.
        if (freshEnd >= fresh.length) continue;
        return {tokens: [...stored.slice(0, storedEnd), ...fresh.slice(freshEnd)], keptStored: storedEnd, freshFrom: freshEnd};
    }
    return unchanged;
}

/** The largest n with detokenize(tokens[0, n)) at most `length` characters long (text grows with n). */
function longestPrefixWithin(tokens: readonly Token[], length: number, detokenize: Detokenize): number {
    let low = 0;
    let high = tokens.length;
    while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (detokenize(tokens.slice(0, middle)).length <= length) low = middle;
        else high = middle - 1;
    }
    return low;
}
