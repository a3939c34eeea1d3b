/**
 * Walks a model folder for `*.gguf` files: into subfolders up to a depth limit, following symbolic links
 * (to files and folders), and noting in words what it skipped: a link that loops back to a folder being
 * walked, a folder it could not read, the depth limit. Never throws for what it finds on disk; counts every
 * entry it looks at so a caller can show progress. Downloads in progress (`*.ipull`, node-llama-cpp's
 * downloader's temporary files) are never `.gguf`, so a half-written file is never found.
 */
import {readdir, realpath, stat} from "node:fs/promises";
import type {Dirent, Stats} from "node:fs";
import path from "node:path";

/** How deep below the folder the walk goes (the folder's own files are depth 0). */
export const DEFAULT_SCAN_DEPTH = 6;
/** Folders never walked: version control and dependency trees hold no models and can be huge. */
const SKIPPED_FOLDERS = new Set([".git", "node_modules", ".svn", ".hg", "__pycache__"]);

export type FolderScanResult = {
    /** Absolute paths of `.gguf` files, as reached (through links when they were), sorted per folder. */
    readonly files: string[];
    /** What was skipped and why, in words. */
    readonly notes: string[];
};

export type FolderScanOptions = {
    readonly maxDepth?: number;
    /** Called for every directory entry looked at. */
    readonly onEntry?: () => void;
    /** Which files count (default: names ending in .gguf, any case). */
    readonly accept?: (name: string) => boolean;
};

export function isGgufName(name: string): boolean {
    return name.toLowerCase().endsWith(".gguf");
}

export async function scanFolder(root: string, options: FolderScanOptions = {}): Promise<FolderScanResult> {
    const maxDepth = options.maxDepth ?? DEFAULT_SCAN_DEPTH;
    const accept = options.accept ?? isGgufName;
    const files: string[] = [];
    const notes: string[] = [];
    let depthNoted = false;

    const walk = async (dir: string, depth: number, ancestors: ReadonlySet<string>): Promise<void> => {
        let entries: Dirent[];
        try {
            entries = await readdir(dir, {withFileTypes: true});
        } catch (error) {
            notes.push(`${dir} could not be read (${errorCode(error)})`);
            return;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            options.onEntry?.();
            const full = path.join(dir, entry.name);
            let isDir = entry.isDirectory();
            let isFile = entry.isFile();
            if (entry.isSymbolicLink()) {
                let target: Stats;
                try {
                    target = await stat(full);
                } catch (error) {
                    const code = errorCode(error);
                    notes.push(
                        code === "ELOOP"
                            ? `${full} is a symbolic link that loops back on itself (skipped)`
                            : code === "ENOENT"
                              ? `${full} is a symbolic link to something that does not exist (skipped)`
                              : `${full} could not be followed (${code})`
                    );
                    continue;
                }
                isDir = target.isDirectory();
                isFile = target.isFile();
            }
            if (isFile) {
                if (accept(entry.name)) files.push(full);
                continue;
            }
            if (!isDir || SKIPPED_FOLDERS.has(entry.name)) continue;
            let real: string;
            try {
                real = await realpath(full);
            } catch (error) {
                notes.push(`${full} could not be followed (${errorCode(error)})`);
                continue;
            }
            if (ancestors.has(real)) {
                notes.push(`symbolic link loop: ${full} leads back to ${real} (not followed)`);
                continue;
            }
            if (depth + 1 > maxDepth) {
                if (!depthNoted) notes.push(`folders deeper than ${maxDepth} levels under ${root} were not searched (first: ${full})`);
                depthNoted = true;
                continue;
            }
            await walk(full, depth + 1, new Set([...ancestors, real]));
        }
    };

    let rootReal: string;
    try {
        rootReal = await realpath(root);
    } catch (error) {
        return {files, notes: [`${root} could not be opened (${errorCode(error)})`]};
    }
    await walk(root, 0, new Set([rootReal]));
    return {files, notes};
}

export function errorCode(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (code === "ENOENT") return "it does not exist";
    if (code === "ENOTDIR") return "not a folder";
    if (code === "ELOOP") return "symbolic link loop";
    return code ?? (error instanceof Error ? error.message : String(error));
}
