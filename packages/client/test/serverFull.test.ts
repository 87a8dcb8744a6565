// A server at maxConnections refuses the handshake with HTTP 503 and Retry-After; on Node the client says so.
import { ConnectionFailedError, ConnectionState } from "@webshocket/protocol";
import { silentLogger, WebSocketHandler, WebSocketServer } from "@webshocket/server";
import { describe, expect, it } from "vitest";
import { WebSocketClient, type ClientEvents } from "../src/index.js";

async function start(engine: "uws" | "ws"): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, engine, handler: new WebSocketHandler(), maxConnections: 1 });
  await server.start();
  return server;
}

// Both engines where native uWebSockets.js loads (what "auto" picks), else ws alone (Node 22/24 on this glibc).
const native = new WebSocketServer({ port: 0, logger: silentLogger, handler: new WebSocketHandler() }).engine === "uws";
const engines: ReadonlyArray<"uws" | "ws"> = native ? ["uws", "ws"] : ["ws"];

describe.each(engines)("a full server (%s engine)", (engine) => {
  it("rejects connect() with ConnectionFailedError saying the server is full, and connects once a slot frees", async () => {
    await using server = await start(engine);
    await using first = new WebSocketClient(server.url);
    await first.connect();
    await using second = new WebSocketClient(server.url);
    const error = await second.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionFailedError);
    expect((error as Error).message).toMatch(/HTTP 503 server is full, try again later \(Retry-After 2 s\)/);
    expect(second.state).toBe(ConnectionState.DISCONNECTED);

    // Retrying backs off on the refusal like on any failed attempt.
    const retries: ClientEvents["retry"][] = [];
    second.on("retry", (info) => retries.push(info));
    const again = await second.connect({ retry: true, maxRetryAttempt: 1, retryInterval: "5ms" }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConnectionFailedError);
    expect(retries.map((r) => r.attempt)).toEqual([1]);
    expect(retries.every((r) => String(r.error).includes("server is full"))).toBe(true);
    // The server's Retry-After (2 s) lifts the 5 ms backoff, up to the caller's maxRetryDelay (here its default, 30 s).
    expect(retries.every((r) => r.delayMs === 2000)).toBe(true);

    await first.close();
    // The server may take the close a moment after the client sees it: retry until the slot is free.
    await second.connect({ retry: true, maxRetryAttempt: 30, retryInterval: "5ms", maxRetryDelay: "50ms" });
    expect(second.state).toBe(ConnectionState.CONNECTED);
  });
});
