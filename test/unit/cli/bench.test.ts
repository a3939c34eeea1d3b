/** tandem bench's usage edges as a user meets them: --help, bad values in one line, a heavy expert too big to write refused up front. */
import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {fileURLToPath} from "node:url";
import {test} from "node:test";

const bin = fileURLToPath(new URL("../../../bin/tandem.mjs", import.meta.url));

function tandem(...args: string[]) {
    const result = spawnSync(process.execPath, [bin, ...args], {encoding: "utf8", timeout: 60_000});
    return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

test("bench --help prints its usage on stdout", () => {
    const result = tandem("bench", "--help");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^usage: tandem bench .*--ffn F/);
});

test("bench --ffn 4294967295 is refused before anything is written", () => {
    const result = tandem("bench", "--pairs", "heavy-l4", "--ffn", "4294967295", "--models", "/nonexistent");
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, `tandem: --ffn must be a whole number from 172 to 1048576, got "4294967295"\n`);
});

test("bench values: a negative number is a value for the range check, hex is refused, unknown flags are one line", () => {
    for (const [args, line] of [
        [["--beta", "-1"], `tandem: --beta must be a number ≥ 0, got "-1"`],
        [["--gamma", "0x2"], `tandem: --gamma must be a whole number from 1 to 64, got "0x2"`],
        [["--bogus"], "tandem: unknown option --bogus (tandem bench --help lists the options)"]
    ] as const) {
        const result = tandem("bench", "--models", "/nonexistent", ...args);
        assert.equal(result.code, 2);
        assert.equal(result.stderr, `${line}\n`);
    }
});
