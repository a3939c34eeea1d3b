#!/usr/bin/env node
// `npm run pack -- [options] [electron-builder targets]`: builds, packs and checks the desktop app
// (tools/packaging/main.ts says the options; docs/packaging.md the steps). A build tool: it runs from a
// checkout with the dev dependencies (tsx); the packed app needs none of them.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../tools/packaging/main.ts");
try {
    process.exitCode = await main(process.argv.slice(2));
} catch (error) {
    console.error(`pack: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
}
