import { ClientType, PacketSource, RPCErrorCode, createRequest, msgpackCodec } from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { RawClient } from "@webshocket/test-utils";
import { WebSocketHandler, rpcMethod, type ClientConnection } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

describe("RPC dispatch", () => {
  it("runs on the engine this test project names", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    expect(server.engine).toBe(process.env.WEBSHOCKET_ENGINE);
    expect(server.native).toBe(server.engine === "uws");
  });

  it("answers calls by name, with aliases and kwargs, matched by call_id", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("add", [10, 20])).response).toBe(30);
    expect((await c.call("multiply", [3, 7])).response).toBe(21);
    expect((await c.call("greet", [], { name: "Ada" })).response).toBe("Hello, Ada!");
    expect((await c.call("greet", ["Ada"], { greeting: "Hi" })).response).toBe("Hi, Ada!");
    const r = await c.call("add", [1, 2]);
    expect(r).toMatchObject({ type: "response", error: null, is_stream: false, is_end: false });
  });

  it("sends the result once, in rpc.response, with data null (as the Python server does)", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const id = c.request("add", [2, 3]);
    const p = await c.waitFor((x) => x.rpc?.call_id === id);
    expect(p.source).toBe(PacketSource.RPC);
    expect(p.rpc).toMatchObject({ type: "response", response: 5 });
    expect(p.data).toBeNull();
  });

  it("stamps answers with the time of the event-loop turn that made them", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const stamp = async (): Promise<number> => {
      const id = c.request("add", [1, 1]);
      return (await c.waitFor((x) => x.rpc?.call_id === id)).timestamp as number;
    };
    const first = await stamp();
    expect(Math.abs(first - Date.now() / 1000)).toBeLessThan(5);
    const later = Date.now() + 5;
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(later)); // the clock moves on: a later turn must see it
    expect(await stamp()).toBeGreaterThan(first);
  });

  it("answers requests the decoder's fast path leaves to the general one (other field order, extra envelope fields)", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const rpc = (id: string) => ({ type: "request", method: "add", args: [2, 5], kwargs: {}, call_id: id });
    c.sendRaw(msgpackCodec.encodeValue({ rpc: rpc("o1"), source: PacketSource.RPC, data: null }));
    c.sendPacket({ source: PacketSource.RPC, data: "d", rpc: rpc("o2"), channel: null, timestamp: null, correlation_id: "k" } as never);
    for (const id of ["o1", "o2"]) {
      const p = await c.waitFor((x) => x.rpc?.call_id === id);
      expect(p.rpc, id).toMatchObject({ type: "response", response: 7, error: null });
    }
  });

  it("keeps each server's methods apart when two servers in one process share a method name", async () => {
    class Other extends WebSocketHandler {
      @rpcMethod() add(_c: ClientConnection, a: number, b: number): string {
        return `other ${a + b}`;
      }
    }
    await using one = await startServer({ handler: new TestHandler() });
    await using two = await startServer({ handler: new Other() });
    await using c1 = await RawClient.connect(one.url);
    await using c2 = await RawClient.connect(two.url);
    for (let i = 0; i < 3; i++) {
      expect((await c1.call("add", [1, i])).response).toBe(1 + i);
      expect((await c2.call("add", [1, i])).response).toBe(`other ${1 + i}`);
      expect((await c2.call("multiply", [2, 2])).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
      expect((await c1.call("multiply", [2, 2])).response).toBe(4);
    }
  });

  it("keeps answers, direct sends and publishes in order when requests arrive in one read", async () => {
    class Ordered extends WebSocketHandler {
      @rpcMethod() plain(_c: ClientConnection, tag: string): string {
        return tag;
      }
      @rpcMethod() sends(c: ClientConnection, tag: string): string {
        c.send(`sent ${tag}`);
        return tag;
      }
      @rpcMethod() publishes(c: ClientConnection, tag: string): string {
        void this.publish("room", `published ${tag}`);
        return tag;
      }
      @rpcMethod() join(c: ClientConnection): boolean {
        return c.subscribe("room");
      }
    }
    await using server = await startServer({ handler: new Ordered() });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("join")).response).toBe(true);
    const from = c.packets.length;
    const request = (method: string, tag: string) => createRequest(method, [tag], {}, tag);
    // The first answer of the turn goes at once, the later ones wait for its end: a direct send must not pass them.
    c.sendTogether([request("plain", "a"), request("plain", "b"), request("sends", "c"), request("publishes", "d"), request("plain", "e")]);
    await c.waitUntil(() => c.packets.length >= from + 7);
    const seen = c.packets.slice(from).map((p) => (p.rpc?.type === "response" ? `answer ${String(p.rpc.response)}` : String(p.data)));
    expect(seen).toEqual(["answer a", "answer b", "sent c", "answer c", "answer d", "answer e", "published d"]);
  });

  it("hides aliased names, non-RPC methods and unknown names behind METHOD_NOT_FOUND", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    for (const name of ["mul", "internal", "nope", "constructor", "onConnect", "publish"]) {
      const r = await c.call(name, []);
      expect(r.error, name).toBe(RPCErrorCode.METHOD_NOT_FOUND);
      expect(r.response).toBe(`RPC method '${name}' not found.`);
    }
  });

  it("answers INVALID_PARAMS for wrong arity, unknown kwargs and failed schemas", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const cases: Array<[string, unknown[], Record<string, unknown>, RegExp]> = [
      ["strictAdd", [1], {}, /missing required argument 'b'/],
      ["add", [1, 2, 3], {}, /takes 2 arguments but 3 were given/],
      ["add", [1, 2], { c: 1 }, /unexpected keyword argument 'c'/],
      ["add", [1, 2], { a: 1 }, /multiple values for argument 'a'/],
      ["strictAdd", [1, "2"], {}, /argument 'b'.*Expected number/],
    ];
    for (const [method, args, kwargs, pattern] of cases) {
      const r = await c.call(method, args, kwargs);
      expect(r.error, method).toBe(RPCErrorCode.INVALID_PARAMS);
      expect(String(r.response)).toMatch(pattern);
    }
    expect((await c.call("strictAdd", [1, 2])).response).toBe(3);
  });

  it("turns RPCError into APPLICATION_ERROR and hides other errors as INTERNAL_SERVER_ERROR", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    const app = await c.call("fail", ["nope"]);
    expect(app).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR, response: "nope" });
    const crash = await c.call("crash");
    expect(crash.error).toBe(RPCErrorCode.INTERNAL_SERVER_ERROR);
    expect(JSON.stringify(crash)).not.toMatch(/secret internal detail|at .*\.ts/);
    expect(handler.errors).toHaveLength(1);
    expect((await c.call("add", [1, 1])).response).toBe(2);
  });

  it("runs calls from one connection concurrently", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    const slowId = c.request("slow", ["first"]);
    expect((await c.call("add", [1, 2])).response).toBe(3);
    expect(c.packets.some((p) => p.rpc?.call_id === slowId)).toBe(false);
    await vi.waitFor(() => expect(handler.release).toBeDefined());
    handler.release?.();
    expect((await c.collect(slowId))[0]?.response).toBe("first");
  });

  it("bounds running calls per connection by rpcTaskLimit", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler, rpcTaskLimit: 1 });
    await using c = await RawClient.connect(server.url);
    const first = c.request("slow", ["a"]);
    const r = await c.call("add", [1, 2]);
    expect(r.error).toBe(RPCErrorCode.RATE_LIMIT_EXCEEDED);
    expect(String(r.response)).toMatch(/limit 1/);
    await vi.waitFor(() => expect(handler.release).toBeDefined());
    handler.release?.();
    await c.collect(first);
    expect((await c.call("add", [1, 2])).response).toBe(3);
  });

  it("round-trips rich values: bytes, big integers, nested maps, unicode", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const value = { bytes: new Uint8Array([0, 1, 255]), big: 2n ** 60n + 1n, nested: { a: [1, { b: "ü😀" }] } };
    const r = await c.call("echo", [value]);
    expect(r.response).toEqual({ ...value, bytes: expect.any(Uint8Array) });
    expect([...(r.response as { bytes: Uint8Array }).bytes]).toEqual([0, 1, 255]);
  });
});

