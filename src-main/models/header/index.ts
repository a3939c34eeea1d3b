/**
 * What a model file is, from its GGUF header alone, without llama.cpp: the header reader (and the typed access
 * to metadata and tensor infos the tools' GGUF writer builds on), the preflight of what llama.cpp would abort
 * on, the tokenizer facts and the pair compatibility rules. Never imports node-llama-cpp, so the app's service
 * process and Electron's main process may import it. Imported by: models/runtime (loading), the service (pair
 * checks, model listing), the CLI and the tools (fixtures, GGUF writer).
 */
export {readGguf, validateGgufFile, type GgufFile, type GgufTensorInfo} from "./gguf/ggufReader.ts";
export {
    findTensor,
    getArchitecture,
    getArchNumber,
    getArray,
    getBigInt,
    getBoolean,
    getNumber,
    getNumberArray,
    getString,
    getStringArray,
    getValue,
    typedMetadata
} from "./gguf/ggufMetadata.ts";
export {GgufError, type GgufErrorKind} from "./gguf/ggufErrors.ts";
export type {GgufArray, GgufArrayItems, GgufNumericArray, GgufTypedValue, GgufValue} from "./gguf/ggufValues.ts";
export {quoteBytes} from "./gguf/ggufErrors.ts";
export {
    GgmlType,
    GgufValueType,
    ggmlTypeInfo,
    ggmlTypeName,
    ggufValueTypeName,
    ggufValueTypeSize,
    isGgufValueType,
    tensorByteSize,
    type GgmlTypeInfo
} from "./gguf/ggufTypes.ts";
export {describeValueShape, gguf, isGgufArray} from "./gguf/ggufValues.ts";
export {
    checkPairCompatibility,
    compatibilityRules,
    MAX_VOCABULARY_SIZE_DIFFERENCE,
    type CompatibilityFailure,
    type CompatibilityReport,
    type CompatibilityRule,
    type TokenizerFacts
} from "./compatibility.ts";
export {checkLoadable, loadProblems} from "./preflight.ts";
export {IncompatiblePairError, inspectPair, type InspectedModel} from "./pairInspection.ts";
export {tokenizerFacts} from "./tokenizerFacts.ts";
