import { defineConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

/**
 * The integration suite (test/) runs once per engine, from the same files: each project sets
 * WEBSHOCKET_ENGINE, which every WebSocketServer without an `engine` option follows. WEBSHOCKET_TEST_ENGINES
 * picks the engines (default: both); an engine that cannot run here fails its tests, it is never skipped.
 */
const engines = (process.env.WEBSHOCKET_TEST_ENGINES ?? "uws,ws").split(",").map((e) => e.trim()).filter(Boolean);

const project = (name: string, include: string[], env: Record<string, string> = {}, typecheck = shared.test?.typecheck) => ({
  resolve: shared.resolve,
  ssr: shared.ssr,
  test: { ...shared.test, name, include, env, typecheck },
});

export default defineConfig({
  test: {
    projects: [
      // The unit project also type-checks the type-level tests (src/**/*.test-d.ts).
      project("unit", ["src/**/*.test.ts"], {}, { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" }), ...engines.map((engine) => project(engine, ["test/**/*.test.ts"], { WEBSHOCKET_ENGINE: engine }))],
  },
});