describe("generic JSON clients", () => {
  it("answer the seed's request without call_id, in binary frames by default", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    c.sendRaw(JSON.stringify({ rpc: { type: "request", method: "add", args: [10, 20], kwargs: {} }, source: 5 }), false);
    const p = await c.waitFor((x) => x.rpc?.type === "response");
    expect((p.rpc as { response: unknown }).response).toBe(30);
    expect(c.frames[0]?.binary).toBe(true);
  });

  it("can get text frames instead", async () => {
    await using server = await startServer({ handler: new TestHandler(), jsonBinaryFrames: false });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    expect((await c.call("add", [1, 2])).response).toBe(3);
    expect(c.frames[0]?.binary).toBe(false);
  });

  it("answers a malformed RPC request with INVALID_PARAMS and keeps serving", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    c.sendRaw(JSON.stringify({ source: 5, rpc: { type: "request", method: 42, call_id: "x1" } }), false);
    const p = await c.waitFor((x) => x.rpc?.call_id === "x1");
    expect(p.rpc).toMatchObject({ error: RPCErrorCode.INVALID_PARAMS });
    expect(String((p.rpc as { response: unknown }).response)).toMatch(/method/);
    expect((await c.call("add", [1, 2])).response).toBe(3);
  });

  it("hands non-RPC and unknown packets to onReceive", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    c.sendRaw(JSON.stringify({ source: 4, data: { hi: 1 } }), false);
    c.sendRaw("this is not json", false);
    const echoes = [await c.waitFor((p) => p.source === PacketSource.CUSTOM), await c.waitFor((p) => p.source === PacketSource.CUSTOM)];
    expect(echoes.map((p) => p.data)).toEqual([
      { echo: { hi: 1 }, source: PacketSource.CUSTOM },
      { echo: "this is not json", source: PacketSource.UNKNOWN },
    ]);
  });
});
