/**
 * The one error that crosses a process: a code the UI can act on and a message a user can read. Plain
 * TypeScript (no valibot, no Node or DOM), so the renderer's bundle carries only this class.
 */
import type {ServiceErrorCode} from "./api.ts";

export class ServiceError extends Error {
    constructor(
        readonly code: ServiceErrorCode,
        message: string
    ) {
        super(message);
        this.name = "ServiceError";
    }
}
