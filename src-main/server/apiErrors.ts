/**
 * Errors in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with the HTTP status that goes
 * with them, and the translation of the service's refusals into them. Pure.
 */
import {ServiceError} from "../../src-shared/index.ts";
import {QueueFullError} from "../service/index.ts";

export type ApiErrorBody = {
    readonly error: {readonly message: string; readonly type: string; readonly param: string | null; readonly code: string | null};
};

export class ApiError extends Error {
    constructor(
        readonly status: number,
        message: string,
        readonly type: string,
        readonly code: string | null = null,
        readonly param: string | null = null,
        readonly headers: Readonly<Record<string, string>> = {}
    ) {
        super(message);
        this.name = "ApiError";
    }

    get body(): ApiErrorBody {
        return {error: {message: this.message, type: this.type, param: this.param, code: this.code}};
    }
}

/** 400: the request asks for something wrong or unsupported; `param` names the field. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
    return new ApiError(400, message, "invalid_request_error", code, param);
}

/** Any failure as an ApiError: the service's codes map to statuses; anything else is a 500 with its message. */
export function apiErrorOf(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    if (error instanceof QueueFullError) {
        return new ApiError(429, error.message, "rate_limit_error", "queue_full", null, {"Retry-After": String(error.retryAfterSeconds)});
    }
    if (error instanceof ServiceError) {
        switch (error.code) {
            case "invalidRequest":
                return invalidRequest(error.message);
            case "notFound":
                return new ApiError(404, error.message, "invalid_request_error", "model_not_found", "model");
            case "incompatiblePair":
                return invalidRequest(error.message, "model", "incompatible_pair");
            case "busy":
                return new ApiError(503, error.message, "server_error", "busy", null, {"Retry-After": "1"});
            case "noPair":
            case "engineCrashed":
                return new ApiError(503, error.message, "server_error", error.code);
            default:
                // promptTooLong arrives as its own code once the contract has it; until then the engine's sentence says it.
                if (/too long for the context/.test(error.message)) return invalidRequest(error.message, "messages", "context_length_exceeded");
                return new ApiError(500, error.message, "server_error", error.code);
        }
    }
    return new ApiError(500, error instanceof Error ? error.message : String(error), "server_error");
}
