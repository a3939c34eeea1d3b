/**
 * A command's flags, built from option specs (the one option table, plus the command's own flags such as
 * paths), parsed from argv, and rendered as `--help`. Every mistake is a UsageError of one sentence.
 *
 * Parsing rules: `--flag value` or `--flag=value`; a value is always the next word, so `--beta -1` is the
 * value -1 (refused by the range check, not by an "ambiguous" parser); a flag's value is never another of the
 * command's flags (`--prompt --raw` says --prompt needs a value). A flag may be given once.
 */
import {acceptedText, looksNumeric, parseOptionText, type ValueSpec} from "../../src-shared/index.ts";
import {UsageError} from "./options.ts";

export type Flag = {
    /** Key of the parsed value. */
    readonly key: string;
    readonly spec: ValueSpec;
    /** Placeholder in usage and help ("N", "PATH"); booleans have none. */
    readonly valueName?: string;
    readonly required?: boolean;
};

export type FlagValues = Map<string, number | string | boolean>;

export type Command = {
    /** "generate" */
    readonly name: string;
    /** One sentence: what the command does. */
    readonly summary: string;
    readonly flags: readonly Flag[];
};

const helpFlag: Flag = {key: "help", spec: {flag: "--help", kind: "boolean", default: false, help: "print this help"}};

/** Parses argv; a value not given is absent from the map (defaults are the caller's, from the table). */
export function parseFlags(command: Command, argv: readonly string[]): FlagValues {
    const flags = [...command.flags, helpFlag];
    const byName = new Map(flags.map((f) => [f.spec.flag, f]));
    const values: FlagValues = new Map();
    const hint = ` (tandem ${command.name} --help lists the options)`;
    for (let i = 0; i < argv.length; i++) {
        const word = argv[i]!;
        if (word === "-h") {
            values.set("help", true);
            continue;
        }
        if (!word.startsWith("--") || word === "--") {
            throw new UsageError(`unexpected argument ${JSON.stringify(word)}: every value follows its option, as in --prompt "text"${hint}`);
        }
        const equals = word.indexOf("=");
        const name = equals < 0 ? word : word.slice(0, equals);
        const flag = byName.get(name);
        if (flag == null) throw new UsageError(`unknown option ${name}${hint}`);
        if (values.has(flag.key)) throw new UsageError(`${name} is given twice`);
        if (flag.spec.kind === "boolean") {
            if (equals >= 0) throw new UsageError(`${name} takes no value`);
            values.set(flag.key, true);
            continue;
        }
        let text: string;
        if (equals >= 0) text = word.slice(equals + 1);
        else {
            const next = argv[i + 1];
            const isFlag = next != null && (byName.has(next.split("=")[0]!) || next === "-h");
            const isNumber = next != null && looksNumeric(next);
            if (next == null || isFlag || (next.startsWith("-") && !isNumber && flag.spec.kind !== "string")) {
                throw new UsageError(`${name} needs a value: ${acceptedText(flag.spec)}`);
            }
            text = next;
            i++;
        }
        const parsed = parseOptionText(flag.spec, text, name);
        if (!parsed.ok) throw new UsageError(parsed.problem);
        values.set(flag.key, parsed.value);
    }
    if (values.get("help") === true) return values;
    const missing = command.flags.filter((f) => f.required && !values.has(f.key)).map((f) => f.spec.flag);
    if (missing.length > 0) {
        throw new UsageError(`tandem ${command.name} needs ${joinAnd(missing)}${hint}`);
    }
    return values;
}

/** The usage line: required flags first, then every other flag in brackets. */
export function usageLine(command: Command): string {
    const words = command.flags.map((f) => {
        const text = f.valueName == null ? f.spec.flag : `${f.spec.flag} ${f.valueName}`;
        return f.required ? text : `[${text}]`;
    });
    const required = words.filter((_, i) => command.flags[i]!.required);
    const optional = words.filter((_, i) => !command.flags[i]!.required);
    const lines = [["usage: tandem", command.name, ...required].join(" ")];
    for (const word of optional) {
        const last = lines[lines.length - 1]!;
        if (last.length + word.length + 1 > 100) lines.push(`       ${word}`);
        else lines[lines.length - 1] = `${last} ${word}`;
    }
    return lines.join("\n");
}

