import type { BuildOptions } from "esbuild";

/** esbuild options of the browser bundle. */
export declare const bundleOptions: BuildOptions;
/** Writes dist/browser/webshocket-client.js and .min.js. */
export declare function bundle(): Promise<void>;
