/**
 * The decoding engine's public surface: the CLI, the bench, the app's engine host and the server import
 * only this (and src-main/models/runtime/index.ts for loading a pair).
 */
export {
    PairDecoder,
    PromptTooLongError,
    InvalidPromptError,
    DecoderBusyError,
    PREFILL_CHUNK,
    AUTO_GAMMA_MAX,
    type PairDecoderOptions,
    type RoundPlanner
} from "./pairDecoder.ts";
export type {Arm, AdaptiveStats} from "./adaptive/controller.ts";
export {CacheLock, CacheLockError} from "./cacheLock.ts";
export {InvalidParamsError, resolveDecodingParams} from "./decodingParams.ts";
export {reusePrefix, type DecoderSequence} from "./sequence.ts";
export {ModelOutputError, ModelSequence} from "./modelSequence.ts";
export type {TokenText, StopCut} from "./textAssembler.ts";
export type {Head} from "./math/head.ts";
export {
    decodeModes,
    type DecodeEvent,
    type DecodeMode,
    type DecodingParams,
    type GenerateOptions,
    type GenerationResult,
    type GenerationStats,
    type StopReason,
    type Token,
    type TokenSource
} from "./types.ts";
