// Builds the self-contained browser bundles (ESM) into dist/browser/:
//   webshocket-client.js, .min.js            @webshocket/client for browsers (msgpack + JSON)
//   webshocket-client.json.js, .json.min.js  @webshocket/client/json (JSON only, no msgpack code)
// `bundleOptions` is shared with the headless-Chromium tests, which bundle the same way in memory.
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
  // Properties named `_x` are internal (between the client's own modules, never on user objects or
  // options): the minifier renames them like local variables.
  mangleProps: /^_[a-zA-Z]/,
  logLevel: "warning",
};

/** The bundles: entry point and output name (without `.js` / `.min.js`) in dist/browser/. */
export const VARIANTS = [
  { name: "webshocket-client", entry: "src/index.browser.ts" },
  { name: "webshocket-client.json", entry: "src/index.json.ts" },
];

export async function bundle() {
  for (const { name, entry } of VARIANTS) {
    const options = { ...bundleOptions, entryPoints: [entry], sourcemap: true };
    await build({ ...options, outfile: `dist/browser/${name}.js` });
    await build({ ...options, outfile: `dist/browser/${name}.min.js`, minify: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
