/**
 * Request validation at the process boundary: one valibot schema per ServiceApi function, over its argument
 * list. `validateRequest` turns any malformed payload into a ServiceError("invalidRequest") with one sentence
 * that names the function and the field ("sendMessage: text is missing"), so a bad request never reaches the
 * service and never crashes the process. Setting values are checked against the option table (the same ranges
 * the CLI and the engine use). No I/O: safe to import anywhere.
 */
import * as v from "valibot";
import {CONTEXT_SIZE_LIMIT, optionProblem, optionTable, ServiceError, type ServiceFunctionName} from "../../src-shared/index.ts";

const MAX_ID = 100;
const MAX_TEXT = 1_000_000;
const MAX_PATH = 4096;
const MAX_TITLE = 200;
const MAX_QUERY = 500;
const MAX_URI = 2048;

// Every message below names its field, so validateRequest only prefixes the function name.

function textField(field: string, options: {min?: number; max: number; trim?: boolean}) {
    const type = v.string(`${field} must be text`);
    const min = v.minLength<string, number, string>(options.min ?? 0, `${field} must not be empty`);
    const max = v.maxLength<string, number, string>(options.max, `${field} is longer than ${options.max} characters`);
    return options.trim === true ? v.pipe(type, v.trim(), min, max) : v.pipe(type, min, max);
}

const id = (field: string) => textField(field, {min: 1, max: MAX_ID});
const pair = v.strictObject(
    {expertPath: textField("expertPath", {min: 1, max: MAX_PATH}), amateurPath: textField("amateurPath", {min: 1, max: MAX_PATH})},
    "the pair must be an object {expertPath, amateurPath}"
);
/** A file or folder path the service will check on disk (web mode's "Add folder" field). */
const filePath = (field: string) => textField(field, {min: 1, max: MAX_PATH, trim: true});
const title = textField("title", {min: 1, max: MAX_TITLE, trim: true});
const messageText = textField("text", {min: 1, max: MAX_TEXT});

function isOptionKey(key: string): boolean {
    return optionTable.some((o) => o.key === key);
}

/** Settings changes: known keys only, each value checked against the option table. */
function settingsChanges(field: string) {
    return v.pipe(
        v.custom<Record<string, unknown>>(
            (value) => typeof value === "object" && value != null && !Array.isArray(value),
            `${field} must be an object`
        ),
        v.rawCheck(({dataset, addIssue}) => {
            if (!dataset.typed) return;
            const unknown = Object.keys(dataset.value).filter((key) => !isOptionKey(key));
            if (unknown.length > 0) {
                addIssue({
                    message: `unknown setting ${unknown
                        .slice(0, 5)
                        .map((k) => JSON.stringify(k.slice(0, 40)))
                        .join(", ")}`
                });
                return;
            }
            for (const [key, value] of Object.entries(dataset.value)) {
                const problem = optionProblem(
                    optionTable.find((o) => o.key === key)!,
                    value
                );
                if (problem != null) addIssue({message: problem});
            }
        }),
        // Last, so the checks above see every key the caller sent (a record silently drops "__proto__").
        v.record(v.string(), v.unknown(), `${field} must be an object`)
    );
}

/** The one object argument of a request, with a message naming the fields it takes. */
function request<const E extends v.ObjectEntries>(entries: E) {
    return v.strictTuple([v.strictObject(entries, `the request must be an object {${Object.keys(entries).join(", ")}}`)]);
}

const none = v.strictTuple([]);

