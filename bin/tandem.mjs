#!/usr/bin/env node
// Entry point of the `tandem` command: loads the TypeScript sources through tsx and runs the CLI. In a source
// checkout the dev tools add `tandem bench` (tools/bench), loaded only when asked for; the shipped CLI itself
// never imports tools/.
import {existsSync} from "node:fs";
import {register} from "tsx/esm/api";

register();
const {main} = await import("../src-main/cli/index.ts");
const benchEntry = new URL("../tools/bench/benchCommand.ts", import.meta.url);
const extra = existsSync(benchEntry)
    ? [
          {
              name: "bench",
              summary: "every decoding mode side by side on one or more pairs",
              usage: async () => (await import(benchEntry.href)).benchUsage,
              run: async (argv) => (await import(benchEntry.href)).benchCommand(argv)
          }
      ]
    : [];
process.exitCode = await main(process.argv.slice(2), extra);
