/**
 * The shared room's one public surface: what both processes and the renderer agree on. The typed contract
 * (requests, results, events, the one error that crosses a process), the option table and how option text is
 * read, token runs, and the client half of the transport (birpc over a frame channel, the preload bridge's
 * shape). Pure TypeScript: no Node or DOM imports (tsconfig.shared.json compiles it without either), so the
 * renderer, the service, the engine and the tools may all import it. Nothing here imports outside src-shared.
 */
export type * from "./contract/api.ts";
export {settingsKeysMatchTable} from "./contract/api.ts";
export {serviceFunctionNames} from "./contract/functionNames.ts";
export {ServiceError} from "./contract/serviceError.ts";
export {appendRuns, appendRunsInPlace, pushRun, runsLength} from "./contract/tokenRuns.ts";
export {
    CONTEXT_SIZE_LIMIT,
    decodeModeChoices,
    drawSeed,
    MAX_TOKENS_LIMIT,
    optionDefaults,
    optionProblem,
    optionProblems,
    optionSpec,
    optionsInScope,
    optionTable,
    type BooleanOption,
    type EnumOption,
    type IntegerOption,
    type NumberOption,
    type OptionKey,
    type OptionScope,
    type OptionSpec,
    type StringOption
} from "./options/optionTable.ts";
export {acceptedText, looksNumeric, parseOptionText, type ParsedOption, type ValueSpec} from "./options/optionText.ts";
export {BRIDGE_GLOBAL, settle, unsettle, type BridgeFunctions, type BridgeResult, type TandemBridge} from "./transport/bridge.ts";
export type {FrameChannel} from "./transport/frameChannel.ts";
export {createApiClient, type ApiClient} from "./transport/rpcClient.ts";
export {webSocketChannel, type SocketLike, type WebSocketChannelOptions} from "./transport/webSocketChannel.ts";
export {
    checkFrame,
    fromWireError,
    refusalFrame,
    toWireError,
    type FrameCheck,
    type RpcRequestFrame,
    type RpcResponseFrame,
    type WireError
} from "./transport/wire.ts";