export const requestSchemas = {
    getStatus: none,
    listModels: none,
    checkPair: v.strictTuple([pair]),
    loadPair: v.strictTuple([pair]),
    unloadPair: none,
    calibrate: none,
    getSettings: none,
    updateSettings: v.strictTuple([settingsChanges("settings")]),
    listConversations: none,
    createConversation: request({title: v.optional(title)}),
    renameConversation: request({id: id("id"), title}),
    deleteConversation: request({id: id("id")}),
    getConversation: request({id: id("id")}),
    setConversationOverrides: request({id: id("id"), overrides: settingsChanges("overrides")}),
    searchMessages: request({query: textField("query", {max: MAX_QUERY})}),
    exportConversation: request({id: id("id"), format: v.picklist(["markdown", "json"], "format must be markdown or json")}),
    sendMessage: request({conversationId: id("conversationId"), text: messageText, pair: v.optional(pair)}),
    regenerate: request({conversationId: id("conversationId"), messageId: v.optional(id("messageId")), pair: v.optional(pair)}),
    editAndResend: request({conversationId: id("conversationId"), messageId: id("messageId"), text: messageText, pair: v.optional(pair)}),
    stopGeneration: none,
    listLibrary: none,
    addModelFolder: request({path: filePath("path")}),
    removeModelFolder: request({path: filePath("path")}),
    addModelFile: request({path: filePath("path")}),
    removeModelFile: request({path: filePath("path")}),
    setSourceEnabled: request({id: textField("id", {min: 1, max: MAX_PATH + 40}), enabled: v.boolean("enabled must be true or false")}),
    rescanLibrary: none,
    pairVerdicts: request({expertPath: filePath("expertPath")}),
    estimateFit: request({
        pair,
        contextSize: v.optional(
            v.pipe(
                v.number("contextSize must be a number"),
                v.integer("contextSize must be a whole number"),
                v.minValue(16, "contextSize must be at least 16"),
                v.maxValue(CONTEXT_SIZE_LIMIT, `contextSize must be at most ${CONTEXT_SIZE_LIMIT}`)
            )
        )
    }),
    catalogue: none,
    startDownload: request({uri: textField("uri", {min: 1, max: MAX_URI, trim: true})}),
    cancelDownload: request({id: id("id")}),
    resumeDownload: request({id: id("id")}),
    listDownloads: none,
    dismissDownload: request({id: id("id")}),
    getLibrarySettings: none,
    updateLibrarySettings: v.strictTuple([
        v.strictObject(
            {hfEndpoint: v.optional(textField("hfEndpoint", {min: 1, max: MAX_URI, trim: true})), downloadDir: v.optional(filePath("downloadDir"))},
            "the library settings must be an object {hfEndpoint?, downloadDir?}"
        )
    ]),
    compareModes: request({conversationId: id("conversationId"), messageId: id("messageId")})
} as const satisfies Record<ServiceFunctionName, v.GenericSchema>;

export function isServiceFunction(name: unknown): name is ServiceFunctionName {
    return typeof name === "string" && Object.hasOwn(requestSchemas, name);
}

/** Shows a name the caller sent inside a message: quoted, shortened, never more than a line. */
function quoted(value: unknown): string {
    const text = JSON.stringify(typeof value === "string" ? value.slice(0, 60) : String(value).slice(0, 60));
    return text ?? "undefined";
}

/** One sentence for the first issue, naming the request's field (or its argument list). */
function describeIssue(name: ServiceFunctionName, issue: v.BaseIssue<unknown>, args: unknown): string {
    const keys = (issue.path ?? []).map((item) => item.key);
    const arity = requestSchemas[name].items.length;
    const takes = arity === 0 ? `${name} takes no arguments` : `${name} takes one argument`;
    if (keys.length === 0) return Array.isArray(args) ? takes : `${name}: the arguments must be a list`;
    if (keys.length === 1) {
        // An argument past the schema's end (strict tuple), or a missing/mistyped argument.
        if (issue.expected === "never") return `${takes}, not ${(args as unknown[]).length}`;
        return `${name}: ${issue.message}`;
    }
    const field = keys.slice(1).map(String).join(".");
    if (issue.type === "strict_object" && issue.expected === "never") return `${name}: unknown field ${quoted(keys.at(-1))}`;
    if (issue.type === "strict_object" && issue.input === undefined) return `${name}: ${field} is missing`;
    return `${name}: ${issue.message}`;
}

/** Checks a call's name and arguments; returns the parsed arguments or throws ServiceError("invalidRequest"). */
export function validateRequest(name: unknown, args: unknown): unknown[] {
    if (!isServiceFunction(name)) throw new ServiceError("invalidRequest", `unknown request ${quoted(name)}`);
    const result = v.safeParse(requestSchemas[name], args);
    if (!result.success) throw new ServiceError("invalidRequest", describeIssue(name, result.issues[0], args));
    return result.output as unknown[];
}
