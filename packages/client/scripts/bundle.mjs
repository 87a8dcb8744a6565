// Builds the self-contained browser bundles (ESM) into dist/browser/:
//   webshocket-client.js, .min.js            @webshocket/client for browsers (msgpack + JSON)
//   webshocket-client.json.js, .json.min.js  @webshocket/client/json (JSON only, no msgpack code)
// `bundleOptions` is shared with the headless-Chromium tests, which bundle the same way in memory.
import { build } from "esbuild";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

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
  // asyncDisposable.ts holds global type declarations only; its empty import is meant to vanish.
  logOverride: { "ignored-bare-import": "silent" },
};

/** The bundles: entry point and output name (without `.js` / `.min.js`) in dist/browser/. */
export const VARIANTS = [
  { name: "webshocket-client", entry: "src/index.browser.ts" },
  { name: "webshocket-client.json", entry: "src/index.json.ts" },
];

/**
 * Terser's options for the second minifying pass of the .min.js bundles. After esbuild's minifier,
 * terser's compressor (two passes: inlining, joined declarations, shorter conditionals) takes a
 * further ~3% off the gzip size (issue 23's budget). It keeps legal comments and never renames
 * properties; esbuild has already renamed the internal `_x` ones.
 */
const terserOptions = {
  module: true,
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
};

/**
 * Minifies esbuild's minified bundle further with terser (see terserOptions).
 * @param {string} code esbuild's minified output
 * @param {{ map: string, url: string }} [sourceMap] esbuild's source map, and the name of the map file to link
 * @returns {Promise<{ code: string, map: string | undefined }>}
 */
export async function minifyMore(code, sourceMap) {
  const out = await minify(code, {
    ...terserOptions,
    sourceMap: sourceMap && { content: sourceMap.map, url: sourceMap.url, includeSources: true },
  });
  if (out.code === undefined) throw new Error("terser produced no code");
  return { code: out.code, map: typeof out.map === "string" ? out.map : undefined };
}

export async function bundle() {
  for (const { name, entry } of VARIANTS) {
    const options = { ...bundleOptions, entryPoints: [entry], sourcemap: true };
    await build({ ...options, outfile: `dist/browser/${name}.js` });
    // .min.js: esbuild's minified bundle (and map), minified again by terser.
    const outfile = `dist/browser/${name}.min.js`;
    const result = await build({ ...options, outfile, minify: true, sourcemap: "external", write: false });
    const js = result.outputFiles.find((f) => f.path.endsWith(".min.js"));
    const map = result.outputFiles.find((f) => f.path.endsWith(".min.js.map"));
    if (!js || !map) throw new Error(`no output for ${name}`);
    const more = await minifyMore(js.text, { map: map.text, url: `${name}.min.js.map` });
    await writeFile(js.path, more.code);
    await writeFile(map.path, more.map ?? map.text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
