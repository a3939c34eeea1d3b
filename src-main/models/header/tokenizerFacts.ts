/** Reads the tokenizer facts the pair check needs from a model's GGUF metadata. */
import type {GgufFile} from "./gguf/ggufReader.ts";
import {getBoolean, getNumber, getString, getStringArray} from "./gguf/ggufMetadata.ts";
import type {TokenizerFacts} from "./compatibility.ts";

export function tokenizerFacts(file: GgufFile): TokenizerFacts {
    const vocabularyType = getString(file, "tokenizer.ggml.model") ?? "none";
    return {
        vocabularyType,
        tokens: getStringArray(file, "tokenizer.ggml.tokens") ?? [],
        bosTokenId: getNumber(file, "tokenizer.ggml.bos_token_id"),
        eosTokenId: getNumber(file, "tokenizer.ggml.eos_token_id"),
        // llama.cpp's default when the key is absent: SentencePiece ("llama") vocabularies add BOS.
        addBosToken: getBoolean(file, "tokenizer.ggml.add_bos_token") ?? vocabularyType === "llama"
    };
}
