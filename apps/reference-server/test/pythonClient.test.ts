import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { spawnServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const script = fileURLToPath(new URL("./python/compat_client.py", import.meta.url));
// Debian's interpreter, where python3-msgpack and python3-websockets are installed (scripts/install-test-deps.sh).
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** Runs the Python client in one mode and returns its JSON report (a missing module fails the test). */
async function pythonClient(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(python, [script, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the Python client (msgpack + websockets, msgspec's packet layout) against the reference server", () => {
  it("receives integers as exact integers, and the result once, in rpc.response", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    const report = await pythonClient("ints", server.url);
    expect(report["values"]).toEqual(
      ["2147483648", "4294967296", "1099511627776", "9007199254740991", "-2147483649", "-9007199254740991", "1700000000000"].map((n) => ({
        sent: n,
        got: n,
        type: "int",
      })),
    );
    // 2^32 as msgpack uint64 (cf …), written once: data is nil.
    expect(report["echo_2_32_hex"]).toContain("a8726573706f6e7365cf0000000100000000");
    expect(report["echo_2_32_hex"]).not.toContain("cb41f0000000000000");
    expect(report["echo_2_32_data"]).toBe("None");
  });

  it("gets a 12 MiB reply in frames of at most 64 KiB", async () => {
    await using server = await spawnServer(main, { PORT: "0" });
    const size = 12 * 1024 * 1024;
    const report = await pythonClient("big", server.url, String(size));
    expect(report["equal"]).toBe(true);
    const frames = report["frame_sizes"] as number[];
    expect(frames.reduce((a, b) => a + b, 0)).toBe(report["message_bytes"]);
    expect(frames.length).toBeGreaterThan(size / 65536);
    expect(Math.max(...frames)).toBeLessThanOrEqual(65536);
  });

  it("is refused with HTTP 503 and Retry-After past MAX_CONNECTIONS", async () => {
    await using server = await spawnServer(main, { PORT: "0", MAX_CONNECTIONS: "1" });
    const report = await pythonClient("full", server.url);
    expect(report["first"]).toBe(3);
    expect(report["second"]).toBe(503);
    expect(Number(report["retry_after"])).toBeGreaterThan(0);
  });
});
