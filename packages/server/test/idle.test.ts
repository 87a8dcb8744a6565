import { once } from "node:events";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { silentLogger, WebSocketServer } from "../src/index.js";
import { TestHandler } from "./testHandler.js";

describe("idle timeout", () => {
  it("drops a peer that answers no ping, and keeps one that does", async () => {
    await using server = new WebSocketServer({ port: 0, handler: new TestHandler(), logger: silentLogger, idleTimeout: 8 });
    expect(() => new WebSocketServer({ idleTimeout: 4 })).toThrow(/idleTimeout must be 0 \(off\) or at least 8 seconds/);
    await server.start();
    const silent = new WebSocket(server.url, { autoPong: false });
    const live = new WebSocket(server.url);
    await Promise.all([once(silent, "open"), once(live, "open")]);
    let liveClosed = false;
    live.on("close", () => (liveClosed = true));
    await once(silent, "close");
    expect(liveClosed).toBe(false);
    live.close();
    await once(live, "close");
  });
});
