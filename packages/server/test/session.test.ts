import { RPCErrorCode } from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { RawClient } from "@webshocket/test-utils";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

describe("session state and guards", () => {
  it("keeps state per connection and drops it on disconnect", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    const a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url);
    expect((await a.call("login", ["alice"])).response).toBe("Logged in as alice");
    expect((await a.call("whoami")).response).toBe("alice");
    expect((await b.call("whoami")).response).toBe(null);
    await a.close();
    await vi.waitFor(() => expect(handler.disconnected).toHaveLength(1));
    expect(handler.disconnected[0]?.state.username).toBe("alice");
    await using again = await RawClient.connect(server.url);
    expect((await again.call("whoami")).response).toBe(null);
  });

  it("denies access when `requires` fails", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const denied = await c.call("admin_action");
    expect(denied).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: "Access denied for RPC method 'admin_action'." });
    await c.call("login", ["bob", "viewer", true]);
    expect((await c.call("admin_action")).response).toBe("Secret data");
    expect((await c.call("edit", ["d1"])).error).toBe(RPCErrorCode.ACCESS_DENIED);
    await c.call("login", ["bob", "editor"]);
    expect((await c.call("edit", ["d1"])).response).toBe("Editing d1");
  });

  it("rate-limits per connection per method; rejected calls do not count", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url);
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await a.call("limited")).error);
    expect(results).toEqual([null, null, null, RPCErrorCode.RATE_LIMIT_EXCEEDED, RPCErrorCode.RATE_LIMIT_EXCEEDED]);
    const over = await a.call("limited");
    expect(over.response).toBe("Rate limit exceeded for RPC method 'limited'.");
    expect((await b.call("limited")).response).toBe("ok");
  });

  it("disconnects with 1013 when the limit says so", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    const c = await RawClient.connect(server.url);
    expect((await c.call("limited_disconnect")).response).toBe("ok");
    expect((await c.call("limited_disconnect")).response).toBe("ok");
    const third = await c.call("limited_disconnect");
    expect(third.error).toBe(RPCErrorCode.RATE_LIMIT_EXCEEDED);
    expect(await c.closed).toEqual({ code: 1013, reason: "Rate limit exceeded" });
  });
});
