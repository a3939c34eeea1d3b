/**
 * The `tandem` command line. Every failure a user can cause ends with exit code 1 (2 for usage mistakes)
 * and one plain line on stderr, never a stack trace.
 */
import {benchCommand, benchUsage} from "../../tools/bench/benchCommand.ts";
import {generateCommand, generateUsage} from "./generateCommand.ts";
import {UsageError} from "./options.ts";

const usage = `usage: tandem <command> [options]

commands:
  generate   generate text with an expert/amateur model pair
  bench      every decoding mode side by side on one or more pairs

${generateUsage}

${benchUsage}`;

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "generate":
                return await generateCommand(rest);
            case "bench":
                return await benchCommand(rest);
            case undefined:
            case "help":
            case "--help":
            case "-h":
                process.stdout.write(`${usage}\n`);
                return command == null ? 2 : 0;
            default:
                throw new UsageError(`unknown command "${command}"\n${usage}`);
        }
    } catch (error) {
        return reportError(error);
    }
}

function reportError(error: unknown): number {
    if (error instanceof UsageError || isNodeArgError(error)) {
        process.stderr.write(`tandem: ${(error as Error).message}\n`);
        return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tandem: ${message.split("\n")[0]}\n`);
    if (process.env.TANDEM_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
}

function isNodeArgError(error: unknown): boolean {
    const code = (error as {code?: unknown} | null)?.code;
    return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
