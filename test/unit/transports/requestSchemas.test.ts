/**
 * Request validation: for every function of the contract, malformed payloads (wrong argument count, not a
 * list, not an object, a missing field, an unknown field, wrong types, empty or overlong text, bad settings)
 * are refused with ServiceError("invalidRequest") and one sentence naming the function and the field; valid
 * payloads pass and come back parsed.
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import {ServiceError, serviceFunctionNames, type ServiceFunctionName} from "../../../src-shared/index.ts";
import {validateRequest} from "../../../src-main/transports/requestSchemas.ts";

type Case = {readonly args: unknown; readonly message: string};

const pair = {expertPath: "/models/a.gguf", amateurPath: "/models/b.gguf"};
const long = (n: number) => "x".repeat(n);

/** Per function: one valid argument list, and malformed ones with the exact sentence each must produce. */
const table: Record<ServiceFunctionName, {valid: unknown[]; bad: Case[]}> = {
    getStatus: {
        valid: [],
        bad: [
            {args: [1], message: "getStatus takes no arguments, not 1"},
            {args: {}, message: "getStatus: the arguments must be a list"}
        ]
    },
    listModels: {valid: [], bad: [{args: [null], message: "listModels takes no arguments, not 1"}]},
    checkPair: {
        valid: [pair],
        bad: [
            {args: [], message: "checkPair: the pair must be an object {expertPath, amateurPath}"},
            {args: [{expertPath: "/a"}], message: "checkPair: amateurPath is missing"},
            {args: [{...pair, expertPath: 7}], message: "checkPair: expertPath must be text"},
            {args: [{...pair, amateurPath: ""}], message: "checkPair: amateurPath must not be empty"},
            {args: [{...pair, extra: true}], message: 'checkPair: unknown field "extra"'},
            {args: [pair, pair], message: "checkPair takes one argument, not 2"}
        ]
    },
    loadPair: {
        valid: [pair],
        bad: [
            {args: ["a.gguf"], message: "loadPair: the pair must be an object {expertPath, amateurPath}"},
            {args: [{...pair, expertPath: long(5000)}], message: "loadPair: expertPath is longer than 4096 characters"}
        ]
    },
    unloadPair: {valid: [], bad: [{args: "now", message: "unloadPair: the arguments must be a list"}]},
    calibrate: {valid: [], bad: [{args: [{}], message: "calibrate takes no arguments, not 1"}]},
    getSettings: {valid: [], bad: [{args: [undefined], message: "getSettings takes no arguments, not 1"}]},
    updateSettings: {
        valid: [{gamma: 2, seed: null, mode: "cd"}],
        bad: [
            {args: [], message: "updateSettings: settings must be an object"},
            {args: [[1]], message: "updateSettings: settings must be an object"},
            {args: [{gamma: 0}], message: "updateSettings: gamma must be auto or a whole number from 1 to 64"},
            {args: [{alpha: "high"}], message: "updateSettings: alpha must be a number from 0 to 1"},
            {args: [{mode: "fast"}], message: "updateSettings: mode must be one of scd, sd, cd, expert, amateur"},
            {args: [{exact: 1}], message: "updateSettings: exact must be true or false"},
            {args: [{colour: "red", gamma: 2}], message: 'updateSettings: unknown setting "colour"'},
            {args: [JSON.parse('{"__proto__": {"gamma": 2}}')], message: 'updateSettings: unknown setting "__proto__"'}
        ]
    },
    listConversations: {valid: [], bad: [{args: [1, 2], message: "listConversations takes no arguments, not 2"}]},
    createConversation: {
        valid: [{title: "  Stories  "}],
        bad: [
            {args: [], message: "createConversation: the request must be an object {title}"},
            {args: [{title: "   "}], message: "createConversation: title must not be empty"},
            {args: [{title: long(201)}], message: "createConversation: title is longer than 200 characters"},
            {args: [{name: "x"}], message: 'createConversation: unknown field "name"'}
        ]
    },
    renameConversation: {
        valid: [{id: "c1", title: "New"}],
        bad: [
            {args: [{id: "c1"}], message: "renameConversation: title is missing"},
            {args: [{title: "x"}], message: "renameConversation: id is missing"},
            {args: [{id: 5, title: "x"}], message: "renameConversation: id must be text"}
        ]
    },
    deleteConversation: {
        valid: [{id: "c1"}],
        bad: [
            {args: [{id: ""}], message: "deleteConversation: id must not be empty"},
            {args: [{id: long(101)}], message: "deleteConversation: id is longer than 100 characters"},
            {args: ["c1"], message: "deleteConversation: the request must be an object {id}"}
        ]
    },
    getConversation: {valid: [{id: "c1"}], bad: [{args: [{}], message: "getConversation: id is missing"}]},
    setConversationOverrides: {
        valid: [{id: "c1", overrides: {beta: 1}}],
        bad: [
            {args: [{id: "c1"}], message: "setConversationOverrides: overrides is missing"},
            {args: [{id: "c1", overrides: "fast"}], message: "setConversationOverrides: overrides must be an object"},
            {args: [{id: "c1", overrides: {beta: 11}}], message: "setConversationOverrides: beta must be a number from 0 to 10"},
            {args: [{id: "c1", overrides: {topK: 1.5}}], message: "setConversationOverrides: topK must be a whole number from 1 to 1000000"}
        ]
    },
    searchMessages: {
        valid: [{query: ""}],
        bad: [
            {args: [{query: 3}], message: "searchMessages: query must be text"},
            {args: [{query: long(501)}], message: "searchMessages: query is longer than 500 characters"}
        ]
    },
    exportConversation: {
        valid: [{id: "c1", format: "json"}],
        bad: [
            {args: [{id: "c1", format: "pdf"}], message: "exportConversation: format must be markdown or json"},
            {args: [{id: "c1"}], message: "exportConversation: format is missing"}
        ]
    },
    sendMessage: {
        valid: [{conversationId: "c1", text: "Once upon a time", pair}],
        bad: [
            {args: [{conversationId: "c1"}], message: "sendMessage: text is missing"},
            {args: [{text: "hi"}], message: "sendMessage: conversationId is missing"},
            {args: [{conversationId: "c1", text: ""}], message: "sendMessage: text must not be empty"},
            {args: [{conversationId: "c1", text: ["hi"]}], message: "sendMessage: text must be text"},
            {args: [{conversationId: "c1", text: long(1_000_001)}], message: "sendMessage: text is longer than 1000000 characters"},
            {args: [null], message: "sendMessage: the request must be an object {conversationId, text, pair}"},
            {args: [{conversationId: "c1", text: "hi", pair: {expertPath: "/a"}}], message: "sendMessage: pair.amateurPath is missing"},
            {args: "hello", message: "sendMessage: the arguments must be a list"}
        ]
    },
    regenerate: {
        valid: [{conversationId: "c1"}],
        bad: [
            {args: [{conversationId: "c1", messageId: 4}], message: "regenerate: messageId must be text"},
            {args: [{conversationId: "c1", force: true}], message: 'regenerate: unknown field "force"'}
        ]
    },
    editAndResend: {
        valid: [{conversationId: "c1", messageId: "m1", text: "again"}],
        bad: [
            {args: [{conversationId: "c1", text: "again"}], message: "editAndResend: messageId is missing"},
            {args: [{conversationId: "c1", messageId: "m1", text: ""}], message: "editAndResend: text must not be empty"}
        ]
    },
    stopGeneration: {valid: [], bad: [{args: [true], message: "stopGeneration takes no arguments, not 1"}]},
    compareModes: {
        valid: [{conversationId: "c1", messageId: "m1"}],
        bad: [{args: [{conversationId: "c1"}], message: "compareModes: messageId is missing"}]
    },
    listLibrary: {valid: [], bad: [{args: [{}], message: "listLibrary takes no arguments, not 1"}]},
    addModelFolder: {
        valid: [{path: "/home/me/models"}],
        bad: [
            {args: [{}], message: "addModelFolder: path is missing"},
            {args: [{path: "   "}], message: "addModelFolder: path must not be empty"},
            {args: [{path: long(4097)}], message: "addModelFolder: path is longer than 4096 characters"}
        ]
    },
    removeModelFolder: {valid: [{path: "/m"}], bad: [{args: [{path: 3}], message: "removeModelFolder: path must be text"}]},
    addModelFile: {
        valid: [{path: "/m/a.gguf"}],
        bad: [{args: [{path: "/m/a.gguf", file: "/m/a.gguf"}], message: 'addModelFile: unknown field "file"'}]
    },
    removeModelFile: {valid: [{path: "/m/a.gguf"}], bad: [{args: [], message: "removeModelFile: the request must be an object {path}"}]},
    setSourceEnabled: {
        valid: [{id: "ollama:/home/me/.ollama/models", enabled: false}],
        bad: [{args: [{id: "ollama", enabled: "no"}], message: "setSourceEnabled: enabled must be true or false"}]
    },
    rescanLibrary: {valid: [], bad: [{args: [true], message: "rescanLibrary takes no arguments, not 1"}]},
    pairVerdicts: {valid: [{expertPath: "/m/a.gguf"}], bad: [{args: [{}], message: "pairVerdicts: expertPath is missing"}]},
    estimateFit: {
        valid: [{pair, contextSize: 4096}],
        bad: [
            {args: [{pair, contextSize: 8}], message: "estimateFit: contextSize must be at least 16"},
            {args: [{pair, contextSize: 1.5}], message: "estimateFit: contextSize must be a whole number"},
            {args: [{contextSize: 512}], message: "estimateFit: pair is missing"}
        ]
    },
    catalogue: {valid: [], bad: [{args: [1], message: "catalogue takes no arguments, not 1"}]},
    startDownload: {
        valid: [{uri: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0"}],
        bad: [
            {args: [{uri: ""}], message: "startDownload: uri must not be empty"},
            {args: [{uri: long(2049)}], message: "startDownload: uri is longer than 2048 characters"}
        ]
    },
    cancelDownload: {valid: [{id: "d1"}], bad: [{args: [{id: ""}], message: "cancelDownload: id must not be empty"}]},
    resumeDownload: {valid: [{id: "d1"}], bad: [{args: [{}], message: "resumeDownload: id is missing"}]},
    listDownloads: {valid: [], bad: [{args: [0], message: "listDownloads takes no arguments, not 1"}]},
    dismissDownload: {valid: [{id: "d1"}], bad: [{args: [{id: 1}], message: "dismissDownload: id must be text"}]},
    getLibrarySettings: {valid: [], bad: [{args: [{}], message: "getLibrarySettings takes no arguments, not 1"}]},
    updateLibrarySettings: {
        valid: [{hfEndpoint: "http://127.0.0.1:8080"}],
        bad: [
            {args: [{mirror: "x"}], message: 'updateLibrarySettings: unknown field "mirror"'},
            {args: [{hfEndpoint: 5}], message: "updateLibrarySettings: hfEndpoint must be text"}
        ]
    }
};

function refusal(name: unknown, args: unknown): ServiceError {
    try {
        validateRequest(name, args);
    } catch (error) {
        assert.ok(error instanceof ServiceError, `a ServiceError, not ${String(error)}`);
        return error;
    }
    assert.fail(`${String(name)} ${JSON.stringify(args)?.slice(0, 80)} was accepted`);
}

test("the table covers every function of the contract", () => {
    assert.deepEqual(Object.keys(table).sort(), [...serviceFunctionNames].sort());
});

for (const name of serviceFunctionNames) {
    test(`${name}: malformed payloads are refused with one sentence naming the field`, () => {
        for (const {args, message} of table[name].bad) {
            const error = refusal(name, args);
            assert.equal(error.code, "invalidRequest");
            assert.equal(error.message, message);
            assert.doesNotMatch(error.message, /\n|Expected|received|Invalid/, "no valibot wording");
        }
    });
    test(`${name}: a valid payload passes`, () => {
        assert.equal(validateRequest(name, table[name].valid).length, table[name].valid.length);
    });
}

test("parsed arguments come back normalised (a title is trimmed)", () => {
    assert.deepEqual(validateRequest("createConversation", [{title: "  Stories  "}]), [{title: "Stories"}]);
});

test("unknown and inherited names are not requests", () => {
    for (const name of ["deleteEverything", "__proto__", "toString", "constructor", "hasOwnProperty", 5, null]) {
        const error = refusal(name, []);
        assert.equal(error.code, "invalidRequest");
        assert.match(error.message, /^unknown request "/);
    }
});
