/**
 * The web mode's settings from the environment (src-main/app/webConfig.ts, kept with the transport tests):
 * defaults, each variable honoured, and a bad value refused with one sentence naming the variable.
 */
import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import {DEFAULT_PORT, readWebConfig} from "../../../src-main/app/webConfig.ts";
import {dataDir} from "../../../src-main/store/dataDir.ts";

test("defaults: port 7863, the per-user data folder, no extra model folder, a fresh token per launch", () => {
    const env = {HOME: "/home/ada"};
    const first = readWebConfig(env);
    assert.equal(first.port, DEFAULT_PORT);
    assert.equal(first.dataDir, dataDir({env}));
    assert.deepEqual(first.modelsDirs, []);
    assert.match(first.token, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(readWebConfig(env).token, first.token);
});

test("each variable is honoured", () => {
    const config = readWebConfig({TANDEM_PORT: "0", TANDEM_DATA_DIR: "/data/t", TANDEM_MODELS_DIR: "models", TANDEM_TOKEN: "fixed-token-for-tests"});
    assert.deepEqual(config, {port: 0, dataDir: "/data/t", modelsDirs: [path.resolve("models")], token: "fixed-token-for-tests"});
});

test("bad values are refused with one sentence naming the variable", () => {
    for (const port of ["-1", "65536", "80.5", "http", "1e3"]) {
        assert.throws(() => readWebConfig({TANDEM_PORT: port}), {message: `TANDEM_PORT must be a port number from 0 to 65535, not "${port}"`});
    }
    assert.throws(() => readWebConfig({TANDEM_TOKEN: "short"}), {message: "TANDEM_TOKEN must be 16 to 256 characters long"});
    assert.throws(() => readWebConfig({TANDEM_TOKEN: "has spaces in it, sadly"}), {
        message: "TANDEM_TOKEN may hold only letters, digits and . _ ~ -"
    });
});
