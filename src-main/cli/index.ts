/**
 * The `tandem` command line's public surface: the entry (`main`, run by bin/tandem.mjs with the commands the
 * checkout adds, such as the dev tools' `bench`), and the flag parsing, help and usage errors that every
 * command shares, so a command outside this folder (tools/bench) parses and explains its flags the same way.
 */
export {main, type CliCommand} from "./main.ts";
export {
    helpText,
    parseFlags,
    parseTextFlags,
    textFlagCommand,
    usageLine,
    type Command,
    type Flag,
    type FlagValues,
    type TextFlagOptions
} from "./flags.ts";
export {parseIntegerOption, parseNumberOption, UsageError} from "./options.ts";
