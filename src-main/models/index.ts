/**
 * Loading an expert/amateur pair: the public surface the CLI, the bench, the app's engine host and the
 * server import (with src-main/engine/index.ts for decoding).
 */
export {loadModelPair, modelTokenText, ModelPair, type LoadedModel, type LoadPairOptions} from "./modelPair.ts";
export {IncompatiblePairError, inspectPair, type InspectedModel} from "./pairInspection.ts";
export {
    checkPairCompatibility,
    compatibilityRules,
    MAX_VOCABULARY_SIZE_DIFFERENCE,
    type CompatibilityFailure,
    type CompatibilityReport,
    type CompatibilityRule,
    type TokenizerFacts
} from "./compatibility.ts";
export {chatPrompt, hasChatTemplate, rawPrompt, type ChatMessage, type FormattedPrompt} from "./promptFormat.ts";
export {defaultThreadsPerModel, getRuntime, type GpuChoice} from "./llamaRuntime.ts";
export {GgufError, type GgufErrorKind} from "./gguf/ggufReader.ts";
export {checkLoadable, loadProblems} from "./preflight.ts";
export {loadLlamaModel} from "./llamaRuntime.ts";
export {MAX_CHAT_TEMPLATE_LENGTH} from "./promptFormat.ts";
