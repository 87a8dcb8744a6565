/** The paired A/B tool's arithmetic and a run of it end to end (one short pair; output format only, never timings). */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BENCH_DIR } from "../src/loadgen.js";
import { pairOrder, pairedRatio } from "../src/pair.js";
import { median } from "../src/report.js";

describe("pair", () => {
  it("takes the median of the per-pair ratios, not the ratio of the medians", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
    // A slow minute (pair 2) moves both sides; the paired ratio stays at B = 0.9 A.
    expect(pairedRatio([1, 2, 1.1], [0.9, 1.8, 0.99])).toBeCloseTo(0.9, 12);
    expect(pairedRatio([1, 1, 1], [2, 0.5, 1])).toBe(1);
  });

  it("alternates which side runs first", () => {
    expect([0, 1, 2, 3].map(pairOrder)).toEqual([["a", "b"], ["b", "a"], ["a", "b"], ["b", "a"]]);
  });

  it("runs two builds against each other and prints every pair and the paired ratio", () => {
    const repo = join(BENCH_DIR, "..", "..");
    const out = execFileSync(process.execPath, [join(BENCH_DIR, "dist", "src", "pair.js"), "--a", repo, "--b", repo, "--pairs", "2", "--seconds", "0.2"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(out).toMatch(/^pair 1\/2: A [\d.]+, B [\d.]+ CPU µs\/call$/m);
    expect(out).toMatch(/^pair 2\/2: B [\d.]+, A [\d.]+ CPU µs\/call$/m);
    expect(out).toMatch(/^webshocket-msgpack: A median [\d.]+, B median [\d.]+ CPU µs\/call; B\/A, median of the 2 pairs: [\d.]+$/m);
  }, 120_000);

  it("--inproc: alternates the two builds' in-process measurements", () => {
    const repo = join(BENCH_DIR, "..", "..");
    const out = execFileSync(process.execPath, [join(BENCH_DIR, "dist", "src", "pair.js"), "--a", repo, "--b", repo, "--pairs", "2", "--inproc", "--calls", "20000"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(out).toMatch(/^pair 1\/2: A \d+, B \d+ ns\/call in process$/m);
    expect(out).toMatch(/^in process: A median \d+, B median \d+ ns\/call; B\/A, median of the 2 pairs: [\d.]+$/m);
  }, 120_000);
});
