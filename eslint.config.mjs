// ESLint (flat config) for the functions, their tests and the scripts; Prettier owns layout.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/lib/**", "**/dist/**", "emulator-data/**", ".cache/**", "web/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["functions/**/*.ts", "scripts/**/*.ts"],
    languageOptions: {
      parserOptions: { project: ["functions/tsconfig.test.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits is a write that may never happen before the function returns.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    files: ["functions/src/**/*.ts"],
    ignores: ["functions/src/shared/transaction.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        // Called, passed on, bound, read by a computed key (a string or a template) or destructured from the Firestore.
        ...[
          "MemberExpression[property.name='runTransaction']",
          "MemberExpression[property.value='runTransaction']",
          "MemberExpression > TemplateLiteral.property[quasis.0.value.cooked='runTransaction']",
          "ObjectPattern > Property[key.name='runTransaction']",
        ].map((selector) => ({
          selector,
          message: "Use runTransaction from shared/transaction: it also retries a transaction the emulator ended under contention.",
        })),
      ],
    },
  },
  {
    files: ["functions/test/**/*.ts"],
    // Tests read untyped documents and fake wire formats.
    rules: { "@typescript-eslint/no-unused-expressions": "off", "@typescript-eslint/no-explicit-any": "off" },
  },
  prettier,
);
