/**
 * The web mode's access token as the page receives it: in the address's fragment (`#token=…`, never sent to
 * the server by the browser), kept in sessionStorage so a reload of the tab still works, and removed from the
 * visible address. Pure: the caller passes the fragment and the stored value in and applies the result.
 */

export const TOKEN_STORAGE_KEY = "tandem.token";

export type TokenLookup = {
    /** The token to use, or null when neither the address nor this tab's storage holds one. */
    readonly token: string | null;
    /** The fragment to show instead (the token removed, anything else kept), or null when it needs no change. */
    readonly cleanedHash: string | null;
};

/** Reads the token from a location fragment ("#token=…&…"), falling back to the value stored for this tab. */
export function lookUpToken(hash: string, stored: string | null): TokenLookup {
    const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
    const fromHash = params.get("token");
    if (fromHash == null || fromHash === "") return {token: stored != null && stored !== "" ? stored : null, cleanedHash: null};
    params.delete("token");
    const rest = params.toString();
    return {token: fromHash, cleanedHash: rest === "" ? "" : `#${rest}`};
}

/** The WebSocket address of the API for a page served at `pageUrl`, carrying the token. */
export function apiSocketUrl(pageUrl: string, token: string): string {
    const url = new URL("/api", pageUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.hash = "";
    url.search = `?token=${encodeURIComponent(token)}`;
    return url.toString();
}
