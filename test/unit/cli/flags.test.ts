/**
 * tandem generate's flags without models: parsing (negative values as their own word, values that are flags,
 * repeats, unknown flags, missing required ones: each one sentence), --help built from the option table, and
 * the README quoting that help verbatim.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {test} from "node:test";
import {generateCommandSpec, generateHelp} from "../../../src-main/cli/generateCommand.ts";
import {parseFlags} from "../../../src-main/cli/flags.ts";
import {UsageError} from "../../../src-main/cli/options.ts";
import {serveHelp} from "../../../src-main/cli/serveCommand.ts";
import {optionsInScope, optionTable} from "../../../src-shared/index.ts";

const base = ["--expert", "e.gguf", "--amateur", "a.gguf", "--prompt", "hi"];

function usageError(argv: string[]): string {
    try {
        parseFlags(generateCommandSpec, argv);
    } catch (error) {
        assert.ok(error instanceof UsageError, String(error));
        assert.doesNotMatch(error.message, /\n/, "one line");
        return error.message;
    }
    assert.fail(`accepted ${argv.join(" ")}`);
}

test("values parse from the table's ranges, as --flag value or --flag=value", () => {
    const values = parseFlags(generateCommandSpec, [...base, "--beta=0.25", "--gamma", "2", "--mode", "cd", "--raw", "--seed", "7"]);
    assert.equal(values.get("beta"), 0.25);
    assert.equal(values.get("gamma"), 2);
    assert.equal(values.get("mode"), "cd");
    assert.equal(values.get("raw"), true);
    assert.equal(values.get("seed"), 7);
    assert.equal(values.has("alpha"), false, "defaults are not filled in: a value absent was not given");
    assert.equal(
        parseFlags(generateCommandSpec, [...base.slice(0, 4), "--prompt", "-- a prompt that starts with dashes"]).get("prompt"),
        "-- a prompt that starts with dashes"
    );
});

test("usage mistakes are one sentence each", () => {
    assert.equal(usageError([...base, "--beta", "-1"]), `--beta must be a number from 0 to 10, got "-1"`);
    assert.equal(usageError([...base, "--temperature", "0x10"]), `--temperature must be a number from 0 to 10, got "0x10"`);
    assert.equal(usageError([...base, "--beta", "--raw"]), "--beta needs a value: a number from 0 to 10");
    assert.equal(usageError(["--expert", "e", "--amateur", "a", "--prompt", "--raw"]), "--prompt needs a value: text of at most 1000000 characters");
    assert.equal(usageError([...base, "--gamma", "2", "--gamma", "3"]), "--gamma is given twice");
    assert.equal(usageError([...base, "--raw=yes"]), "--raw takes no value");
    assert.match(usageError([...base, "--bogus"]), /^unknown option --bogus \(tandem generate --help lists the options\)$/);
    assert.match(usageError([...base, "stray"]), /^unexpected argument "stray"/);
    assert.match(usageError(["--expert", "e.gguf"]), /^tandem generate needs --amateur and --prompt \(/);
});

test("--help lists every flag of the option table with its range and default", () => {
    assert.equal(parseFlags(generateCommandSpec, ["--help"]).get("help"), true, "--help needs no other flag");
    // The local server's options belong to tandem serve (and the app's switch), not to generate.
    for (const spec of optionTable.filter((o) => o.scope !== "server")) {
        assert.match(generateHelp, new RegExp(`^  ${spec.flag}\\b`, "m"), spec.flag);
        if (spec.kind === "integer" || spec.kind === "number") {
            const entry = generateHelp
                .slice(generateHelp.indexOf(`  ${spec.flag}`))
                .split(/\n  --/)[0]!
                .replace(/\s+/g, " ");
            assert.ok(entry.includes(`${spec.min} to ${spec.max}`), `${spec.flag} range in: ${entry}`);
            if (spec.default !== null) assert.ok(entry.includes(`default ${spec.default}`), `${spec.flag} default in: ${entry}`);
        }
    }
    assert.ok(optionsInScope("decoding").length > 0);
});

test("docs/cli.md's tandem generate section is the --help output", () => {
    const readme = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");
    const quoted = generateHelp
        .trimEnd()
        .split("\n")
        .map((line) => (line === "" ? "" : `    ${line}`))
        .join("\n");
    assert.ok(readme.includes(quoted), "docs/cli.md must quote `tandem generate --help` as an indented block:\n" + quoted);
});

test("tandem serve --help lists the server's address, port and key, and the request defaults, from the option table", () => {
    for (const key of ["serverHost", "serverPort", "serverApiKey", "mode", "gamma", "threads"] as const) {
        const spec = optionTable.find((o) => o.key === key)!;
        assert.match(serveHelp, new RegExp(`^  ${spec.flag}\\b`, "m"), spec.flag);
    }
    assert.match(serveHelp, /--port N +the port the server listens on; 0 picks a free one \[0 to 65535, default 7864\]/);
    assert.match(serveHelp, /--host HOST +the address the server listens on/);
});
