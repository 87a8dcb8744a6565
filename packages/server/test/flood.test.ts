import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { connectStormScript, RawClient, spawnServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** File descriptors each process needs: 10,000 sockets and some slack. */
const FDS_NEEDED = 10_500;

/** Runs node with its soft fd limit raised to the hard limit, failing clearly when that is too low. */
function withFdLimit(script: string, args: string[]): string[] {
  const raise = `ulimit -n "$(ulimit -Hn)"; [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge ${FDS_NEEDED} ] || { echo "fd limit $(ulimit -n) is below ${FDS_NEEDED}" >&2; exit 70; }`;
  return ["-c", `${raise}; exec "${process.execPath}" "${script}" ${args.map((a) => `"${a}"`).join(" ")}`];
}

describe("connection floods", () => {
  it("holds 10,000 concurrent connections, refuses the rest with HTTP 503 before the upgrade, and keeps serving", { timeout: 120_000 }, async () => {
    const max = 10_000;
    await using server = await spawnServer("/bin/bash", {}, 15_000, withFdLimit(fixture("floodServer.mjs"), [String(max)]));
    await using first = await RawClient.connect(server.url);
    const flood = spawn("/bin/bash", withFdLimit(connectStormScript, [server.url, String(max + 200), "400", "201"]), { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    flood.stdout.on("data", (d: Buffer) => (out += d.toString()));
    flood.stderr.on("data", (d: Buffer) => (err += d.toString()));
    try {
      // While the storm runs, the existing client keeps getting answers.
      let answered = 0;
      while (!out.includes("\n") && flood.exitCode === null) {
        expect((await first.call("add", [answered, 1])).response).toBe(answered + 1);
        answered++;
      }
      expect(flood.exitCode, err).toBe(null);
      const result = JSON.parse(out) as { stillOpen: number; failed: number; codes: Record<string, number> };
      // One slot is taken by `first`.
      expect(result.stillOpen).toBe(max - 1);
      // Refused at the handshake (503): the ws client reports an error and a 1006 close, never an open socket.
      expect(result.failed).toBe(201);
      expect(result.codes).toEqual({ "1006": 201 });
      expect(answered).toBeGreaterThan(0);
      expect((await first.call("add", [40, 2])).response).toBe(42);
    } finally {
      flood.stdin.end();
      flood.kill();
    }
  });
});
