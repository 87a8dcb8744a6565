// What a server does right after the handshake (send, or close) must reach the client: it can
// arrive in the same tick as `open`, before the client has attached its handlers.
import { ConnectionState, PacketSource } from "@webshocket/protocol";
import { silentLogger, WebSocketHandler, WebSocketServer, type ClientConnection } from "@webshocket/server";
import { describe, expect, it } from "vitest";
import { WebSocketClient } from "../src/index.js";

class WelcomeHandler extends WebSocketHandler {
  override onConnect(conn: ClientConnection): void {
    conn.send("welcome");
  }
}

class RefuseHandler extends WebSocketHandler {
  override onConnect(conn: ClientConnection): void {
    conn.close(1013, "try again later");
  }
}

async function start(options: ConstructorParameters<typeof WebSocketServer>[0]): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, ...options });
  await server.start();
  return server;
}

describe("events right after the handshake", () => {
  for (const format of ["msgpack", "json"] as const) {
    it(`delivers a message sent in onConnect (${format})`, async () => {
      await using server = await start({ handler: new WelcomeHandler() });
      await using client = new WebSocketClient(server.url, { format });
      await client.connect();
      const packet = await client.recv(5);
      expect(packet).toMatchObject({ source: PacketSource.CUSTOM, data: "welcome" });
    });
  }

  it("reports a close that follows the handshake at once", async () => {
    // (A full server refuses before the handshake now, with 503: test/serverFull.test.ts.)
    await using server = await start({ handler: new RefuseHandler() });
    await using client = new WebSocketClient(server.url);
    const disconnected = client.once("disconnect");
    await client.connect();
    expect(await disconnected).toMatchObject({ code: 1013, willReconnect: false });
    expect(client.state).toBe(ConnectionState.DISCONNECTED);
  });
});
