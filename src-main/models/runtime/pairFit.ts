/**
 * What a pair needs on this machine by node-llama-cpp's own resolvers (GgufInsightsConfigurationResolver):
 * for each model, the GPU layers, RAM and VRAM it would use with a context of `contextSize`, as node-llama-cpp
 * resolves them for the backend llama.cpp runs on here; and the machine's VRAM. Needs a Llama instance (the
 * native binding), so it runs in the engine process; the service falls back to a header estimate without it.
 */
import os from "node:os";
import {GgufInsights, readGgufFileInfo, type Llama} from "node-llama-cpp";

export type ResolvedModelFit = {readonly ramBytes: number; readonly vramBytes: number; readonly gpuLayers: number; readonly contextSize: number};

export type ResolvedPairFit = {
    readonly expert: ResolvedModelFit;
    readonly amateur: ResolvedModelFit;
    /** "cuda", "metal", "vulkan", or false on the CPU. */
    readonly gpu: string | false;
    readonly vram: {readonly totalBytes: number; readonly freeBytes: number} | null;
    readonly ram: {readonly totalBytes: number; readonly freeBytes: number};
};

async function resolveModel(llama: Llama, file: string, contextSize: number): Promise<ResolvedModelFit> {
    const info = await readGgufFileInfo(file, {logWarnings: false});
    const insights = await GgufInsights.from(info, llama);
    const trainContext = insights.trainContextSize;
    const target = trainContext != null && trainContext > 0 ? Math.min(contextSize, trainContext) : contextSize;
    const {resolvedValues} = await insights.configurationResolver.resolveAndScoreConfig({targetContextSize: target});
    return {
        ramBytes: resolvedValues.totalRamUsage,
        vramBytes: resolvedValues.totalVramUsage,
        gpuLayers: resolvedValues.gpuLayers,
        contextSize: resolvedValues.contextSize
    };
}

export async function resolvePairFit(llama: Llama, expertPath: string, amateurPath: string, contextSize: number): Promise<ResolvedPairFit> {
    const expert = await resolveModel(llama, expertPath, contextSize);
    const amateur = await resolveModel(llama, amateurPath, contextSize);
    const vramState = llama.gpu === false ? null : await llama.getVramState();
    return {
        expert,
        amateur,
        gpu: llama.gpu,
        vram: vramState == null ? null : {totalBytes: vramState.total, freeBytes: vramState.free},
        ram: {totalBytes: os.totalmem(), freeBytes: os.freemem()}
    };
}
