#!/usr/bin/env node
// Runs every test/**/*.test.ts file with node's own test runner (tsx loads TypeScript).
// Usage: node scripts/run-tests.mjs [substring filter...]
import {readdirSync, statSync} from "node:fs";
import {join} from "node:path";
import {spawnSync} from "node:child_process";

function findTests(dir) {
    const found = [];
    for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) found.push(...findTests(path));
        else if (name.endsWith(".test.ts")) found.push(path);
    }
    return found;
}

const filters = process.argv.slice(2);
const files = findTests("test").filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
    console.error("no test files matched");
    process.exit(1);
}
// One file at a time: the model tests each pin llama.cpp threads to the machine's cores.
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], {stdio: "inherit"});
process.exit(result.status ?? 1);
