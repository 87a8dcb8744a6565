import { describe, expect, it } from "vitest";
import { RawSocket } from "./rawSocket.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

/** The HTTP status the server answers an upgrade carrying `headers` with; the connection is closed after. */
async function statusFor(port: number, headers: string[]): Promise<{ status: number; body: string }> {
  const raw = await RawSocket.open(port, headers);
  const status = await raw.status();
  raw.end();
  return { status, body: raw.head };
}

describe("repeated handshake headers", () => {
  it("refuses a repeated Origin or Authorization with 400 before the upgrade, whatever the values", async () => {
    const seen: string[] = [];
    await using server = await startServer({
      handler: new TestHandler(),
      allowedOrigins: ["https://good.example"],
      authenticate: (request) => {
        seen.push(request.headers.authorization ?? "");
        return true;
      },
    });
    const cases: Array<[string[], number]> = [
      [["Origin: https://good.example"], 101],
      [["Origin: https://good.example", "Origin: https://good.example"], 400],
      [["Origin: https://evil.example", "Origin: https://good.example"], 400],
      [["Origin: https://good.example", "origin: https://evil.example"], 400],
      [["Authorization: Bearer a"], 101],
      [["Authorization: Bearer a", "Authorization: Bearer b"], 400],
      [["authorization: Bearer a", "AUTHORIZATION: Bearer a"], 400],
      [["Origin: https://good.example", "Authorization: Bearer a", "X-Other: 1", "X-Other: 2"], 101],
    ];
    for (const [headers, expected] of cases) expect([headers, (await statusFor(server.port, headers)).status]).toEqual([headers, expected]);
    // authenticate saw only the accepted handshakes.
    expect(seen).toEqual(["", "Bearer a", "Bearer a"]);
  });
});
