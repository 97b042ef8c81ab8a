import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "**/.venv/**", "**/.dist/**", ".pulumi-*/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Layering (docs/design.md §2): the emulator and the client meet only over HTTP, the planner is pure,
    // and nothing under src/ depends on Pulumi.
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@pulumi/*", "**/provider/**"] }],
    },
  },
  {
    files: ["src/emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@pulumi/*", "**/nexla/**", "**/planner/**", "got"] }],
    },
  },
  {
    // The declaration model: every door onto a Flow (provider, export, drift) derives from it, so it is pure.
    files: ["src/declaration/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "@pulumi/*",
            "node:*",
            "got",
            "hono",
            "**/emulator/**",
            "**/nexla/client*",
            "**/export/**",
          ],
        },
      ],
    },
  },
  {
    files: ["src/planner/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@pulumi/*", "node:*", "got", "hono", "**/emulator/**", "**/nexla/client*"] },
      ],
    },
  },
);
