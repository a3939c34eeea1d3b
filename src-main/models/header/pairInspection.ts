/**
 * Header-only checks of a model pair: reads both GGUF headers with the project's own reader, runs the
 * preflight (what llama.cpp would abort on) and the compatibility rules. Never imports node-llama-cpp, so the
 * app's service process (and Electron's main process) can check a pair without llama.cpp.
 */
import {checkPairCompatibility, type CompatibilityReport, type TokenizerFacts} from "./compatibility.ts";
import {validateGgufFile, type GgufFile} from "./gguf/ggufReader.ts";
import {checkLoadable} from "./preflight.ts";
import {tokenizerFacts} from "./tokenizerFacts.ts";

export class IncompatiblePairError extends Error {
    constructor(readonly report: CompatibilityReport) {
        super(`these models cannot decode together: ${report.failures.map((f) => `${f.rule}: ${f.message}`).join("; ")}`);
    }
}

export type InspectedModel = {readonly file: GgufFile; readonly tokenizer: TokenizerFacts};

/** Reads both GGUF headers and checks the pair; throws GgufError (bad file) but reports incompatibility. */
export async function inspectPair(
    expertPath: string,
    amateurPath: string
): Promise<{expert: InspectedModel; amateur: InspectedModel; report: CompatibilityReport}> {
    const inspect = async (path: string): Promise<InspectedModel> => {
        const file = await validateGgufFile(path);
        checkLoadable(file);
        return {file, tokenizer: tokenizerFacts(file)};
    };
    const [expert, amateur] = await Promise.all([inspect(expertPath), inspect(amateurPath)]);
    return {expert, amateur, report: checkPairCompatibility(expert.tokenizer, amateur.tokenizer)};
}
