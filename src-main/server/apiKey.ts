/** The server's API key: made fresh when none is given, read from the Authorization header, compared in constant time. */
import {createHash, randomBytes, timingSafeEqual} from "node:crypto";

/** A fresh key: 192 random bits, URL-safe, with a prefix that says whose it is. */
export function newApiKey(): string {
    return `tandem-${randomBytes(24).toString("base64url")}`;
}

/** What a key given by the user may be: printable ASCII without spaces, long enough to be a secret; a problem or null. */
export function apiKeyProblem(key: string): string | null {
    if (key.length < 16 || key.length > 256) return "the API key must be 16 to 256 characters long";
    if (!/^[\x21-\x7e]+$/.test(key)) return "the API key may hold only printable ASCII characters, no spaces";
    return null;
}

/** The key of an `Authorization: Bearer KEY` header, or null. */
export function bearerKey(header: string | undefined): string | null {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
    return match?.[1] ?? null;
}

/** Compares a presented key with the secret in constant time (hashing first evens out the lengths). */
export function apiKeyMatches(presented: string | null, secret: string): boolean {
    if (presented == null) return false;
    return timingSafeEqual(createHash("sha256").update(presented).digest(), createHash("sha256").update(secret).digest());
}
