import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { silentLogger, WebSocketServer } from "../src/index.js";
import { TestHandler } from "./testHandler.js";

/** An application's own HTTP server on port 0, closed on dispose. */
async function appServer(): Promise<Server & AsyncDisposable> {
  const http = createServer((_req, res) => res.end("from the app"));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  return Object.assign(http, { [Symbol.asyncDispose]: () => new Promise<void>((resolve) => http.close(() => resolve())) });
}

describe("attached to an application's HTTP server (ws engine)", () => {
  it("takes upgrades on its path and leaves every other request to the application", async () => {
    await using http = await appServer();
    await using server = new WebSocketServer({ httpServer: http, path: "/ws", handler: new TestHandler(), logger: silentLogger });
    expect(server.engine).toBe("ws");
    expect(server.httpServer).toBe(http);
    await server.start();
    const port = (http.address() as AddressInfo).port;
    expect(server.port).toBe(port);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("from the app");
    await using c = await RawClient.connect(`ws://127.0.0.1:${port}/ws`);
    expect((await c.call("add", [20, 22])).response).toBe(42);
    await expect(RawClient.connect(`ws://127.0.0.1:${port}/elsewhere`)).rejects.toThrow(/404/);
    // close() ends webshocket's sockets and leaves the application's server serving.
    await server.close();
    expect((await c.closed).code).toBe(1001);
    expect(http.listening).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("from the app");
  });

  it("leaves upgrades to other paths to the application's other upgrade listeners", async () => {
    await using http = await appServer();
    let other = 0;
    http.on("upgrade", (req, socket) => {
      if (req.url !== "/other") return;
      other++;
      socket.end("HTTP/1.1 418 I'm a teapot\r\nConnection: close\r\n\r\n");
    });
    await using server = new WebSocketServer({ httpServer: http, path: "/ws", handler: new TestHandler(), logger: silentLogger });
    await server.start();
    const port = (http.address() as AddressInfo).port;
    await expect(RawClient.connect(`ws://127.0.0.1:${port}/other`)).rejects.toThrow(/418/);
    expect(other).toBe(1);
    await using c = await RawClient.connect(`ws://127.0.0.1:${port}/ws?x=1`);
    expect((await c.call("add", [1, 1])).response).toBe(2);
  });

  it("refuses what cannot work together, clearly", () => {
    const http = createServer();
    expect(() => new WebSocketServer({ httpServer: http, engine: "uws" })).toThrow(/httpServer needs the ws engine/);
    expect(() => new WebSocketServer({ path: "ws" })).toThrow(/path must be a URL path/);
  });
});
