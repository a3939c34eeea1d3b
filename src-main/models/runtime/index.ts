/**
 * Loading an expert/amateur pair into llama.cpp (node-llama-cpp) and formatting prompts with a model's own chat
 * template. Loads llama.cpp's native binding: imported only where llama.cpp may run, the engine process
 * (engineHost), the CLI and the tools (bench), never by the service, the transports or Electron's main process
 * (a lint rule keeps it so). Decoding itself is src-main/engine/index.ts.
 */
export {loadModelPair, modelTokenText, ModelPair, type LoadedModel, type LoadPairOptions} from "./modelPair.ts";
export {chatPrompt, hasChatTemplate, MAX_CHAT_TEMPLATE_LENGTH, rawPrompt, type ChatMessage, type FormattedPrompt} from "./promptFormat.ts";
export {defaultThreadsPerModel, getRuntime, loadLlamaModel, type GpuChoice} from "./llamaRuntime.ts";
export {resolvePairFit, type ResolvedModelFit, type ResolvedPairFit} from "./pairFit.ts";
