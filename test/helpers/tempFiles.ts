/**
 * Temporary folders for store tests (real files, removed after the test file), and a real tmpfs of a chosen
 * size where this machine lets us mount one (root with CAP_SYS_ADMIN: true here, often not on CI).
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {after} from "node:test";

const made: string[] = [];
const mounted: string[] = [];

after(() => {
    for (const dir of mounted.splice(0)) {
        try {
            execFileSync("umount", [dir], {stdio: "ignore"});
        } catch {
            // Already unmounted by the test itself.
        }
    }
    for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true});
});

/** A new empty folder, removed when the test file ends. */
export function tempDir(label = "store"): string {
    const dir = mkdtempSync(path.join(tmpdir(), `tandem-${label}-`));
    made.push(dir);
    return dir;
}

export type Tmpfs = {
    readonly dir: string;
    /** Remounts read-only (true) or read-write (false); fails while a file on it is open for writing. */
    setReadOnly(readOnly: boolean): void;
    /** Changes the size (allowed while files are open): frees space, as a user would. */
    resize(sizeBytes: number): void;
    unmount(): void;
};

/** A fresh tmpfs of `sizeBytes`, or the reason none could be mounted here. */
export function mountTmpfs(sizeBytes: number): Tmpfs | string {
    const dir = tempDir("tmpfs");
    try {
        execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "tmpfs", dir], {stdio: "pipe"});
    } catch (error) {
        return `cannot mount a tmpfs here (${(error as Error).message.split("\n")[0]})`;
    }
    mounted.push(dir);
    return {
        dir,
        setReadOnly(readOnly) {
            execFileSync("mount", ["-o", `remount,${readOnly ? "ro" : "rw"}`, dir], {stdio: "pipe"});
        },
        resize(sizeBytes) {
            execFileSync("mount", ["-o", `remount,size=${sizeBytes}`, dir], {stdio: "pipe"});
        },
        unmount() {
            execFileSync("umount", [dir], {stdio: "pipe"});
            mounted.splice(mounted.indexOf(dir), 1);
        }
    };
}
