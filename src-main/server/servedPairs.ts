/**
 * Pairs as OpenAI model ids: "expert+amateur" from the two file names without ".gguf" (the demo pair is
 * "stories260K+stories260K-L4-earlyexit"). The list is the pair the app has now first, then every other pair
 * of the app's models that can decode together (the larger file as the expert), as the pair picker checks
 * them. "tandem" is accepted too and means the pair the app has now.
 */
import {stat} from "node:fs/promises";
import path from "node:path";
import type {CompatibilityCheck, ModelEntry, PairRef} from "../../src-shared/index.ts";

/** Model id that always names the pair the app has now (loaded, else chosen last, else the demo pair). */
export const CURRENT_PAIR_ALIAS = "tandem";

/** Most compatibility checks one listing makes (each reads two GGUF headers). */
const MAX_CHECKS = 64;
/** How long a listing is reused (the models folder rarely changes between two requests). */
const LISTING_TTL_MS = 30_000;

export type PairSource = {
    currentPair(): PairRef;
    listModels(): Promise<ModelEntry[]>;
    checkPair(pair: PairRef): Promise<CompatibilityCheck>;
};

export type ServedPair = {readonly id: string; readonly pair: PairRef; readonly current: boolean; readonly created: number};

const stem = (file: string) => path.basename(file).replace(/\.gguf$/i, "");

export function pairId(pair: PairRef): string {
    return `${stem(pair.expertPath)}+${stem(pair.amateurPath)}`;
}

async function createdSeconds(file: string): Promise<number> {
    return stat(file).then(
        (info) => Math.floor(info.mtimeMs / 1000),
        () => 0
    );
}

export class ServedPairs {
    private listing: {at: number; pairs: Promise<ServedPair[]>} | null = null;

    constructor(private readonly source: PairSource) {}

    /** Every pair this server can answer with, the current one first; ids unique (the first of a name wins). */
    list(): Promise<ServedPair[]> {
        const current = this.source.currentPair();
        if (this.listing == null || performance.now() - this.listing.at > LISTING_TTL_MS) {
            this.listing = {at: performance.now(), pairs: this.otherPairs()};
            this.listing.pairs.catch(() => {
                this.listing = null;
            });
        }
        return this.listing.pairs.then(async (others) => {
            const first: ServedPair = {id: pairId(current), pair: current, current: true, created: await createdSeconds(current.expertPath)};
            return [first, ...others.filter((p) => p.id !== first.id).map((p) => ({...p, current: false}))];
        });
    }

    /** The pair a request's `model` names, or null. */
    async find(model: string): Promise<ServedPair | null> {
        const current = this.source.currentPair();
        if (model === CURRENT_PAIR_ALIAS || model === pairId(current)) {
            return {id: pairId(current), pair: current, current: true, created: 0};
        }
        return (await this.list()).find((p) => p.id === model) ?? null;
    }

    private async otherPairs(): Promise<ServedPair[]> {
        const models = (await this.source.listModels()).filter((m) => m.problem == null);
        const pairs: ServedPair[] = [];
        const seen = new Set<string>();
        let checks = 0;
        for (const expert of models) {
            for (const amateur of models) {
                // A model paired with itself (or a copy of it under the same name) is no pair.
                if (stem(expert.path) === stem(amateur.path) || expert.sizeBytes < amateur.sizeBytes) continue;
                if (expert.vocabularySize !== amateur.vocabularySize && Math.abs((expert.vocabularySize ?? 0) - (amateur.vocabularySize ?? 0)) > 128)
                    continue;
                const pair = {expertPath: expert.path, amateurPath: amateur.path};
                const id = pairId(pair);
                if (seen.has(id) || checks >= MAX_CHECKS) continue;
                checks++;
                if (!(await this.source.checkPair(pair)).compatible) continue;
                seen.add(id);
                pairs.push({id, pair, current: false, created: await createdSeconds(expert.path)});
            }
        }
        return pairs;
    }
}
