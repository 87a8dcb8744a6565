import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type uWS from "uWebSockets.js";

/** A uWebSockets.js module object (`import uWS from "uWebSockets.js"`, or a build such as `@btc-vision/uwebsockets.js`). */
export type UwsModule = typeof uWS;

/** The native module, or why there is none. */
export type UwsLoad = { readonly uws: UwsModule; readonly reason?: undefined } | { readonly uws?: undefined; readonly reason: string };

const require = createRequire(import.meta.url);

/**
 * True when `m` is a uWebSockets.js module whose functions are native code. Registry builds fall back to
 * a JavaScript imitation when their binary cannot load; that imitation handles only literal routes and
 * throws on custom upgrades, so it counts as "not available".
 */
export function isNativeUws(m: unknown): m is UwsModule {
  const app = (m as { App?: unknown } | null)?.App;
  return typeof app === "function" && /\[native code\]/.test(Function.prototype.toString.call(app));
}

/** Checks a module handed over by the user (the `engine` option or WEBSHOCKET_UWS_MODULE). */
export function checkUws(m: unknown, what: string): UwsLoad {
  if (isNativeUws(m)) return { uws: m };
  return { reason: `${what} is not a native uWebSockets.js module (its App is not native code: a JavaScript fallback, or not uWS at all)` };
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}

/** Loads the module named by WEBSHOCKET_UWS_MODULE (a package name or path, resolved from the working directory). */
export function loadNamedUws(name: string): UwsLoad {
  try {
    const m: unknown = createRequire(join(process.cwd(), "noop.js"))(name);
    return checkUws((m as { default?: unknown }).default ?? m, `WEBSHOCKET_UWS_MODULE=${name}`);
  } catch (err) {
    return { reason: `WEBSHOCKET_UWS_MODULE=${name} did not load: ${errorText(err)}` };
  }
}

/**
 * Loads the uWebSockets.js build installed with the server (an optional dependency) by its binary for this
 * Node, never through its JavaScript fallback (the package's own loader prints and falls back).
 */
export function loadBundledUws(): UwsLoad {
  const target = `${process.platform}_${process.arch}_${process.versions.modules}`;
  if (process.env.UWS_USE_FALLBACK !== undefined && /^(1|true)$/i.test(process.env.UWS_USE_FALLBACK)) {
    return { reason: "UWS_USE_FALLBACK is set" };
  }
  let root: string;
  try {
    root = dirname(require.resolve("uWebSockets.js/package.json"));
  } catch {
    return { reason: "the optional dependency uWebSockets.js is not installed" };
  }
  const file = [join(root, "binaries", `uws_${target}.node`), join(root, `uws_${target}.node`)].find((f) => existsSync(f));
  if (file === undefined) {
    return { reason: `the installed uWebSockets.js has no binary for Node ${process.version} (ABI ${process.versions.modules}, ${process.platform}-${process.arch})` };
  }
  try {
    return checkUws(require(file), file);
  } catch (err) {
    return { reason: `its binary for this Node did not load (${errorText(err)})` };
  }
}
