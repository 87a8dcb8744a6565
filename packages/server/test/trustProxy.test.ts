import { once } from "node:events";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { HandshakeRequest, WebSocketServerOptions } from "../src/index.js";
import { AddressHandler } from "./addressHandler.js";
import { RawSocket } from "./rawSocket.js";
import { startServer } from "./startServer.js";

async function addressFor(options: WebSocketServerOptions, headers: Record<string, string>): Promise<{ address: string; seen: string[] }> {
  const handler = new AddressHandler();
  const seen: string[] = [];
  const authenticate = (request: HandshakeRequest): boolean => (seen.push(request.remoteAddress), true);
  await using server = await startServer({ handler, authenticate, ...options });
  const ws = new WebSocket(server.url, { headers });
  await once(ws, "open");
  const address = await handler.next();
  ws.close();
  await once(ws, "close");
  return { address, seen };
}

describe("trustProxy", () => {
  it("is off by default: a client's X-Forwarded-For is ignored", async () => {
    expect(await addressFor({}, { "X-Forwarded-For": "198.51.100.7" })).toEqual({ address: "127.0.0.1", seen: ["127.0.0.1"] });
  });

  it("takes the client address from X-Forwarded-For when the peer is a trusted proxy, for authenticate too", async () => {
    const headers = { "X-Forwarded-For": "6.6.6.6, 198.51.100.7" };
    expect(await addressFor({ trustProxy: ["127.0.0.0/8", "::1"] }, headers)).toEqual({ address: "198.51.100.7", seen: ["198.51.100.7"] });
    expect((await addressFor({ trustProxy: ["10.0.0.1"] }, headers)).address).toBe("127.0.0.1");
  });

  it("reads Forwarded only when asked to, and keeps the peer address for a malformed one", async () => {
    const headers = { Forwarded: 'for="[2001:db8::1]:4711";proto=https', "X-Forwarded-For": "6.6.6.6" };
    expect((await addressFor({ trustProxy: { proxies: ["127.0.0.1"], header: "forwarded" } }, headers)).address).toBe("2001:db8::1");
    expect((await addressFor({ trustProxy: ["127.0.0.1"] }, headers)).address).toBe("6.6.6.6");
    expect((await addressFor({ trustProxy: { proxies: ["127.0.0.1"], header: "forwarded" } }, { Forwarded: 'for="[2001:db8::1' })).address).toBe("127.0.0.1");
  });

  it("reads repeated X-Forwarded-For headers as one list on every engine", async () => {
    const handler = new AddressHandler();
    await using server = await startServer({ handler, trustProxy: ["127.0.0.1"] });
    // Taken alone, the last header names a trusted proxy (→ 127.0.0.1); as one list the walk goes on to the client.
    const raw = await RawSocket.open(server.port, ["X-Forwarded-For: 198.51.100.9", "X-Forwarded-For: 127.0.0.1"]);
    expect(await raw.status()).toBe(101);
    expect(await handler.next()).toBe("198.51.100.9");
    raw.end();
  });

  it("refuses an entry that is not an address or range at construction", async () => {
    await expect(startServer({ trustProxy: ["localhost"] })).rejects.toThrow(/trustProxy entry "localhost"/);
  });
});
