/** The in-process harness, run as built (it loads this checkout's packages/server/dist): output only, never timings. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BENCH_DIR } from "../src/loadgen.js";

describe("inproc", () => {
  it("answers every call it times (it exits non-zero otherwise) and reports ns per call", () => {
    const out = execFileSync(process.execPath, [join(BENCH_DIR, "dist", "src", "inproc.js"), "--json", "--calls", "20000"], { encoding: "utf8", timeout: 60_000 });
    const { ns_per_call } = JSON.parse(out) as { ns_per_call: number };
    expect(ns_per_call).toBeGreaterThan(0);
    expect(Number.isFinite(ns_per_call)).toBe(true);
  }, 60_000);
});
