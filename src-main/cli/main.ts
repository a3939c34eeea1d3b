/**
 * The `tandem` command line. Every failure a user can cause ends with exit code 1 (2 for usage mistakes)
 * and one plain line on stderr, never a stack trace (TANDEM_DEBUG=1 adds it); `--help` goes to stdout.
 */
import {generateCommand, generateUsage} from "./generateCommand.ts";
import {UsageError} from "./options.ts";
import {guardOutput} from "./outputGuard.ts";

const commandList = `commands:
  generate   generate text with an expert/amateur model pair (tandem generate --help)
  bench      every decoding mode side by side on one or more pairs (tandem bench --help)`;

/** tandem bench lives with the dev tools (tools/bench); it is loaded only when asked for. */
const loadBench = () => import("../../tools/bench/benchCommand.ts");

const isHelp = (word: string | undefined) => word === "--help" || word === "-h" || word === "help";

export async function main(argv: string[]): Promise<number> {
    guardOutput();
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "generate":
                return await generateCommand(rest);
            case "bench":
                if (rest.some(isHelp)) {
                    process.stdout.write(`${(await loadBench()).benchUsage}\n`);
                    return 0;
                }
                return await (await loadBench()).benchCommand(rest);
            case undefined:
                throw new UsageError("no command given: tandem generate or tandem bench (tandem --help shows both)");
            default:
                if (isHelp(command)) {
                    process.stdout.write(`usage: tandem <command> [options]\n\n${commandList}\n\n${generateUsage}\n\n${(await loadBench()).benchUsage}\n`);
                    return 0;
                }
                throw new UsageError(`unknown command ${JSON.stringify(command)}: tandem knows generate and bench`);
        }
    } catch (error) {
        return reportError(error);
    }
}

function reportError(error: unknown): number {
    if (error instanceof UsageError) {
        process.stderr.write(`tandem: ${firstLine(error)}\n`);
        return 2;
    }
    process.stderr.write(`tandem: ${firstLine(error)}\n`);
    if (process.env.TANDEM_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
}

function firstLine(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.split("\n")[0]!;
}
