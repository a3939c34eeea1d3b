/**
 * Locks down every web contents the app creates: navigation blocked (a click on an http(s) link opens the
 * system browser), window.open denied (same rule), <webview> refused, every permission request and check
 * denied (camera, notifications, clipboard reads, …: the app needs none).
 */
import type {ElectronMain, WebContents} from "./electronApi.ts";
import {externalLink, isOwnPage} from "./navigationPolicy.ts";

export function lockDownWebContents(electron: ElectronMain, contents: WebContents): void {
    const openOutside = (url: string) => {
        const link = externalLink(url);
        if (link != null) void electron.shell.openExternal(link);
    };
    const blockNavigation = (event: {preventDefault(): void}, url: string) => {
        if (isOwnPage(url, contents.getURL())) return;
        event.preventDefault();
        openOutside(url);
    };
    contents.on("will-navigate", blockNavigation);
    contents.on("will-redirect", blockNavigation);
    contents.on("will-attach-webview", (event) => event.preventDefault());
    contents.setWindowOpenHandler(({url}) => {
        openOutside(url);
        return {action: "deny"};
    });
}

/** Denies every permission for the app's session (requests and synchronous checks alike). */
export function denyAllPermissions(contents: WebContents): void {
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    contents.session.setPermissionCheckHandler(() => false);
}
