// Lint config: typescript-eslint's recommended rules over the TypeScript sources and tests, eslint-plugin-svelte
// over the components, and the house's import rules (which room may import which, each through its index.ts).
import svelte from "eslint-plugin-svelte";
import tseslint from "typescript-eslint";

/** Rooms with one public surface: from outside a room, only its index.ts may be imported. */
const surfaces = [
    "src-shared",
    "src-main/engine",
    "src-main/models/header",
    "src-main/models/runtime",
    "src-main/service",
    "src-main/cli",
    "src-main/library",
    "src-main/server"
];

/** An import into the room's internals (any file but its index.ts), as the import's text spells it. */
function internalsOf(room) {
    const tail = room
        .split("/")
        .slice(-2)
        .join("/")
        .replace(/^src-main\//, "");
    return {regex: `(^|/)${tail.replace("/", "\\/")}\\/(?!index\\.ts$)`, message: `import ${room} through its public surface, ${room}/index.ts`};
}

const ban = (regex, message) => ({regex, message});
const nodeLlama = ban("^node-llama-cpp", "node-llama-cpp loads llama.cpp: only the engine process, the CLI and the tools may import it");
const runtime = ban("models\\/runtime\\/", "models/runtime loads llama.cpp: only the engine process, the CLI and the tools may import it");
// Types cross processes (they are erased): the service may name the engine's result types, never load it.
const engine = {...ban("(^|\\.\\.\\/)engine\\/", "the decoder runs in the engine process only (src-main/engineHost)"), allowTypeImports: true};
const outsideMain = [
    ban("(^|\\/)tools\\/", "shipped code never imports the dev tools"),
    ban("(^|\\/)test\\/", "shipped code never imports tests"),
    ban("src-renderer\\/", "the main side never imports the renderer")
];
const rooms = (names, why) => ban(`^\\.\\.\\/(${names.join("|")})\\/`, why);

/** What each area may not import, beside the other rooms' internals. Areas are disjoint folders. */
const areas = {
    "src-shared": [
        ban("^node:", "src-shared is pure TypeScript: no Node imports"),
        ban("^(valibot|node-llama-cpp|better-sqlite3|ws|electron)$", "src-shared imports no runtime package but birpc"),
        ban("src-main\\/|src-renderer\\/|(^|\\/)tools\\/", "src-shared imports nothing outside itself")
    ],
    "src-renderer": [
        ban("src-main\\/", "the renderer imports only src-shared (src-shared/index.ts)"),
        ban("^node:", "the renderer runs in a browser"),
        nodeLlama,
        ban("^(valibot|better-sqlite3|ws)$", "not in the renderer's bundle")
    ],
    "src-main/engine": [
        ...outsideMain,
        rooms(
            ["models", "service", "store", "engineHost", "transports", "app", "electron", "cli", "library", "server"],
            "the engine imports only src-shared"
        )
    ],
    "src-main/models/header": [
        ...outsideMain,
        nodeLlama,
        ban("^\\.\\.\\/runtime\\/", "header reading never loads llama.cpp"),
        rooms(
            ["engine", "service", "store", "engineHost", "transports", "app", "electron", "cli", "library", "server"],
            "models/header imports only src-shared"
        )
    ],
    "src-main/models/runtime": [
        ...outsideMain,
        ban(
            "^\\.\\.\\/\\.\\.\\/(service|store|engineHost|transports|app|electron|cli|library|server)\\/",
            "models/runtime imports only the engine, models/header and src-shared"
        )
    ],
    "src-main/store": [
        ...outsideMain,
        nodeLlama,
        rooms(
            ["engine", "models", "service", "engineHost", "transports", "app", "electron", "cli", "library", "server"],
            "the store imports only src-shared"
        )
    ],
    "src-main/library": [
        ...outsideMain,
        runtime,
        engine,
        rooms(
            ["service", "engineHost", "transports", "app", "electron", "cli", "server"],
            "the library imports models/header, the store and src-shared"
        )
    ],
    "src-main/engineHost": [
        ...outsideMain,
        rooms(
            ["service", "store", "transports", "app", "electron", "cli", "library", "server"],
            "the engine process imports the engine, models and src-shared"
        )
    ],
    "src-main/service": [
        ...outsideMain,
        nodeLlama,
        runtime,
        engine,
        rooms(["transports", "app", "electron", "cli", "server"], "the service never imports its callers")
    ],
    "src-main/server": [
        ...outsideMain,
        nodeLlama,
        runtime,
        engine,
        rooms(["store", "engineHost", "transports", "app", "electron", "cli"], "the server imports the service and src-shared")
    ],
    "src-main/transports": [
        ...outsideMain,
        nodeLlama,
        runtime,
        engine,
        rooms(["store", "engineHost", "models", "library", "cli"], "the transports carry the service: they import it and src-shared only")
    ],
    "src-main/app": [
        ...outsideMain,
        nodeLlama,
        runtime,
        engine,
        rooms(["store", "models", "library", "cli"], "the web shell imports the service, the transports and src-shared")
    ],
    "src-main/electron": [
        ...outsideMain,
        nodeLlama,
        runtime,
        engine,
        rooms(["store", "models", "library", "cli"], "Electron's main process imports the service, the transports and src-shared")
    ],
    "src-main/cli": [...outsideMain],
    tools: [],
    scripts: [],
    bin: []
};

const importRules = Object.entries(areas).map(([area, bans]) => {
    const own = (room) => room === area || room.startsWith(`${area}/`) || area.startsWith(`${room}/`);
    const patterns = [...bans, ...surfaces.filter((room) => !own(room)).map(internalsOf)];
    return {
        // The renderer's .mjs files are Node scripts of its dev harness (screenshots, profiling), not the UI.
        files: area === "src-renderer" ? [`${area}/**/*.ts`, `${area}/**/*.svelte`] : [`${area}/**/*.ts`, `${area}/**/*.mjs`],
        rules: {"@typescript-eslint/no-restricted-imports": ["error", {patterns}]}
    };
});

export default tseslint.config(
    {ignores: ["node_modules/", "dist/", "out/", ".cache/", ".fixtures/"]},
    ...tseslint.configs.recommended,
    ...svelte.configs.recommended,
    {
        files: ["**/*.svelte", "**/*.svelte.ts"],
        languageOptions: {parserOptions: {parser: tseslint.parser, extraFileExtensions: [".svelte"]}}
    },
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", {argsIgnorePattern: "^_", varsIgnorePattern: "^_"}],
            "@typescript-eslint/no-non-null-assertion": "off"
        }
    },
    ...importRules
);
