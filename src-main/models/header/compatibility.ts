/**
 * Can these two models decode together? Both must read and write one token stream: same tokenizer type,
 * (nearly) the same vocabulary with the same token texts, the same BOS/EOS tokens and the same add-BOS
 * rule. Every failed rule is reported by name, so the model picker can say why a pair is refused.
 */

/** What the check needs to know about one model's tokenizer (read from its GGUF metadata). */
export type TokenizerFacts = {
    /** `tokenizer.ggml.model`, e.g. "llama" (SentencePiece), "gpt2" (BPE). */
    readonly vocabularyType: string;
    readonly tokens: readonly string[];
    readonly bosTokenId: number | undefined;
    readonly eosTokenId: number | undefined;
    readonly addBosToken: boolean;
};

export const compatibilityRules = ["vocabularyType", "vocabularySize", "tokenTexts", "bosEos", "addBos"] as const;
export type CompatibilityRule = (typeof compatibilityRules)[number];

export type CompatibilityFailure = {readonly rule: CompatibilityRule; readonly message: string};

export type CompatibilityReport = {
    readonly compatible: boolean;
    readonly failures: readonly CompatibilityFailure[];
};

/**
 * Largest vocabulary size difference allowed (as in llama.cpp's speculative example): models of one family
 * often pad their embedding tables differently. The decoder uses only the ids both have (see ModelSequence):
 * ids past the smaller vocabulary are never drafted, chosen or fed to either model.
 */
export const MAX_VOCABULARY_SIZE_DIFFERENCE = 128;

export function checkPairCompatibility(expert: TokenizerFacts, amateur: TokenizerFacts): CompatibilityReport {
    const failures: CompatibilityFailure[] = [];
    const fail = (rule: CompatibilityRule, message: string) => failures.push({rule, message});

    if (expert.vocabularyType !== amateur.vocabularyType) {
        fail("vocabularyType", `the expert's tokenizer is "${expert.vocabularyType}" but the amateur's is "${amateur.vocabularyType}"`);
    }
    const sizeDifference = Math.abs(expert.tokens.length - amateur.tokens.length);
    if (sizeDifference > MAX_VOCABULARY_SIZE_DIFFERENCE) {
        fail(
            "vocabularySize",
            `the expert has ${expert.tokens.length} tokens and the amateur ${amateur.tokens.length}; ` +
                `they may differ by at most ${MAX_VOCABULARY_SIZE_DIFFERENCE}`
        );
    }
    const common = Math.min(expert.tokens.length, amateur.tokens.length);
    let mismatches = 0;
    let firstMismatch = -1;
    for (let id = 0; id < common; id++) {
        if (expert.tokens[id] !== amateur.tokens[id]) {
            mismatches++;
            if (firstMismatch < 0) firstMismatch = id;
        }
    }
    if (mismatches > 0) {
        fail(
            "tokenTexts",
            `${mismatches} of the ${common} shared token ids have different texts ` +
                `(first: id ${firstMismatch} is ${JSON.stringify(expert.tokens[firstMismatch])} in the expert, ` +
                `${JSON.stringify(amateur.tokens[firstMismatch])} in the amateur)`
        );
    }
    const special: string[] = [];
    if (expert.bosTokenId !== amateur.bosTokenId) special.push(`BOS ${expert.bosTokenId ?? "none"} vs ${amateur.bosTokenId ?? "none"}`);
    if (expert.eosTokenId !== amateur.eosTokenId) special.push(`EOS ${expert.eosTokenId ?? "none"} vs ${amateur.eosTokenId ?? "none"}`);
    if (special.length > 0) fail("bosEos", `special tokens differ (expert vs amateur): ${special.join(", ")}`);
    if (expert.addBosToken !== amateur.addBosToken) {
        fail(
            "addBos",
            `the expert ${expert.addBosToken ? "adds" : "does not add"} a BOS token to prompts but the amateur ${amateur.addBosToken ? "does" : "does not"}`
        );
    }
    return {compatible: failures.length === 0, failures};
}
