/**
 * Where Tandem keeps its data: TANDEM_DATA_DIR when set, else the per-user data folder of the platform (Linux
 * $XDG_DATA_HOME/tandem or ~/.local/share/tandem, macOS ~/Library/Application Support/Tandem, Windows
 * %APPDATA%\Tandem). Pure given its inputs: the environment, platform and home folder are parameters (they
 * default to the process's own).
 */
import os from "node:os";
import path from "node:path";

export const DATABASE_FILE_NAME = "tandem.sqlite";

export type DataDirInputs = {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly platform?: NodeJS.Platform;
    readonly home?: string;
};

/** A set, non-empty absolute path from the environment, or null (relative XDG paths are invalid by its spec). */
function absoluteFrom(value: string | undefined, pathApi: path.PlatformPath): string | null {
    return value != null && value !== "" && pathApi.isAbsolute(value) ? value : null;
}

export function dataDir({env = process.env, platform = process.platform, home = os.homedir()}: DataDirInputs = {}): string {
    const pathApi = platform === "win32" ? path.win32 : path.posix;
    const override = env.TANDEM_DATA_DIR;
    if (override != null && override !== "") return pathApi.resolve(override);
    switch (platform) {
        case "darwin":
            return pathApi.join(home, "Library", "Application Support", "Tandem");
        case "win32":
            return pathApi.join(absoluteFrom(env.APPDATA, pathApi) ?? pathApi.join(home, "AppData", "Roaming"), "Tandem");
        default:
            return pathApi.join(absoluteFrom(env.XDG_DATA_HOME, pathApi) ?? pathApi.join(home, ".local", "share"), "tandem");
    }
}

/** The chat database's file inside the data folder. */
export function databaseFile(inputs: DataDirInputs = {}): string {
    const platform = inputs.platform ?? process.platform;
    return (platform === "win32" ? path.win32 : path.posix).join(dataDir(inputs), DATABASE_FILE_NAME);
}
