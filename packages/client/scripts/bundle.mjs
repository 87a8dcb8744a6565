// Builds the self-contained browser bundles (ESM): dist/browser/webshocket-client.js and .min.js.
// `bundleOptions` is shared with the headless-Chromium test, which bundles the same way in memory.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** esbuild options of the browser bundle (entry: the browser entry point, sources of workspace packages). */
export const bundleOptions = {
  absWorkingDir: root,
  entryPoints: ["src/index.browser.ts"],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  // Workspace packages resolve to their TypeScript sources: never a stale dist/.
  conditions: ["@webshocket/source"],
  legalComments: "eof",
  logLevel: "warning",
};

export async function bundle() {
  await build({ ...bundleOptions, outfile: "dist/browser/webshocket-client.js", sourcemap: true });
  await build({ ...bundleOptions, outfile: "dist/browser/webshocket-client.min.js", minify: true, sourcemap: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
