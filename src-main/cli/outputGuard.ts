/**
 * What happens when stdout stops taking output: closed early by the reader (`tandem … | head -c 1`: EPIPE,
 * the user has what they wanted, so a quiet exit 0, as `yes | head` does) or full (`> /dev/full`: ENOSPC, one
 * line on stderr and exit 1). Without this, Node prints an unhandled 'error' event with a stack trace.
 */

export type Exit = (code: number) => never;

/** The line for a write error, or null for a reader that went away (nothing to say). */
export function outputErrorLine(error: NodeJS.ErrnoException): string | null {
    switch (error.code) {
        case "EPIPE":
        case "ERR_STREAM_DESTROYED":
            return null;
        case "ENOSPC":
            return "tandem: cannot write the output: no space left on the device";
        case "EDQUOT":
            return "tandem: cannot write the output: the disk quota is used up";
        default:
            return `tandem: cannot write the output: ${error.message}`;
    }
}

/** Installs the handler on `stream` (stdout); it ends the process, since no further output can reach anyone. */
export function guardOutput(stream: NodeJS.WriteStream = process.stdout, exit: Exit = process.exit): void {
    stream.on("error", (error: NodeJS.ErrnoException) => {
        const line = outputErrorLine(error);
        if (line != null) process.stderr.write(`${line}\n`);
        exit(line == null ? 0 : 1);
    });
}
