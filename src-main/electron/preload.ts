/**
 * The window's preload (sandboxed; built to dist/electron/preload.cjs as one bundle). It runs the birpc client
 * over IPC itself and exposes on `window.tandem` one named function per ServiceApi function plus `onEvent`,
 * never ipcRenderer or a generic "call anything" function. Results cross contextBridge as BridgeResult.
 */
import {
    BRIDGE_GLOBAL,
    settle,
    createApiClient,
    type ServiceApi,
    type ServiceEvent,
    type TandemBridge,
    type FrameChannel
} from "../../src-shared/index.ts";
import {RPC_CHANNEL, type ElectronPreload} from "./electronApi.ts";

// A sandboxed preload is CommonJS with a require that serves only "electron" (and electron's types are absent here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {contextBridge, ipcRenderer} = require("electron") as ElectronPreload;

const channel: FrameChannel = {
    send: (frame) => ipcRenderer.send(RPC_CHANNEL, frame),
    onFrame: (listener) => {
        ipcRenderer.on(RPC_CHANNEL, (_event, frame) => listener(frame));
    },
    // The link lives as long as this page: a reload or crash replaces the whole preload.
    onClose: () => {},
    close: () => ipcRenderer.removeAllListeners(RPC_CHANNEL)
};
const client = createApiClient(channel);
const api: ServiceApi = client.api;

// Written out by name so the bridge's shape is visible here and checked against the contract by TandemBridge.
const bridge: TandemBridge = {
    getStatus: () => settle(api.getStatus()),
    listModels: () => settle(api.listModels()),
    checkPair: (pair) => settle(api.checkPair(pair)),
    loadPair: (pair) => settle(api.loadPair(pair)),
    unloadPair: () => settle(api.unloadPair()),
    calibrate: () => settle(api.calibrate()),
    getSettings: () => settle(api.getSettings()),
    updateSettings: (changes) => settle(api.updateSettings(changes)),
    listConversations: () => settle(api.listConversations()),
    createConversation: (request) => settle(api.createConversation(request)),
    renameConversation: (request) => settle(api.renameConversation(request)),
    deleteConversation: (request) => settle(api.deleteConversation(request)),
    getConversation: (request) => settle(api.getConversation(request)),
    setConversationOverrides: (request) => settle(api.setConversationOverrides(request)),
    searchMessages: (request) => settle(api.searchMessages(request)),
    exportConversation: (request) => settle(api.exportConversation(request)),
    sendMessage: (request) => settle(api.sendMessage(request)),
    regenerate: (request) => settle(api.regenerate(request)),
    editAndResend: (request) => settle(api.editAndResend(request)),
    stopGeneration: () => settle(api.stopGeneration()),
    compareModes: (request) => settle(api.compareModes(request)),
    listLibrary: () => settle(api.listLibrary()),
    addModelFolder: (request) => settle(api.addModelFolder(request)),
    removeModelFolder: (request) => settle(api.removeModelFolder(request)),
    addModelFile: (request) => settle(api.addModelFile(request)),
    removeModelFile: (request) => settle(api.removeModelFile(request)),
    setSourceEnabled: (request) => settle(api.setSourceEnabled(request)),
    rescanLibrary: () => settle(api.rescanLibrary()),
    pairVerdicts: (request) => settle(api.pairVerdicts(request)),
    estimateFit: (request) => settle(api.estimateFit(request)),
    catalogue: () => settle(api.catalogue()),
    startDownload: (request) => settle(api.startDownload(request)),
    cancelDownload: (request) => settle(api.cancelDownload(request)),
    resumeDownload: (request) => settle(api.resumeDownload(request)),
    listDownloads: () => settle(api.listDownloads()),
    dismissDownload: (request) => settle(api.dismissDownload(request)),
    getLibrarySettings: () => settle(api.getLibrarySettings()),
    updateLibrarySettings: (changes) => settle(api.updateLibrarySettings(changes)),
    onEvent: (listener: (event: ServiceEvent) => void) => client.subscribe(listener)
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
