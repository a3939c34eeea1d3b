/**
 * The server room's one public surface: the OpenAI-compatible HTTP API over the service (`tandem serve`
 * starts it headless; the app's "Local server" switch starts it beside the chat). Imported by the CLI and the
 * app shells (web, Electron). It imports the service and src-shared only.
 */
export {
    DEFAULT_API_HOST,
    DEFAULT_API_PORT,
    DEFAULT_MAX_BODY_BYTES,
    isLoopback,
    startApiServer,
    type ApiBackend,
    type ApiServer,
    type ApiServerOptions
} from "./apiServer.ts";
export {apiKeyProblem, newApiKey} from "./apiKey.ts";
export {LocalServerSwitch, startLocalServerSwitch, type SwitchBackend, type SwitchHost} from "./localServerSwitch.ts";
export {CURRENT_PAIR_ALIAS, pairId} from "./servedPairs.ts";
export {TANDEM_FIELDS} from "./openaiRequests.ts";
