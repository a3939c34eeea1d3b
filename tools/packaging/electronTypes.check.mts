/**
 * Electron's own typings against the hand-written src-main/electron/electronApi.ts: every part of Electron's
 * API the shell declares there must be satisfied by the real `electron` module's types, and the options the
 * shell passes must be accepted by them. Compiled only where the `electron` package is installed (its binary
 * downloaded): `node scripts/check-electron-types.mjs`, run by the release workflow. Not in tsconfig.json's
 * include (an .mts file): `npm run check` must pass where npm dropped the optional package (docs/packaging.md).
 */
import type * as ElectronModule from "electron";
import type {BrowserWindowOptions, ElectronMain, ElectronPreload} from "../../src-main/electron/electronApi.ts";

/** Compiles only when Actual is assignable to Declared. */
type Satisfies<Actual extends Declared, Declared> = [Actual, Declared];

export type ElectronApiChecks = [
    Satisfies<typeof ElectronModule, ElectronMain>,
    Satisfies<typeof ElectronModule, ElectronPreload>,
    Satisfies<BrowserWindowOptions, ElectronModule.BrowserWindowConstructorOptions>
];
