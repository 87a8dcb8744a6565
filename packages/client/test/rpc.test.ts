// RPC against a real @webshocket/server: unary, alias, kwargs, errors, rate limits, streams,
// cancellation, timeouts, in-flight rejection, typed calls, JSON mode.
import {
  ConnectionClosedError,
  PacketSource,
  RateLimitError,
  RPCError,
  RPCErrorCode,
  RPCMethodNotFoundError,
  RPCTimeoutError,
} from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { WebSocketClient } from "../src/index.js";
import { startServer, TestHandler } from "./helpers/testHandler.js";

async function setup(options: ConstructorParameters<typeof WebSocketClient>[1] = {}) {
  const { server, handler } = await startServer();
  const client = new WebSocketClient(server.url, options);
  await client.connect();
  return {
    server,
    handler,
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
    },
  };
}

describe.each(["msgpack", "json"] as const)("RPC (%s)", (format) => {
  it("calls methods, aliases and kwargs", async () => {
    await using t = await setup({ format });
    const sum = await t.client.sendRpc<number>("add", 10, 20);
    expect(sum.source).toBe(PacketSource.RPC);
    expect(sum.data).toBe(30);
    expect(sum.rpc.error).toBeNull();
    expect((await t.client.sendRpc("multiply", 3, 7)).data).toBe(21);
    expect((await t.client.call("greet", ["Ada"], { kwargs: { punctuation: "?" } })).data).toBe("Hello, Ada?");
    expect((await t.client.call("greet", [], { kwargs: { name: "Bob" } })).data).toBe("Hello, Bob!");
  });

  it("streams chunks and ends the loop on is_end", async () => {
    await using t = await setup({ format });
    const seen: unknown[] = [];
    for await (const packet of t.client.streamRpc("count_to", 5)) {
      expect(packet.rpc.is_stream).toBe(true);
      seen.push(packet.data);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("RPC errors", () => {
  it("returns error packets without throwing by default; raises on request", async () => {
    await using t = await setup();
    const missing = await t.client.sendRpc("nope");
    expect(missing.rpc.error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    expect(missing.data).toMatch(/nope/);
    // The alias hides the method's own name.
    expect((await t.client.sendRpc("mul", 2, 3)).rpc.error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    await expect(t.client.call("nope", [], { raiseOnError: true })).rejects.toBeInstanceOf(RPCMethodNotFoundError);
    const bad = await t.client.call("add", [1], { kwargs: { z: 1 } });
    expect(bad.rpc.error).toBe(RPCErrorCode.INVALID_PARAMS);
  });

  it("raiseOnRateLimit with a @rateLimit method", async () => {
    await using t = await setup();
    expect((await t.client.sendRpc("limited")).data).toBe("ok");
    const second = await t.client.sendRpc("limited");
    expect(second.rpc.error).toBe(RPCErrorCode.RATE_LIMIT_EXCEEDED);
    await expect(t.client.call("limited", [], { raiseOnRateLimit: true })).rejects.toBeInstanceOf(RateLimitError);
  });

  it("streams raise RateLimitError by default and yield the error with raiseOnRateLimit: false", async () => {
    await using t = await setup();
    const first: unknown[] = [];
    for await (const p of t.client.streamRpc("limited_stream")) first.push(p.data);
    expect(first).toEqual([1]);
    await expect(t.client.streamRpc("limited_stream").next()).rejects.toBeInstanceOf(RateLimitError);
    const lenient: unknown[] = [];
    for await (const p of t.client.stream("limited_stream", [], { raiseOnRateLimit: false })) lenient.push(p.rpc.error);
    expect(lenient).toEqual([RPCErrorCode.RATE_LIMIT_EXCEEDED]);
  });

  it("an error mid-stream throws RPCError after the chunks before it", async () => {
    await using t = await setup();
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const p of t.client.streamRpc("failing_stream")) seen.push(p.data);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["first"]);
    expect(error).toBeInstanceOf(RPCError);
    expect((error as RPCError).rpcCode).toBe(RPCErrorCode.INTERNAL_SERVER_ERROR);
  });
});

describe("cancellation, timeouts and drops", () => {
  it("leaving a stream early runs the server generator's finally", async () => {
    await using t = await setup();
    for await (const p of t.client.streamRpc<number>("ticker", "break")) {
      if (p.data === 2) break;
    }
    await vi.waitFor(() => expect(t.handler.finalized).toContain("break"));
    expect(t.client.state).toBe(3); // still connected
    expect((await t.client.sendRpc("add", 1, 1)).data).toBe(2);
  });

  it("an AbortSignal cancels the stream on the server", async () => {
    await using t = await setup();
    const ac = new AbortController();
    const error = await (async () => {
      for await (const p of t.client.stream<number>("ticker", ["abort"], { signal: ac.signal })) {
        if (p.data === 1) ac.abort(new Error("enough"));
      }
    })().catch((e: unknown) => e);
    expect(error).toEqual(new Error("enough"));
    await vi.waitFor(() => expect(t.handler.finalized).toContain("abort"));
  });

  it("typed streams cancel on break too", async () => {
    await using t = await setup();
    const api = t.client.typed<TestHandler>();
    for await (const n of api.ticker("typed")) if (n === 1) break;
    await vi.waitFor(() => expect(t.handler.finalized).toContain("typed"));
  });

  it("rejects with RPCTimeoutError after rpcTimeout", async () => {
    await using t = await setup({ rpcTimeout: "200ms" });
    await expect(t.client.sendRpc("never")).rejects.toBeInstanceOf(RPCTimeoutError);
    await expect(t.client.call("never", [], { timeout: "50ms" })).rejects.toBeInstanceOf(RPCTimeoutError);
    expect((await t.client.sendRpc("add", 2, 2)).data).toBe(4);
  });

  it("rejects calls in flight with ConnectionClosedError as soon as the server drops the socket", async () => {
    await using t = await setup({ rpcTimeout: null }); // nothing could ever time out
    const pending = t.client.sendRpc("never");
    const stream = t.client.streamRpc("ticker", "drop");
    await stream.next();
    const draining = (async () => {
      for (;;) if ((await stream.next()).done) return "ended";
    })();
    const hangUp = t.client.sendRpc("hang_up");
    const results = await Promise.allSettled([pending, hangUp, draining]);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionClosedError);
    }
    expect(((results[0] as PromiseRejectedResult).reason as ConnectionClosedError).closeCode).toBe(4000);
    expect(t.client.state).toBe(1); // DISCONNECTED
    await expect(t.client.sendRpc("add", 1, 2)).rejects.toBeInstanceOf(ConnectionClosedError);
    await vi.waitFor(() => expect(t.handler.finalized).toContain("drop"));
  });
});

describe("typed calls", () => {
  it("infers arguments and results from the handler class", async () => {
    await using t = await setup();
    const api = t.client.typed<TestHandler>({ aliases: { mul: "multiply" } });
    expect(await api.add(10, 20)).toBe(30);
    expect(await api.mul(3, 7)).toBe(21);
    expect(await api.greet("Ada")).toBe("Hello, Ada!");
    const seen: number[] = [];
    for await (const n of api.count_to(3)) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
    await expect(t.client.typed<{ nope(conn: unknown): void }>().nope()).rejects.toBeInstanceOf(RPCMethodNotFoundError);
  });
});
