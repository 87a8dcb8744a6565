/** Budgets in bytes of the gzipped minified bundles. */
export declare const BUDGETS: Readonly<Record<string, number>>;
/** One minified bundle, measured. */
export interface BundleSize {
  name: string;
  file: string;
  /** Minified size in bytes. */
  min: number;
  /** Minified + gzip (level 9) size in bytes. */
  gzip: number;
  /** Budget of `gzip`, in bytes. */
  budget: number;
  /** The modules with code in the bundle (esbuild metafile paths). */
  inputs: string[];
  /** The minified code. */
  code: string;
}
/** Builds every variant minified, in memory, and measures it. */
export declare function measure(): Promise<BundleSize[]>;
