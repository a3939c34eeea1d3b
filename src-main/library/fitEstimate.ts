/**
 * Whether a pair fits this machine, from the two headers and the context size, before anything loads.
 *
 * This is the header estimate, and it says so ("method: header"): node-llama-cpp's GgufInsights resolvers
 * (GgufInsightsConfigurationResolver) need a Llama instance, that is llama.cpp's native binding, which the
 * service and Electron's main process never load. Per model it counts the weights (the tensor data bytes in
 * the file, all parts), the KV cache at the context size (K and V in F16 for every layer, as the engine
 * loads them by default), and the logits buffer (vocabulary × 4 bytes × 512, llama.cpp's default batch),
 * all on the CPU side. The GPU's memory is not read here, so `vramBytes` is 0 and the machine's VRAM null.
 */
import {readFile} from "node:fs/promises";
import os from "node:os";
import type {FitEstimate, PairRef} from "./contractTypes.ts";
import type {MemoryFacts} from "./modelFacts.ts";

const LOGITS_BATCH = 512;

export type MachineMemory = {readonly totalRamBytes: number; readonly freeRamBytes: number};

/** Total and available memory; on Linux "available" is /proc/meminfo's MemAvailable (free + reclaimable cache). */
export async function machineMemory(): Promise<MachineMemory> {
    const totalRamBytes = os.totalmem();
    let freeRamBytes = os.freemem();
    if (process.platform === "linux") {
        const text = await readFile("/proc/meminfo", "utf8").catch(() => "");
        const match = /^MemAvailable:\s+(\d+) kB/m.exec(text);
        if (match != null) freeRamBytes = Number(match[1]) * 1024;
    }
    return {totalRamBytes, freeRamBytes};
}

/** Bytes one model needs at this context size (capped at its training context, as the engine caps it). */
export function modelBytes(memory: MemoryFacts, contextSize: number): number {
    const context = memory.trainingContext != null && memory.trainingContext > 0 ? Math.min(contextSize, memory.trainingContext) : contextSize;
    return memory.weightsBytes + memory.kvBytesPerToken * context + memory.vocabularySize * 4 * LOGITS_BATCH;
}

export function formatBytes(bytes: number): string {
    if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
    if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
    if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
    return `${bytes} bytes`;
}

export function verdictOf(needBytes: number, machine: MachineMemory): FitEstimate["verdict"] {
    if (needBytes <= machine.freeRamBytes) return "fits";
    if (needBytes <= machine.totalRamBytes) return "tight";
    return "no";
}

export function estimatePairFit(pair: PairRef, expert: MemoryFacts, amateur: MemoryFacts, contextSize: number, machine: MachineMemory): FitEstimate {
    const expertBytes = modelBytes(expert, contextSize);
    const amateurBytes = modelBytes(amateur, contextSize);
    const ramBytes = expertBytes + amateurBytes;
    const verdict = verdictOf(ramBytes, machine);
    const need = `Needs about ${formatBytes(ramBytes)} of memory at ${contextSize} tokens of context`;
    const have = `${formatBytes(machine.freeRamBytes)} free of ${formatBytes(machine.totalRamBytes)}`;
    const says =
        verdict === "fits"
            ? "it fits"
            : verdict === "tight"
              ? "more than is free now: other programs would have to give memory back"
              : "more than this machine has";
    return {
        pair,
        contextSize,
        method: "header",
        ramBytes,
        vramBytes: 0,
        perModel: {expert: {ramBytes: expertBytes, vramBytes: 0}, amateur: {ramBytes: amateurBytes, vramBytes: 0}},
        machine: {totalRamBytes: machine.totalRamBytes, freeRamBytes: machine.freeRamBytes, totalVramBytes: null, freeVramBytes: null},
        verdict,
        summary: `${need}; ${have}: ${says} (an estimate from the model headers: weights, KV cache and output buffers; GPU memory not checked).`
    };
}

/** node-llama-cpp's resolved figures for both models (from the engine process, where llama.cpp runs). */
export type ResolverFit = {
    readonly expert: {readonly ramBytes: number; readonly vramBytes: number};
    readonly amateur: {readonly ramBytes: number; readonly vramBytes: number};
    readonly gpu: string | false;
    readonly vram: {readonly totalBytes: number; readonly freeBytes: number} | null;
    readonly ram: {readonly totalBytes: number; readonly freeBytes: number};
};

/** The fit by node-llama-cpp's GgufInsights resolvers: RAM and VRAM each against this machine's free and total. */
export function fitFromResolvers(pair: PairRef, contextSize: number, resolved: ResolverFit, machine: MachineMemory): FitEstimate {
    const ramBytes = resolved.expert.ramBytes + resolved.amateur.ramBytes;
    const vramBytes = resolved.expert.vramBytes + resolved.amateur.vramBytes;
    const ramVerdict = verdictOf(ramBytes, machine);
    const vramVerdict =
        resolved.vram == null || vramBytes === 0
            ? "fits"
            : verdictOf(vramBytes, {totalRamBytes: resolved.vram.totalBytes, freeRamBytes: resolved.vram.freeBytes});
    const order = ["fits", "tight", "no"] as const;
    const verdict = order[Math.max(order.indexOf(ramVerdict), order.indexOf(vramVerdict))]!;
    const gpuPart =
        resolved.vram != null && vramBytes > 0 ? ` and ${formatBytes(vramBytes)} of GPU memory (${formatBytes(resolved.vram.freeBytes)} free)` : "";
    const says = verdict === "fits" ? "it fits" : verdict === "tight" ? "more than is free now" : "more than this machine has";
    return {
        pair,
        contextSize,
        method: "llama.cpp",
        ramBytes,
        vramBytes,
        perModel: {
            expert: {ramBytes: resolved.expert.ramBytes, vramBytes: resolved.expert.vramBytes},
            amateur: {ramBytes: resolved.amateur.ramBytes, vramBytes: resolved.amateur.vramBytes}
        },
        machine: {
            totalRamBytes: machine.totalRamBytes,
            freeRamBytes: machine.freeRamBytes,
            totalVramBytes: resolved.vram?.totalBytes ?? null,
            freeVramBytes: resolved.vram?.freeBytes ?? null
        },
        verdict,
        summary:
            `Needs about ${formatBytes(ramBytes)} of memory${gpuPart} at ${contextSize} tokens of context; ` +
            `${formatBytes(machine.freeRamBytes)} free of ${formatBytes(machine.totalRamBytes)}: ${says} ` +
            `(node-llama-cpp's estimate for ${resolved.gpu === false ? "the CPU" : resolved.gpu.toUpperCase()}).`
    };
}
