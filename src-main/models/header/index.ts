/**
 * What a model file is, from its GGUF header alone, without llama.cpp: the header reader (and the typed access
 * to metadata and tensor infos the tools' GGUF writer builds on), the preflight of what llama.cpp would abort
 * on, the tokenizer facts and the pair compatibility rules. Never imports node-llama-cpp, so the app's service
 * process and Electron's main process may import it. Imported by: models/runtime (loading), the service (pair
 * checks, model listing), the CLI and the tools (fixtures, GGUF writer).
 */
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
    GgmlType,
    GgufError,
    GgufValueType,
    readGguf,
    tensorByteSize,
    typedMetadata,
    validateGgufFile,
    type GgufArray,
    type GgufArrayItems,
    type GgufErrorKind,
    type GgufFile,
    type GgufNumericArray,
    type GgufTensorInfo,
    type GgufTypedValue,
    type GgufValue
} from "./gguf/ggufReader.ts";
export {quoteBytes} from "./gguf/ggufErrors.ts";
export {ggmlTypeInfo, ggmlTypeName, ggufValueTypeName, ggufValueTypeSize, isGgufValueType, type GgmlTypeInfo} from "./gguf/ggufTypes.ts";
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
