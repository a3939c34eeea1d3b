/**
 * Turns what a user typed into the search box into an FTS5 MATCH expression. Every word becomes a quoted
 * phrase (so FTS5 operators and punctuation in user input are plain text, never syntax), all words must occur
 * (implicit AND), and the last word also matches as a prefix, so results appear while a word is still typed.
 * Pure: no I/O.
 */

/** The MATCH expression for `text`, or null when it holds no searchable word (no letter or digit). */
export function ftsQuery(text: string): string | null {
    const words = text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word));
    if (words.length === 0) return null;
    // Inside an FTS5 string a double quote is written twice.
    const phrases = words.map((word) => `"${word.replaceAll('"', '""')}"`);
    phrases[phrases.length - 1] += "*";
    return phrases.join(" ");
}
