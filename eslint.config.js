// Lint config: typescript-eslint's recommended rules over the TypeScript sources and tests.
import tseslint from "typescript-eslint";

export default tseslint.config(
    {ignores: ["node_modules/", "dist/", "out/", ".cache/", ".fixtures/"]},
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", {argsIgnorePattern: "^_", varsIgnorePattern: "^_"}],
            "@typescript-eslint/no-non-null-assertion": "off"
        }
    }
);
