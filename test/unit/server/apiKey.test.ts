/** The API key: fresh keys, the Bearer header, the constant-time comparison, what a given key may be. */
import assert from "node:assert/strict";
import {test} from "node:test";
import {apiKeyMatches, apiKeyProblem, bearerKey, newApiKey} from "../../../src-main/server/apiKey.ts";

test("fresh keys are long, distinct and acceptable as given keys", () => {
    const a = newApiKey();
    const b = newApiKey();
    assert.notEqual(a, b);
    assert.match(a, /^tandem-[A-Za-z0-9_-]{32}$/);
    assert.equal(apiKeyProblem(a), null);
});

test("the Bearer header is read; anything else is no key", () => {
    assert.equal(bearerKey("Bearer abc"), "abc");
    assert.equal(bearerKey("bearer   abc  "), "abc");
    assert.equal(bearerKey("Basic abc"), null);
    assert.equal(bearerKey("Bearer a b"), null);
    assert.equal(bearerKey(undefined), null);
});

test("keys match only exactly, whatever their lengths", () => {
    const key = newApiKey();
    assert.equal(apiKeyMatches(key, key), true);
    assert.equal(apiKeyMatches(key.slice(0, -1), key), false);
    assert.equal(apiKeyMatches(`${key}x`, key), false);
    assert.equal(apiKeyMatches("", key), false);
    assert.equal(apiKeyMatches(null, key), false);
});

test("a given key must be 16 to 256 printable characters", () => {
    assert.match(apiKeyProblem("short")!, /16 to 256/);
    assert.match(apiKeyProblem("a key with spaces in it")!, /printable/);
    assert.equal(apiKeyProblem("readme-example-key-123"), null);
});
