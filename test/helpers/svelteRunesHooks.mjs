// Node module hooks for tests of the renderer's stores: a `*.svelte.ts` module (Svelte 5 runes: $state, $derived)
// is compiled the way Vite builds it for the page, TypeScript stripped by esbuild, then Svelte's compileModule
// (client output), so a store runs in plain Node with its real reactivity. Registered by svelteRunes.ts.
import {readFile} from "node:fs/promises";
import {fileURLToPath} from "node:url";
import {transform} from "esbuild";
import {compileModule} from "svelte/compiler";

export async function load(url, context, nextLoad) {
    if (!/\.svelte\.ts$/.test(new URL(url).pathname)) return nextLoad(url, context);
    const file = fileURLToPath(url);
    const stripped = await transform(await readFile(file, "utf8"), {loader: "ts", format: "esm", target: "es2022", sourcefile: file});
    const compiled = compileModule(stripped.code, {filename: file, generate: "client", dev: false});
    return {format: "module", source: compiled.js.code, shortCircuit: true};
}
