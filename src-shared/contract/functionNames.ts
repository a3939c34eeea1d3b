/**
 * The names of every ServiceApi request, in the contract's order: the preload exposes one function per name,
 * the clients build one method per name, the server side checks a service has each. A name missing here or
 * listed twice fails to compile.
 */
import type {ServiceFunctionName} from "./api.ts";

export const serviceFunctionNames = [
    "getStatus",
    "listModels",
    "checkPair",
    "loadPair",
    "unloadPair",
    "calibrate",
    "getSettings",
    "updateSettings",
    "listConversations",
    "createConversation",
    "renameConversation",
    "deleteConversation",
    "getConversation",
    "setConversationOverrides",
    "searchMessages",
    "exportConversation",
    "sendMessage",
    "regenerate",
    "editAndResend",
    "stopGeneration",
    "compareModes",
    "listLibrary",
    "addModelFolder",
    "removeModelFolder",
    "addModelFile",
    "removeModelFile",
    "setSourceEnabled",
    "rescanLibrary",
    "pairVerdicts",
    "estimateFit",
    "catalogue",
    "startDownload",
    "cancelDownload",
    "resumeDownload",
    "listDownloads",
    "dismissDownload",
    "getLibrarySettings",
    "updateLibrarySettings"
] as const satisfies readonly ServiceFunctionName[];

type Listed = (typeof serviceFunctionNames)[number];
// Every request of the contract is listed: a ServiceApi function missing above fails to compile here.
type _AllListed = Exclude<ServiceFunctionName, Listed> extends never ? true : never;
export const allServiceFunctionsListed: _AllListed = true;
