import type { BuildOptions } from "esbuild";

/** esbuild options of the browser bundle. */
export declare const bundleOptions: BuildOptions;
/** The bundles: entry point and output name (without `.js` / `.min.js`) in dist/browser/. */
export declare const VARIANTS: ReadonlyArray<{ name: string; entry: string }>;
/** Writes dist/browser/webshocket-client{,.json}{.js,.min.js}. */
export declare function bundle(): Promise<void>;
/** Minifies esbuild's minified bundle further with terser; `sourceMap` chains esbuild's map. */
export declare function minifyMore(
  code: string,
  sourceMap?: { map: string; url: string },
): Promise<{ code: string; map: string | undefined }>;
