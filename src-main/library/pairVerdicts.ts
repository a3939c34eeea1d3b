/**
 * Pairing from headers, before anything loads: the expert against every other model. The rules are the
 * engine's (models/header checkPairCompatibility decides which fail); this file says each failed rule in a
 * user's words, flags an amateur that is not smaller, and sorts the compatible ones best first (same family,
 * then smallest).
 */
import {checkPairCompatibility, MAX_VOCABULARY_SIZE_DIFFERENCE, type TokenizerFacts} from "../models/header/index.ts";
import type {AmateurVerdict, ModelFacts, PairRuleFailure} from "./contractTypes.ts";
import type {MemoryFacts} from "./modelFacts.ts";

/** A model as the rules see it: its facts and tokenizer (absent: the file cannot be used, with `problem`). */
export type PairCandidate = {
    readonly path: string;
    readonly displayName: string;
    readonly sizeBytes: number;
    readonly facts?: ModelFacts;
    readonly tokenizer?: TokenizerFacts;
    readonly memory?: MemoryFacts;
    readonly problem?: string;
};

const count = new Intl.NumberFormat("en-US");

function tokenizerFamily(type: string): string {
    if (type === "llama") return "SentencePiece (llama)";
    if (type === "gpt2") return "byte-level BPE (gpt2)";
    return type;
}

/** Every failed rule between two readable models, in words. */
export function pairFailures(expert: TokenizerFacts, amateur: TokenizerFacts): PairRuleFailure[] {
    const report = checkPairCompatibility(expert, amateur);
    return report.failures.map(({rule}): PairRuleFailure => {
        switch (rule) {
            case "vocabularyType":
                return {
                    rule,
                    message: `different tokenizer family: the expert uses ${tokenizerFamily(expert.vocabularyType)}, the amateur ${tokenizerFamily(amateur.vocabularyType)}`
                };
            case "vocabularySize": {
                const difference = Math.abs(expert.tokens.length - amateur.tokens.length);
                return {
                    rule,
                    message:
                        `vocabularies differ by ${count.format(difference)} ids (${count.format(expert.tokens.length)} in the expert, ` +
                        `${count.format(amateur.tokens.length)} in the amateur; at most ${MAX_VOCABULARY_SIZE_DIFFERENCE} apart can pair)`
                };
            }
            case "tokenTexts": {
                const common = Math.min(expert.tokens.length, amateur.tokens.length);
                let first = -1;
                let differing = 0;
                for (let id = 0; id < common; id++) {
                    if (expert.tokens[id] !== amateur.tokens[id]) {
                        differing++;
                        if (first < 0) first = id;
                    }
                }
                return {
                    rule,
                    message:
                        `the vocabularies are different: token ${first} is ${JSON.stringify(expert.tokens[first])} in the expert but ` +
                        `${JSON.stringify(amateur.tokens[first])} in the amateur (${count.format(differing)} of ${count.format(common)} shared ids differ)`
                };
            }
            case "bosEos": {
                const parts: string[] = [];
                if (expert.bosTokenId !== amateur.bosTokenId)
                    parts.push(`start-of-text (BOS) token ${expert.bosTokenId ?? "none"} vs ${amateur.bosTokenId ?? "none"}`);
                if (expert.eosTokenId !== amateur.eosTokenId)
                    parts.push(`end-of-text (EOS) token ${expert.eosTokenId ?? "none"} vs ${amateur.eosTokenId ?? "none"}`);
                return {rule, message: `BOS/EOS differ (expert vs amateur): ${parts.join(", ")}`};
            }
            case "addBos":
                return {
                    rule,
                    message:
                        `add-BOS differs: the expert ${expert.addBosToken ? "starts" : "does not start"} every prompt with a BOS token, ` +
                        `the amateur ${amateur.addBosToken ? "does" : "does not"}`
                };
        }
    });
}

function ratioText(expert: number, amateur: number): string {
    if (amateur <= 0) return "";
    const ratio = expert / amateur;
    return ratio >= 1.95
        ? `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1).replace(/\.0$/, "")}× smaller`
        : `${Math.round((1 - amateur / expert) * 100)}% smaller`;
}

function size(model: PairCandidate): number {
    return model.facts != null && model.facts.parameterCount > 0 ? model.facts.parameterCount : model.sizeBytes;
}

/** The verdict for one amateur (also what checkPair reports). */
export function judgeAmateur(expert: PairCandidate, amateur: PairCandidate): AmateurVerdict {
    if (amateur.tokenizer == null || amateur.facts == null) {
        const failures = [{rule: "file", message: `the amateur cannot be used: ${amateur.problem ?? "its header could not be read"}`}];
        return {amateurPath: amateur.path, compatible: false, failures, sameFamily: false, notSmaller: false, summary: failures[0]!.message};
    }
    if (expert.tokenizer == null || expert.facts == null) {
        const failures = [{rule: "file", message: `the expert cannot be used: ${expert.problem ?? "its header could not be read"}`}];
        return {amateurPath: amateur.path, compatible: false, failures, sameFamily: false, notSmaller: false, summary: failures[0]!.message};
    }
    const failures = pairFailures(expert.tokenizer, amateur.tokenizer);
    const sameFamily = expert.facts.architecture === amateur.facts.architecture && expert.tokenizer.tokens.length === amateur.tokenizer.tokens.length;
    const notSmaller = size(amateur) >= size(expert);
    let summary: string;
    if (failures.length > 0) summary = failures.map((f) => f.message).join("; ");
    else {
        const words = ["compatible"];
        if (sameFamily) words.push("same family");
        words.push(notSmaller ? "not smaller than the expert: it will not speed anything up" : ratioText(size(expert), size(amateur)));
        summary = words.filter((w) => w !== "").join(" · ");
    }
    return {amateurPath: amateur.path, compatible: failures.length === 0, failures, sameFamily, notSmaller, summary};
}

/** The expert against every other model: compatible ones best first (same family, then smallest), then the rest. */
export function judgeAll(expert: PairCandidate, others: readonly PairCandidate[]): {compatible: AmateurVerdict[]; incompatible: AmateurVerdict[]} {
    const judged = others.filter((other) => other.path !== expert.path).map((other) => ({other, verdict: judgeAmateur(expert, other)}));
    const compatible = judged
        .filter((j) => j.verdict.compatible)
        .sort(
            (a, b) =>
                Number(b.verdict.sameFamily) - Number(a.verdict.sameFamily) ||
                Number(a.verdict.notSmaller) - Number(b.verdict.notSmaller) ||
                size(a.other) - size(b.other) ||
                a.other.displayName.localeCompare(b.other.displayName)
        );
    const incompatible = judged.filter((j) => !j.verdict.compatible).sort((a, b) => a.other.displayName.localeCompare(b.other.displayName));
    return {compatible: compatible.map((j) => j.verdict), incompatible: incompatible.map((j) => j.verdict)};
}