/** Width --help wraps its option descriptions to. */
const HELP_WIDTH = 100;

/** `tandem <command> --help`: usage, summary, then one entry per flag with its range and default. */
export function helpText(command: Command): string {
    const entries = [...command.flags, helpFlag].map((f) => ({
        left: f.valueName == null ? f.spec.flag : `${f.spec.flag} ${f.valueName}`,
        right: flagHelp(f)
    }));
    const width = Math.max(...entries.map((e) => e.left.length)) + 4;
    const body = entries.map((e) => {
        const lines = e.right.flatMap((paragraph) => wrap(paragraph, HELP_WIDTH - width));
        return `  ${e.left.padEnd(width - 2)}${lines.join(`\n${" ".repeat(width)}`)}`;
    });
    return `${usageLine(command)}\n\n${command.summary}\n\noptions:\n${body.join("\n")}\n`;
}

/** The flag's help, then [required | range, default], then one paragraph per choice of an enum. */
function flagHelp({spec, required}: Flag): string[] {
    const facts: string[] = [];
    if (required) facts.push("required");
    if (spec.kind === "integer" || spec.kind === "number") facts.push(`${spec.min} to ${spec.max}`);
    if (spec.default !== null && spec.default !== "" && spec.kind !== "boolean" && !required) facts.push(`default ${String(spec.default)}`);
    const lines = [facts.length > 0 ? `${spec.help} [${facts.join(", ")}]` : spec.help];
    if (spec.kind === "enum") {
        for (const choice of spec.choices) lines.push(`${choice}: ${spec.choiceHelp?.[choice] ?? ""}`.trimEnd());
    }
    return lines;
}

/** Greedy word wrap; continuation lines of a paragraph are indented by two. */
function wrap(paragraph: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of paragraph.split(" ")) {
        if (line !== "" && line.length + 1 + word.length > width) {
            lines.push(line);
            line = `  ${word}`;
        } else line = line === "" ? word : `${line} ${word}`;
    }
    lines.push(line);
    return lines;
}

function joinAnd(items: readonly string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Flags declared the way node's parseArgs takes them (tandem bench): text values checked by the caller, each
 * with its help line and placeholder so `--help` explains every option as the option-table commands do.
 */
export type TextFlagOption =
    | {readonly type: "string"; readonly default?: string; readonly valueName: string; readonly help: string}
    | {readonly type: "boolean"; readonly default?: boolean; readonly help: string};
export type TextFlagOptions = Readonly<Record<string, TextFlagOption>>;

export type TextFlagValues<O extends TextFlagOptions> = {
    [K in keyof O]: O[K] extends {type: "boolean"} ? boolean : O[K] extends {default: string} ? string : string | undefined;
};

/** The Command (for parsing, usage and help) of a command whose flags are declared as TextFlagOptions. */
export function textFlagCommand(name: string, summary: string, options: TextFlagOptions): Command {
    const flags: Flag[] = Object.entries(options).map(([key, option]) =>
        option.type === "boolean"
            ? {key, spec: {flag: `--${key}`, kind: "boolean", default: false, help: option.help}}
            : {
                  key,
                  valueName: option.valueName,
                  spec: {flag: `--${key}`, kind: "string", default: option.default ?? "", maxLength: 1_000_000, help: option.help}
              }
    );
    return {name, summary, flags};
}

/**
 * parseArgs's shape with this module's rules: `--beta -1` hands "-1" to the caller's range check instead of
 * Node's "ambiguous" message, a value is never another flag, unknown and repeated flags are one sentence.
 */
export function parseTextFlags<const O extends TextFlagOptions>(
    command: Command,
    argv: readonly string[],
    options: O
): TextFlagValues<O> & {help: boolean} {
    const parsed = parseFlags(command, argv);
    const values: Record<string, unknown> = {help: parsed.get("help") === true};
    for (const [key, option] of Object.entries(options)) {
        values[key] = parsed.get(key) ?? (option.type === "boolean" ? (option.default ?? false) : option.default);
    }
    return values as TextFlagValues<O> & {help: boolean};
}
