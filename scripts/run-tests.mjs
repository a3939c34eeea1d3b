#!/usr/bin/env node
// Runs test/**/*.test.ts with node's own test runner (tsx loads TypeScript), in two tiers:
//   unit:   tests that read no model file (seconds in all), run first;
//   models: tests that read GGUF models (through test/helpers/models.ts, test/models/gguf/sharedModels.ts or
//           test/models/editedModels.ts or resources/models) or run llama.cpp (the web app: test/helpers/webApp.ts).
// Usage: node scripts/run-tests.mjs [--tier unit|models|all] [substring filter...]   (default: all, both tiers)
import {readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {spawnSync} from "node:child_process";

const MODEL_MARKERS = [/helpers\/models\.ts"/, /helpers\/webApp\.ts"/, /sharedModels\.ts"/, /editedModels\.ts"/, /node-llama-cpp"/, /TANDEM_MODELS_DIR/, /resources\/models/];

function findTests(dir) {
    const found = [];
    for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) found.push(...findTests(path));
        else if (name.endsWith(".test.ts")) found.push(path);
    }
    return found;
}

function tierOf(file) {
    const text = readFileSync(file, "utf8");
    return MODEL_MARKERS.some((marker) => marker.test(text)) ? "models" : "unit";
}

const args = process.argv.slice(2);
let tier = "all";
const tierAt = args.indexOf("--tier");
if (tierAt >= 0) {
    tier = args[tierAt + 1];
    args.splice(tierAt, 2);
    if (!["unit", "models", "all"].includes(tier)) {
        console.error(`run-tests: --tier takes unit, models or all, got ${JSON.stringify(tier)}`);
        process.exit(2);
    }
}
const files = findTests("test").filter((file) => args.length === 0 || args.some((f) => file.includes(f)));
if (files.length === 0) {
    console.error("no test files matched");
    process.exit(1);
}
let status = 0;
for (const name of ["unit", "models"]) {
    if (tier !== "all" && tier !== name) continue;
    const tierFiles = files.filter((file) => tierOf(file) === name);
    if (tierFiles.length === 0) continue;
    console.log(`# tier ${name}: ${tierFiles.length} file(s)`);
    // One file at a time: the model tests each pin llama.cpp threads to the machine's cores.
    const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...tierFiles], {stdio: "inherit"});
    if ((result.status ?? 1) !== 0) status = result.status ?? 1;
}
process.exit(status);
