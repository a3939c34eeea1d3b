#!/usr/bin/env node
// Runs the tests with node's own test runner (tsx loads TypeScript), tier by tier. A test's tier is its folder:
//   test/unit/     no model file, no browser: pure logic, SQLite, the transports (seconds in all), run first;
//   test/models/   reads GGUF models or runs llama.cpp (the engine, the engine process, the service, the CLI);
//   test/browser/  drives Chromium (or Electron, where its binary exists) against the built UI.
// test/helpers/ holds what the tests share (no tests there).
import {readdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {spawnSync} from "node:child_process";

const TIERS = ["unit", "models", "browser"];
const USAGE = `usage: node scripts/run-tests.mjs [--tier ${TIERS.join("|")}|all] [filter ...]

Runs test/<tier>/**/*.test.ts, one tier after another (${TIERS.join(", ")}), one file at a time.
  --tier T   run only tier T (default: all)
  filter     run only files whose path contains one of these substrings
  --help     print this help`;

function findTests(dir) {
    const found = [];
    for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) found.push(...findTests(path));
        else if (name.endsWith(".test.ts")) found.push(path);
    }
    return found;
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
}
let tier = "all";
const tierAt = args.indexOf("--tier");
if (tierAt >= 0) {
    tier = args[tierAt + 1];
    args.splice(tierAt, 2);
    if (![...TIERS, "all"].includes(tier)) {
        console.error(`run-tests: --tier takes ${TIERS.join(", ")} or all, got ${JSON.stringify(tier)}`);
        process.exit(2);
    }
}
const stray = findTests("test").filter((file) => !TIERS.some((name) => file.startsWith(join("test", name) + "/")));
if (stray.length > 0) {
    console.error(`run-tests: these tests are outside the tier folders (test/${TIERS.join(", test/")}): ${stray.join(", ")}`);
    process.exit(2);
}
let status = 0;
let ran = 0;
for (const name of TIERS) {
    if (tier !== "all" && tier !== name) continue;
    const files = findTests(join("test", name)).filter((file) => args.length === 0 || args.some((f) => file.includes(f)));
    if (files.length === 0) continue;
    ran += files.length;
    console.log(`# tier ${name}: ${files.length} file(s)`);
    // One file at a time: the model tests each pin llama.cpp threads to the machine's cores.
    const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], {stdio: "inherit"});
    if ((result.status ?? 1) !== 0) status = result.status ?? 1;
}
if (ran === 0) {
    console.error("run-tests: no test files matched");
    process.exit(1);
}
process.exit(status);
