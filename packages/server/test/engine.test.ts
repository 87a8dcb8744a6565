import { createRequire } from "node:module";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RawClient, spawnServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { silentLogger, WebSocketServer, type UwsModule } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

const fixture = fileURLToPath(new URL("./fixtures/floodServer.mjs", import.meta.url));

/** Writes raw bytes to the server's port (then half-closes) and returns what it answers until the socket closes (or 2 s pass). */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(answer));
    socket.setTimeout(2000, () => socket.destroy());
  });
}

/** The uWS module a user would hand over: WEBSHOCKET_UWS_MODULE's, else the bundled dependency. */
function userUws(): unknown {
  const require = createRequire(join(process.cwd(), "noop.js"));
  const name = process.env.WEBSHOCKET_UWS_MODULE || "uWebSockets.js";
  const m = require(name) as { default?: unknown };
  return m.default ?? m;
}

describe("engine selection", () => {
  it(`"auto" picks the engine this Node leg expects (WEBSHOCKET_EXPECT_ENGINE=${process.env.WEBSHOCKET_EXPECT_ENGINE ?? "unset"})`, async () => {
    const expected = process.env.WEBSHOCKET_EXPECT_ENGINE;
    if (expected === undefined) throw new Error("Set WEBSHOCKET_EXPECT_ENGINE to the engine `auto` must pick on this machine (the package's test scripts do).");
    await using server = new WebSocketServer({ engine: "auto", port: 0, handler: new TestHandler(), logger: silentLogger });
    expect(server.engine).toBe(expected);
    await server.start();
    await using c = await RawClient.connect(server.url);
    expect((await c.call("add", [2, 3])).response).toBe(5);
  });

  it("runs on a uWebSockets.js module handed over as the engine, and refuses one that is not native", async () => {
    const make = (engine: unknown): WebSocketServer => new WebSocketServer({ engine: engine as UwsModule, port: 0, handler: new TestHandler(), logger: silentLogger });
    expect(() => make({ App: () => ({}) })).toThrow(/not a native uWebSockets\.js module/);
    if (process.env.WEBSHOCKET_EXPECT_ENGINE !== "uws") {
      // No native uWS on this leg: the bundled build's JavaScript fallback must be refused, not run.
      expect(() => make(userUws())).toThrow(/not a native uWebSockets\.js module/);
      return;
    }
    await using server = make(userUws());
    expect(server.engine).toBe("uws");
    await server.start();
    await using c = await RawClient.connect(server.url);
    expect((await c.call("add", [4, 5])).response).toBe(9);
  });

  it("falls back to ws with one line saying why when native uWS cannot load, and serves", async () => {
    // The bundled build honours UWS_USE_FALLBACK; webshocket treats it as "no native binary" and never runs the fallback.
    await using server = await spawnServer(fixture, { UWS_USE_FALLBACK: "1", WEBSHOCKET_ENGINE: "", WEBSHOCKET_UWS_MODULE: "" }, 15_000, undefined);
    expect(server.output()).toMatch(/running on the ws engine \(native uWebSockets\.js unavailable: UWS_USE_FALLBACK is set\)/);
    expect(server.output()).not.toMatch(/fallback implementation/i);
    await using c = await RawClient.connect(server.url);
    expect((await c.call("add", [1, 1])).response).toBe(2);
  });

  it("says clearly when an engine asked for cannot run", () => {
    expect(() => new WebSocketServer({ engine: "nope" as "ws" })).toThrow(/engine must be "auto", "uws", "ws"/);
    const saved = process.env.WEBSHOCKET_UWS_MODULE;
    process.env.WEBSHOCKET_UWS_MODULE = "./no-such-uws-module.js";
    try {
      expect(() => new WebSocketServer({ engine: "uws" })).toThrow(/engine "uws" is not available: WEBSHOCKET_UWS_MODULE=.* did not load/);
    } finally {
      if (saved === undefined) delete process.env.WEBSHOCKET_UWS_MODULE;
      else process.env.WEBSHOCKET_UWS_MODULE = saved;
    }
  });
});

describe("the path option", () => {
  it("takes upgrades on that path only", async () => {
    await using server = await startServer({ handler: new TestHandler(), path: "/ws" });
    await using c = await RawClient.connect(`${server.url}/ws?token=1`);
    expect((await c.call("add", [2, 2])).response).toBe(4);
    await expect(RawClient.connect(`${server.url}/elsewhere`)).rejects.toThrow();
    await expect(RawClient.connect(server.url)).rejects.toThrow();
  });
});

describe("hostile HTTP on the WebSocket port", () => {
  const requests: Record<string, string> = {
    "a raw Upgrade to the literal path /*":
      "GET /* HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    "an upgrade without a key": "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    "an upgrade with a bad version": "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: abc\r\nSec-WebSocket-Version: 99\r\n\r\n",
    "a plain GET": "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "a POST with a body": "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    "garbage": "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n",
    "a truncated request line": "GET",
  };
  for (const [name, request] of Object.entries(requests)) {
    it(`survives ${name} and keeps serving`, async () => {
      await using server = await startServer({ handler: new TestHandler() });
      await using before = await RawClient.connect(server.url);
      await rawExchange(server.port, request);
      expect((await before.call("add", [1, 2])).response).toBe(3);
      await using after = await RawClient.connect(server.url);
      expect((await after.call("add", [3, 4])).response).toBe(7);
    });
  }
});
