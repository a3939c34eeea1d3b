/**
 * What the window may do with a URL. The app is one page loaded from disk: it never navigates anywhere and
 * never opens windows; an http(s) link the user clicks opens in the system browser instead. Pure functions
 * (the Electron handlers in security.ts call them).
 */

/** A link that may be handed to the system browser: http or https only (no file:, javascript:, custom schemes). */
export function externalLink(url: string): string | null {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return null;
    }
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.toString() : null;
}

/** True only for a reload of the app's own page (same file, any fragment): every other navigation is blocked. */
export function isOwnPage(url: string, appPageUrl: string): boolean {
    try {
        const target = new URL(url);
        const own = new URL(appPageUrl);
        return target.protocol === own.protocol && target.host === own.host && target.pathname === own.pathname;
    } catch {
        return false;
    }
}
