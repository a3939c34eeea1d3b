/**
 * Request validation at the process boundary: one valibot schema per ServiceApi function, over its argument
 * list. `validateRequest` turns any malformed payload into a ServiceError with one readable sentence, so a
 * bad request never reaches the service and never crashes the process. Setting values are checked against
 * the option table (the same ranges the CLI and the engine use).
 */
import * as v from "valibot";
import {optionProblem, optionTable} from "../options/optionTable.ts";
import type {ServiceErrorCode, ServiceFunctionName} from "./api.ts";

/** An error with a code the UI can act on and a message a user can read; crosses the transports intact. */
export class ServiceError extends Error {
    constructor(readonly code: ServiceErrorCode, message: string) {
        super(message);
        this.name = "ServiceError";
    }
}

const MAX_ID = 100;
const MAX_TEXT = 1_000_000;
const MAX_PATH = 4096;

const id = v.pipe(v.string("an id must be text"), v.minLength(1, "an id must not be empty"), v.maxLength(MAX_ID, "an id is too long"));
const path = v.pipe(v.string("a model path must be text"), v.minLength(1, "a model path must not be empty"), v.maxLength(MAX_PATH, "a model path is too long"));
const pair = v.strictObject({expertPath: path, amateurPath: path});
const title = v.pipe(v.string("a title must be text"), v.trim(), v.minLength(1, "a title must not be empty"), v.maxLength(200, "a title is at most 200 characters"));
const messageText = v.pipe(v.string("a message must be text"), v.minLength(1, "a message must not be empty"),
    v.maxLength(MAX_TEXT, `a message is at most ${MAX_TEXT} characters`));

/** Settings changes: known keys only, each value checked against the option table. */
const settingsChanges = v.pipe(
    v.record(v.string(), v.unknown(), "settings must be an object"),
    v.check((value) => Object.keys(value).every((key) => optionTable.some((o) => o.key === key)), (issue) => {
        const unknown = Object.keys(issue.input as object).filter((key) => !optionTable.some((o) => o.key === key));
        return `unknown setting ${unknown.map((k) => `"${k}"`).join(", ")}`;
    }),
    v.rawCheck(({dataset, addIssue}) => {
        if (!dataset.typed) return;
        for (const [key, value] of Object.entries(dataset.value)) {
            const spec = optionTable.find((o) => o.key === key);
            const problem = spec == null ? null : optionProblem(spec, value);
            if (problem != null) addIssue({message: problem});
        }
    })
);

const none = v.strictTuple([]);

export const requestSchemas = {
    getStatus: none,
    listModels: none,
    checkPair: v.strictTuple([pair]),
    loadPair: v.strictTuple([pair]),
    unloadPair: none,
    calibrate: none,
    getSettings: none,
    updateSettings: v.strictTuple([settingsChanges]),
    listConversations: none,
    createConversation: v.strictTuple([v.strictObject({title: v.optional(title)})]),
    renameConversation: v.strictTuple([v.strictObject({id, title})]),
    deleteConversation: v.strictTuple([v.strictObject({id})]),
    getConversation: v.strictTuple([v.strictObject({id})]),
    setConversationOverrides: v.strictTuple([v.strictObject({id, overrides: settingsChanges})]),
    searchMessages: v.strictTuple([v.strictObject({query: v.pipe(v.string("a search must be text"), v.maxLength(500, "a search is at most 500 characters"))})]),
    exportConversation: v.strictTuple([v.strictObject({id, format: v.picklist(["markdown", "json"], "format must be markdown or json")})]),
    sendMessage: v.strictTuple([v.strictObject({conversationId: id, text: messageText})]),
    regenerate: v.strictTuple([v.strictObject({conversationId: id, messageId: v.optional(id)})]),
    editAndResend: v.strictTuple([v.strictObject({conversationId: id, messageId: id, text: messageText})]),
    stopGeneration: none
} as const satisfies Record<ServiceFunctionName, v.GenericSchema>;

export function isServiceFunction(name: unknown): name is ServiceFunctionName {
    return typeof name === "string" && Object.hasOwn(requestSchemas, name);
}

/** Checks a call's name and arguments; returns the parsed arguments or throws ServiceError("invalidRequest"). */
export function validateRequest(name: unknown, args: unknown): unknown[] {
    if (!isServiceFunction(name)) throw new ServiceError("invalidRequest", `unknown request ${JSON.stringify(String(name)).slice(0, 80)}`);
    const result = v.safeParse(requestSchemas[name], args);
    if (!result.success) {
        const first = result.issues[0]!;
        const where = v.getDotPath(first);
        throw new ServiceError("invalidRequest", `${name}: ${first.message}${where != null && !/must|unknown|setting/.test(first.message) ? ` (at ${where})` : ""}`);
    }
    return result.output as unknown[];
}
