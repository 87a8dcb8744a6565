// Sizes of the minified browser bundles, raw and gzip (zlib level 9), against their budgets.
// Builds each bundle in memory exactly as scripts/bundle.mjs writes dist/browser/*.min.js
// (esbuild, then terser).
//   node scripts/size.mjs      prints the table; exits 1 when a bundle is over budget
// test/size.test.ts runs the same check in `pnpm test`.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { bundleOptions, minifyMore, VARIANTS } from "./bundle.mjs";

/**
 * Budgets in bytes of the gzipped minified bundle (issue 23: smaller than socket.io-client's ~14 KB;
 * the JSON-only bundle at most 8 KiB). Stream flow control (issue 19) had taken the JSON-only bundle
 * to 8,412 B; internal `_x` properties renamed by esbuild and a terser pass after esbuild brought
 * it back to 8,008 B, leaving ~180 B for what comes next. Client subscriptions (issue 21: `subscribe()`,
 * routing with a small fnmatch, resubscription) took it from 8,081 B to 8,699 B: budget 8.5 KiB. Session resumption (issue 20: opting in, counting
 * messages, the token, the reconnect outcome, no resubscription after a resume) took it to 8,933 B: 8.75 KiB.
 * Issue 21's typed push listeners ($on, $onBroadcast, $subscribe on the typed API) added 174 B, and the optional
 * `traceparent` on requests (issue 22: the client option, createRequest, fillPacket keeping it) about 70 B:
 * with all three merged, 9,096 B: budget 9 KiB. Channel recovery (issue 20: the last position per channel, live
 * messages held while `$history` is read in pages, the replay without duplicates, the `recover` event, waiting
 * for the resubscriptions' answers) took it from 9,184 B to 9,680 B: budget 9.5 KiB.
 */
export const BUDGETS = {
  "webshocket-client": 15 * 1024,
  "webshocket-client.json": 9.5 * 1024,
};

/**
 * Builds every variant minified and measures it.
 * @returns {Promise<Array<{ name: string, file: string, min: number, gzip: number, budget: number, inputs: string[], code: string }>>}
 */
export async function measure() {
  const results = [];
  for (const { name, entry } of VARIANTS) {
    const result = await build({
      ...bundleOptions,
      entryPoints: [entry],
      outfile: `${name}.min.js`,
      minify: true,
      write: false,
      metafile: true,
    });
    const output = result.outputFiles.find((f) => f.path.endsWith(".min.js"));
    const meta = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(".min.js"))?.[1];
    if (!output || !meta) throw new Error(`no output for ${name}`);
    const code = (await minifyMore(output.text)).code;
    const bytes = Buffer.from(code);
    results.push({
      name,
      file: `dist/browser/${name}.min.js`,
      min: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      budget: BUDGETS[/** @type {keyof typeof BUDGETS} */ (name)],
      // Modules with code in the bundle (esbuild parses, then tree-shakes, more).
      inputs: Object.entries(meta.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
      code,
    });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KiB`;
  let over = false;
  for (const r of await measure()) {
    const ok = r.gzip <= r.budget;
    over ||= !ok;
    console.log(
      `${r.file}: ${kb(r.min)} minified (${r.min} bytes), ${kb(r.gzip)} min+gzip (${r.gzip} bytes); budget ${kb(r.budget)} gzip ${ok ? "ok" : "EXCEEDED"}`,
    );
  }
  if (over) process.exitCode = 1;
}
