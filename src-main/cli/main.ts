/**
 * The `tandem` command line. Every failure a user can cause ends with exit code 1 (2 for usage mistakes)
 * and one plain line on stderr, never a stack trace (TANDEM_DEBUG=1 adds it); `--help` goes to stdout.
 */
import {generateCommand, generateUsage} from "./generateCommand.ts";
import {serveCommand, serveUsage} from "./serveCommand.ts";
import {UsageError} from "./options.ts";
import {guardOutput} from "./outputGuard.ts";

/** A command of `tandem`: its name, one line for `tandem --help`, its usage lines, and how it runs. */
export type CliCommand = {
    readonly name: string;
    readonly summary: string;
    /** The usage lines shown by `tandem --help` (the command's own --help explains every option). */
    usage(): Promise<string>;
    run(argv: string[]): Promise<number>;
};

const builtIn: readonly CliCommand[] = [
    {
        name: "generate",
        summary: "generate text with an expert/amateur model pair",
        usage: async () => generateUsage,
        run: generateCommand
    },
    {
        name: "serve",
        summary: "serve an OpenAI-compatible API that decodes with the pair (docs/server.md)",
        usage: async () => serveUsage,
        run: (argv) => serveCommand(argv)
    }
];

const isHelp = (word: string | undefined) => word === "--help" || word === "-h" || word === "help";

/**
 * Runs `tandem <command>`. `extra` holds commands the checkout adds beside the shipped ones (bin/tandem.mjs
 * adds the dev tools' `bench` where tools/ exists); they are loaded only when asked for.
 */
export async function main(argv: string[], extra: readonly CliCommand[] = []): Promise<number> {
    guardOutput();
    const commands = [...builtIn, ...extra];
    const names = commands.map((c) => c.name).join(" and ");
    const [name, ...rest] = argv;
    try {
        const command = commands.find((c) => c.name === name);
        if (command != null) return await command.run(rest);
        if (name === undefined)
            throw new UsageError(`no command given: tandem ${commands.map((c) => c.name).join(" or tandem ")} (tandem --help shows them)`);
        if (isHelp(name)) {
            const list = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary} (tandem ${c.name} --help)`).join("\n");
            const usages = await Promise.all(commands.map((c) => c.usage()));
            process.stdout.write(`usage: tandem <command> [options]\n\ncommands:\n${list}\n\n${usages.join("\n\n")}\n`);
            return 0;
        }
        throw new UsageError(`unknown command ${JSON.stringify(name)}: tandem knows ${names}`);
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
