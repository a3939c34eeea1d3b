/**
 * Split GGUF files as llama.cpp's gguf-split names them (`name-00001-of-00003.gguf`; the same pattern
 * node-llama-cpp's resolveSplitGgufParts and createModelDownloader use): the parts of one model are grouped
 * under their first part, so the library lists the model once. A group with a part missing is listed with
 * that problem rather than left out.
 */
import path from "node:path";

const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/i;

export type SplitName = {readonly stem: string; readonly part: number; readonly parts: number};

/** The part number and count in a file name, or null for a file that is not a split part. */
export function splitName(fileName: string): SplitName | null {
    const match = SPLIT_PART.exec(fileName);
    if (match == null) return null;
    const part = Number(match[1]);
    const parts = Number(match[2]);
    if (part < 1 || parts < 1 || part > parts) return null;
    return {stem: fileName.slice(0, match.index), part, parts};
}

/** The file name of part `part` of `parts` (1-based), as gguf-split writes it. */
export function splitPartName(stem: string, part: number, parts: number): string {
    return `${stem}-${String(part).padStart(5, "0")}-of-${String(parts).padStart(5, "0")}.gguf`;
}

export type ModelFileGroup = {
    /** The path to load: the only file, or the first part. */
    readonly path: string;
    /** Every part in order (one entry for a whole file); a missing part's path is still listed. */
    readonly parts: readonly string[];
    /** Parts not found next to the others, 1-based. */
    readonly missingParts: readonly number[];
};

/**
 * Groups file paths into models: whole files alone, split parts by folder and stem. The result follows the
 * order of first appearance (a group at its lowest part's place).
 */
export function groupModelFiles(files: readonly string[]): ModelFileGroup[] {
    const groups: ModelFileGroup[] = [];
    const split = new Map<string, {parts: number; found: Map<number, string>; index: number}>();
    for (const file of files) {
        const name = splitName(path.basename(file));
        if (name == null) {
            groups.push({path: file, parts: [file], missingParts: []});
            continue;
        }
        const key = `${path.dirname(file)}\u0000${name.stem}\u0000${name.parts}`;
        let group = split.get(key);
        if (group == null) {
            group = {parts: name.parts, found: new Map(), index: groups.length};
            split.set(key, group);
            groups.push({path: "", parts: [], missingParts: []});
        }
        group.found.set(name.part, file);
    }
    for (const [key, group] of split) {
        const [dir, stem] = key.split("\u0000") as [string, string];
        const parts: string[] = [];
        const missing: number[] = [];
        for (let part = 1; part <= group.parts; part++) {
            const found = group.found.get(part);
            if (found == null) missing.push(part);
            parts.push(found ?? path.join(dir, splitPartName(stem, part, group.parts)));
        }
        groups[group.index] = {path: parts[0]!, parts, missingParts: missing};
    }
    return groups;
}
