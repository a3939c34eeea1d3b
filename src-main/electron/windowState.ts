/**
 * The main window's remembered size and place: read from and written to window-state.json in userData, and
 * fitted to the displays present now (a window saved on a monitor since unplugged opens centred at its size
 * instead of off screen). No Electron import: the displays are passed in.
 */
import {readFileSync, writeFileSync, renameSync} from "node:fs";
import path from "node:path";
import type {Rectangle} from "./electronApi.ts";

export type WindowState = {readonly bounds: Rectangle; readonly maximized: boolean};

export const DEFAULT_SIZE = {width: 1100, height: 760} as const;
export const MIN_SIZE = {width: 560, height: 420} as const;
const FILE_NAME = "window-state.json";

function isRectangle(value: unknown): value is Rectangle {
    const r = value as Record<string, unknown> | null;
    return typeof r === "object" && r != null && ["x", "y", "width", "height"].every((key) => Number.isFinite(r[key]));
}

/** The saved state, or null when there is none or it is unreadable (the window then opens at the default). */
export function readWindowState(userDataDir: string): WindowState | null {
    try {
        const parsed = JSON.parse(readFileSync(path.join(userDataDir, FILE_NAME), "utf8")) as {bounds?: unknown; maximized?: unknown};
        if (!isRectangle(parsed.bounds)) return null;
        return {bounds: parsed.bounds, maximized: parsed.maximized === true};
    } catch {
        return null;
    }
}

/** Writes the state atomically (a crash mid-write leaves the previous file). */
export function writeWindowState(userDataDir: string, state: WindowState): void {
    const file = path.join(userDataDir, FILE_NAME);
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
}

function overlapArea(a: Rectangle, b: Rectangle): number {
    const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    return width > 0 && height > 0 ? width * height : 0;
}

/**
 * The bounds to open with: the saved ones when at least a quarter of the window lies on a display now (size
 * capped to that display), else the saved (or default) size centred on the first display.
 */
export function fitToDisplays(
    saved: WindowState | null,
    workAreas: readonly Rectangle[]
): {bounds: Partial<Rectangle> & {width: number; height: number}; maximized: boolean} {
    const wanted = saved?.bounds ?? {x: 0, y: 0, ...DEFAULT_SIZE};
    const width = Math.max(MIN_SIZE.width, Math.round(wanted.width));
    const height = Math.max(MIN_SIZE.height, Math.round(wanted.height));
    const best = workAreas.map((area) => ({area, overlap: overlapArea({...wanted, width, height}, area)})).sort((a, b) => b.overlap - a.overlap)[0];
    if (saved != null && best != null && best.overlap >= (width * height) / 4) {
        const {area} = best;
        const w = Math.min(width, area.width);
        const h = Math.min(height, area.height);
        const x = Math.min(Math.max(Math.round(wanted.x), area.x), area.x + area.width - w);
        const y = Math.min(Math.max(Math.round(wanted.y), area.y), area.y + area.height - h);
        return {bounds: {x, y, width: w, height: h}, maximized: saved.maximized};
    }
    const area = workAreas[0];
    if (area == null) return {bounds: {width, height}, maximized: saved?.maximized ?? false};
    const w = Math.min(width, area.width);
    const h = Math.min(height, area.height);
    return {
        bounds: {x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h},
        maximized: saved?.maximized ?? false
    };
}
