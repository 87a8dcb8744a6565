/** The pattern-scale harness, run as built: it exits non-zero when a publish reaches the wrong subscribers; output only, never timings. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BENCH_DIR } from "../src/loadgen.js";

describe("patternScale", () => {
  it("delivers each publish to its one matching pattern and reports µs per publish", () => {
    const script = join(BENCH_DIR, "dist", "src", "patternScale.js");
    const out = execFileSync(process.execPath, [script, "--one", "1000", "--publishes", "2000"], { encoding: "utf8", timeout: 60_000 });
    const { us_per_publish } = JSON.parse(out) as { us_per_publish: number };
    expect(Number.isFinite(us_per_publish) && us_per_publish > 0).toBe(true);
  }, 60_000);
});
