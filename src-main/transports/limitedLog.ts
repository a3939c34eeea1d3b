/**
 * A log for the lines anyone can cause: refused requests (a wrong Host, Origin or token, a malformed message).
 * A page or program hammering the server must not fill the log, so at most `limit` such lines are written per
 * window; past that they are counted, and when the window ends one line says how many were left out.
 */
export type LimitedLog = {
    (line: string): void;
    /** Writes the count of lines left out so far (if any) now, and starts a new window. */
    flush(): void;
};

export type LogLimit = {
    /** Lines written per window (default 10). */
    readonly limit?: number;
    /** Window length in milliseconds (default one minute). */
    readonly windowMs?: number;
};

export function limitedLog(log: (line: string) => void, options: LogLimit = {}): LimitedLog {
    const limit = options.limit ?? 10;
    const windowMs = options.windowMs ?? 60_000;
    let windowStart = Number.NEGATIVE_INFINITY;
    let written = 0;
    let leftOut = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const flush = (): void => {
        if (timer != null) clearTimeout(timer);
        timer = null;
        if (leftOut > 0) {
            log(
                `${leftOut} more refused ${leftOut === 1 ? "request was" : "requests were"} not logged (at most ${limit} lines per ${windowText(windowMs)})`
            );
        }
        leftOut = 0;
        written = 0;
        windowStart = Number.NEGATIVE_INFINITY;
    };

    const limited = (line: string): void => {
        const now = Date.now();
        if (now - windowStart >= windowMs) {
            flush();
            windowStart = now;
        }
        if (written < limit) {
            written++;
            log(line);
            return;
        }
        leftOut++;
        if (timer == null) {
            timer = setTimeout(flush, Math.max(0, windowStart + windowMs - now));
            // The summary must not keep the process alive.
            timer.unref?.();
        }
    };
    return Object.assign(limited, {flush});
}

function windowText(windowMs: number): string {
    if (windowMs === 60_000) return "minute";
    return windowMs % 1000 === 0 ? `${windowMs / 1000} s` : `${windowMs} ms`;
}
