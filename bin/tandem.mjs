#!/usr/bin/env node
// Entry point of the `tandem` command: loads the TypeScript sources through tsx and runs the CLI.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../src-main/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
