/**
 * Builds the renderer (src-renderer/) into dist/renderer/ with relative asset paths, so the same build loads
 * from a file:// URL in the Electron window and from the web server. `--mode harness` builds the screenshot
 * harness (src-renderer/dev/) into dist/harness/ instead; the app build never contains it.
 */
import {defineConfig} from "vite";
import {svelte} from "@sveltejs/vite-plugin-svelte";
import {fileURLToPath} from "node:url";

const root = fileURLToPath(new URL("./src-renderer/", import.meta.url));

export default defineConfig(({mode}) => {
    const harness = mode === "harness";
    return {
        root,
        base: "./",
        plugins: [svelte()],
        build: {
            outDir: fileURLToPath(new URL(harness ? "./dist/harness/" : "./dist/renderer/", import.meta.url)),
            emptyOutDir: true,
            target: "es2022",
            rollupOptions: {
                input: harness ? {harness: `${root}dev/harness.html`} : {index: `${root}index.html`}
            }
        },
        server: {host: "127.0.0.1", strictPort: false},
        preview: {host: "127.0.0.1"}
    };
});
