import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// `vitest run` runs the tests and type-checks the type-level tests (src/**/*.test-d.ts).
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      typecheck: { enabled: true, include: ["src/**/*.test-d.ts", "test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    },
  }),
);
