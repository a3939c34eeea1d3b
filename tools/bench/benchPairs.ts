/**
 * The model pairs the benchmark reports. Tiny models are bound by per-call overhead, so besides the plain
 * story pair it derives a "heavy" expert (stories260K with every feed-forward zero-padded to width F: the
 * same function at a tunable cost) into the fixture cache, built on first use and never committed.
 */
import path from "node:path";
import {ensureFixture} from "../fixtures/deriveModels.ts";

export const benchPairNames = ["story", "heavy-l4", "heavy-twin"] as const;
export type BenchPairName = (typeof benchPairNames)[number];

export type PairSpec = {
    readonly name: BenchPairName | "custom";
    readonly description: string;
    readonly expertPath: string;
    readonly amateurPath: string;
};

export async function resolvePair(name: BenchPairName, modelsDir: string, ffnWidth: number, onProgress?: (line: string) => void): Promise<PairSpec> {
    const base = path.join(modelsDir, "stories260K.gguf");
    const l4 = path.join(modelsDir, "stories260K-L4-earlyexit.gguf");
    if (name === "story") return {name, description: "stories260K + stories260K-L4", expertPath: base, amateurPath: l4};
    onProgress?.(`building (or reusing) the heavy expert: stories260K with FFN width ${ffnWidth}`);
    const heavy = await ensureFixture("heavyExpert", {base, ffnWidth});
    const label = `heavy-${Math.round(ffnWidth / 1024)}k`;
    return name === "heavy-l4"
        ? {name, description: `${label} + stories260K-L4`, expertPath: heavy, amateurPath: l4}
        : {name, description: `${label} + stories260K (twin: same function, near-total acceptance)`, expertPath: heavy, amateurPath: base};
}
