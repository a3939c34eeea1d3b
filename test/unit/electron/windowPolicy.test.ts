/**
 * The Electron shell's pure rules, runnable without Electron: the remembered window state (written, read back,
 * fitted to the displays present: a window saved on an unplugged monitor comes back on screen), and the
 * navigation policy (only http(s) links leave for the system browser; the page never navigates away).
 */
import assert from "node:assert/strict";
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {test} from "node:test";
import {externalLink, isOwnPage} from "../../../src-main/electron/navigationPolicy.ts";
import {DEFAULT_SIZE, fitToDisplays, MIN_SIZE, readWindowState, writeWindowState} from "../../../src-main/electron/windowState.ts";

const laptop = {x: 0, y: 0, width: 1440, height: 900};
const monitor = {x: 1440, y: 0, width: 2560, height: 1440};

test("the window state is written and read back; a missing or corrupt file gives null", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tandem-window-"));
    assert.equal(readWindowState(dir), null);
    const state = {bounds: {x: 100, y: 80, width: 1000, height: 700}, maximized: true};
    writeWindowState(dir, state);
    assert.deepEqual(readWindowState(dir), state);
    writeFileSync(path.join(dir, "window-state.json"), "{not json");
    assert.equal(readWindowState(dir), null);
    writeFileSync(path.join(dir, "window-state.json"), JSON.stringify({bounds: {x: "a", y: 0, width: 1, height: 1}}));
    assert.equal(readWindowState(dir), null);
});

test("saved bounds on a present display are kept; on an unplugged one the window comes back centred", () => {
    const onMonitor = {bounds: {x: 1600, y: 100, width: 1200, height: 800}, maximized: false};
    assert.deepEqual(fitToDisplays(onMonitor, [laptop, monitor]), onMonitor);
    const fitted = fitToDisplays(onMonitor, [laptop]);
    assert.deepEqual(fitted.bounds, {x: 120, y: 50, width: 1200, height: 800});
    // Partly off screen: pulled inside the display it mostly covers, and capped to its size.
    assert.deepEqual(fitToDisplays({bounds: {x: 1000, y: -50, width: 1200, height: 1000}, maximized: false}, [laptop]).bounds, {
        x: 240,
        y: 0,
        width: 1200,
        height: 900
    });
});

test("no saved state: the default size, centred; never below the minimum size", () => {
    assert.deepEqual(fitToDisplays(null, [laptop]).bounds, {
        x: (laptop.width - DEFAULT_SIZE.width) / 2,
        y: (laptop.height - DEFAULT_SIZE.height) / 2,
        ...DEFAULT_SIZE
    });
    const tiny = fitToDisplays({bounds: {x: 10, y: 10, width: 50, height: 20}, maximized: false}, [laptop]).bounds;
    assert.equal(tiny.width, MIN_SIZE.width);
    assert.equal(tiny.height, MIN_SIZE.height);
    assert.deepEqual(fitToDisplays(null, []).bounds, {...DEFAULT_SIZE});
});

test("only http(s) links go to the system browser; the page never navigates elsewhere", () => {
    assert.equal(externalLink("https://example.com/a?b=1"), "https://example.com/a?b=1");
    assert.equal(externalLink("http://example.com"), "http://example.com/");
    for (const url of ["file:///etc/passwd", "javascript:alert(1)", "smb://host/share", "ms-settings:", "not a url", ""]) {
        assert.equal(externalLink(url), null, url);
    }
    const page = "file:///opt/Tandem/resources/app.asar/dist/renderer/index.html";
    assert.equal(isOwnPage(`${page}#settings`, page), true);
    assert.equal(isOwnPage("file:///etc/passwd", page), false);
    assert.equal(isOwnPage("https://example.com/", page), false);
});
