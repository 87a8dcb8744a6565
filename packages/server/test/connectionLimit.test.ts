import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { RawSocket } from "./rawSocket.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

/** A promise with its resolve function, for holding `authenticate` until the test lets it go. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Opens upgrades until one is taken (101), expecting 503 until then: fails (times out) if a slot never frees. */
async function connectOnceFree(port: number): Promise<void> {
  for (;;) {
    const next = await RawSocket.open(port);
    const status = await next.status();
    next.end();
    if (status === 101) return;
    expect(status).toBe(503);
    await new Promise((r) => setImmediate(r));
  }
}

describe("maxConnections", () => {
  it("refuses the upgrade past the limit with HTTP 503 and Retry-After, before any WebSocket opens", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler, maxConnections: 2 });
    await using a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url);
    const c = await RawSocket.open(server.port);
    expect(await c.status()).toBe(503);
    expect(c.header("retry-after")).toBe("2");
    await c.closed();
    expect(c.frames).toEqual([]);
    expect(handler.connected.length).toBe(2);
    expect((await a.call("add", [1, 1])).response).toBe(2);
    expect((await b.call("add", [2, 2])).response).toBe(4);
  });

  it("takes a new connection once one has gone", async () => {
    await using server = await startServer({ handler: new TestHandler(), maxConnections: 1, retryAfter: 7 });
    const first = await RawClient.connect(server.url);
    const refused = await RawSocket.open(server.port);
    expect(await refused.status()).toBe(503);
    expect(refused.header("retry-after")).toBe("7");
    first.ws.close();
    await first.closed;
    await connectOnceFree(server.port); // the server may see the close a moment after the client
  });

  it("counts handshakes waiting for authenticate, and frees their slot when the client goes away", async () => {
    const held = gate();
    const entered = gate();
    const server = await startServer({
      handler: new TestHandler(),
      maxConnections: 1,
      authenticate: async () => {
        entered.open();
        await held.promise;
        return true;
      },
    });
    await using _ = server;
    // A handshake in authenticate holds the only slot: the next is refused at once.
    const waiting = await RawSocket.open(server.port);
    await entered.promise;
    const second = await RawSocket.open(server.port);
    expect(await second.status()).toBe(503);
    // The waiting client leaves; its slot is free again once authenticate settles, whether or not the server
    // noticed the departure first (then the socket opens and closes at once).
    waiting.end();
    held.open();
    await connectOnceFree(server.port);
  });
});
