/**
 * The data folder per platform, TANDEM_DATA_DIR first, and the database file inside it.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import {dataDir, databaseFile} from "../../../src-main/store/dataDir.ts";

test("TANDEM_DATA_DIR wins on every platform (made absolute)", () => {
    assert.equal(dataDir({env: {TANDEM_DATA_DIR: "/srv/tandem", XDG_DATA_HOME: "/x"}, platform: "linux", home: "/home/u"}), "/srv/tandem");
    assert.equal(dataDir({env: {TANDEM_DATA_DIR: "rel/dir"}, platform: "linux", home: "/home/u"}), path.resolve("rel/dir"));
    assert.equal(dataDir({env: {TANDEM_DATA_DIR: "D:\\Data\\Tandem"}, platform: "win32", home: "C:\\Users\\u"}), "D:\\Data\\Tandem");
});

test("Linux: $XDG_DATA_HOME/tandem when absolute, else ~/.local/share/tandem", () => {
    assert.equal(dataDir({env: {XDG_DATA_HOME: "/data/xdg"}, platform: "linux", home: "/home/u"}), "/data/xdg/tandem");
    assert.equal(dataDir({env: {}, platform: "linux", home: "/home/u"}), "/home/u/.local/share/tandem");
    assert.equal(dataDir({env: {XDG_DATA_HOME: ""}, platform: "freebsd", home: "/home/u"}), "/home/u/.local/share/tandem");
    assert.equal(
        dataDir({env: {XDG_DATA_HOME: "relative"}, platform: "linux", home: "/home/u"}),
        "/home/u/.local/share/tandem",
        "the XDG spec says a relative path is invalid and ignored"
    );
});

test("macOS: ~/Library/Application Support/Tandem; Windows: %APPDATA%\\Tandem", () => {
    assert.equal(dataDir({env: {XDG_DATA_HOME: "/x"}, platform: "darwin", home: "/Users/u"}), "/Users/u/Library/Application Support/Tandem");
    assert.equal(
        dataDir({env: {APPDATA: "C:\\Users\\u\\AppData\\Roaming"}, platform: "win32", home: "C:\\Users\\u"}),
        "C:\\Users\\u\\AppData\\Roaming\\Tandem"
    );
    assert.equal(dataDir({env: {}, platform: "win32", home: "C:\\Users\\u"}), "C:\\Users\\u\\AppData\\Roaming\\Tandem");
});

test("the database is tandem.sqlite inside the data folder; defaults come from this process", () => {
    assert.equal(databaseFile({env: {}, platform: "linux", home: "/home/u"}), "/home/u/.local/share/tandem/tandem.sqlite");
    assert.equal(databaseFile({env: {}, platform: "win32", home: "C:\\Users\\u"}), "C:\\Users\\u\\AppData\\Roaming\\Tandem\\tandem.sqlite");
    const saved = process.env.TANDEM_DATA_DIR;
    process.env.TANDEM_DATA_DIR = "/tmp/tandem-data-dir-test";
    try {
        assert.equal(databaseFile(), "/tmp/tandem-data-dir-test/tandem.sqlite");
    } finally {
        if (saved == null) delete process.env.TANDEM_DATA_DIR;
        else process.env.TANDEM_DATA_DIR = saved;
    }
});
