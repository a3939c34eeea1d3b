#!/usr/bin/env node
// `node scripts/release-version.mjs v0.1.0`: exits 1 unless the tag names package.json's version (the
// installers' file names and the app's About version come from package.json). The release workflow's first check.
import {readFileSync} from "node:fs";

const tag = process.argv[2] ?? "";
const {version} = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
if (tag !== `v${version}`) {
    console.error(`release-version: the tag ${JSON.stringify(tag)} does not name package.json's version ${version} (expected v${version})`);
    process.exit(1);
}
console.log(`release-version: ${tag}`);
