import {
  ConnectionClosedError,
  createResponse,
  RateLimitError,
  RPCError,
  RPCErrorCode,
  RPCTimeoutError,
  StreamOverflowError,
} from "@webshocket/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeClient, nthRequest } from "../test/helpers/fakeClient.js";
import { FakeSocket } from "../test/helpers/fakeSocket.js";

beforeEach(() => FakeSocket.reset());
afterEach(() => vi.useRealTimers());

const chunk = (id: string, v: unknown) => createResponse(id, v, { isStream: true });
const end = (id: string) => createResponse(id, null, { isStream: true, isEnd: true });

describe("streamRpc / stream", () => {
  it("is lazy, yields chunks in order, and ends on is_end without yielding it", async () => {
    const { client, socket } = await fakeClient();
    const stream = client.streamRpc<number>("count_to", 3);
    expect(socket.requests).toHaveLength(0);
    const seen: number[] = [];
    const loop = (async () => {
      for await (const packet of stream) seen.push(packet.data);
    })();
    const id = await nthRequest(socket, 1);
    expect(socket.requests[0]).toMatchObject({ method: "count_to", args: [3] });
    for (const v of [1, 2, 3]) socket.push(chunk(id, v));
    socket.push(end(id));
    await loop;
    expect(seen).toEqual([1, 2, 3]);
    expect(socket.requests).toHaveLength(1); // no cancel after a natural end
    await client.close();
  });

  it("cancels on the server when the loop is left early", async () => {
    const { client, socket } = await fakeClient();
    const stream = client.stream<number>("count_to", [100]);
    const first = stream.next();
    const id = await nthRequest(socket, 1);
    socket.push(chunk(id, 1));
    socket.push(chunk(id, 2));
    expect((await first).value?.data).toBe(1);
    await stream.return();
    const cancel = socket.packets.at(-1);
    expect(cancel).toMatchObject({ source: 5, rpc: { type: "request", method: "$cancel", args: [id], kwargs: {} } });
    expect(typeof cancel?.rpc?.call_id).toBe("string");
    expect(cancel?.rpc?.call_id).not.toBe(id);
    socket.push(chunk(id, 3)); // late chunks are dropped
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    await client.close();
  });

  it("throws RPCError for an error mid-stream, after the chunks before it", async () => {
    const { client, socket } = await fakeClient();
    const seen: unknown[] = [];
    const loop = (async () => {
      for await (const p of client.streamRpc("feed")) seen.push(p.data);
    })();
    const id = await nthRequest(socket, 1);
    socket.push(chunk(id, "a"));
    socket.push(createResponse(id, "it broke", { error: RPCErrorCode.APPLICATION_ERROR, isStream: true, isEnd: true }));
    const error = await loop.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RPCError);
    expect(error).toMatchObject({ message: "it broke", rpcCode: RPCErrorCode.APPLICATION_ERROR });
    expect(seen).toEqual(["a"]);
    await client.close();
  });

  it("throws RateLimitError by default; yields the error packet with raiseOnRateLimit: false", async () => {
    const { client, socket } = await fakeClient();
    const strict = client.streamRpc("hot").next();
    const id1 = await nthRequest(socket, 1);
    socket.push(createResponse(id1, "slow down", { error: RPCErrorCode.RATE_LIMIT_EXCEEDED, isStream: true, isEnd: true }));
    await expect(strict).rejects.toBeInstanceOf(RateLimitError);

    const lenient: unknown[] = [];
    const loop = (async () => {
      for await (const p of client.stream("hot", [], { raiseOnRateLimit: false })) lenient.push(p.rpc.error);
    })();
    const id2 = await nthRequest(socket, 2);
    socket.push(createResponse(id2, "slow down", { error: RPCErrorCode.RATE_LIMIT_EXCEEDED, isStream: true, isEnd: true }));
    await loop;
    expect(lenient).toEqual([RPCErrorCode.RATE_LIMIT_EXCEEDED]);
    await client.close();
  });

  it("treats a plain response as a one-item stream", async () => {
    const { client, socket } = await fakeClient();
    const items: unknown[] = [];
    const loop = (async () => {
      for await (const p of client.streamRpc("add", 1, 2)) items.push(p.data);
    })();
    socket.push(createResponse(await nthRequest(socket, 1), 3));
    await loop;
    expect(items).toEqual([3]);
    await client.close();
  });

  it("aborts with signal.reason and cancels on the server", async () => {
    const { client, socket } = await fakeClient();
    const ac = new AbortController();
    const next = client.stream("feed", [], { signal: ac.signal }).next();
    const id = await nthRequest(socket, 1);
    ac.abort(new Error("stop"));
    await expect(next).rejects.toThrow("stop");
    expect(socket.requests.at(-1)).toMatchObject({ method: "$cancel", args: [id] });
    await client.close();
  });

  it("times out between chunks when a timeout is given, cancelling the stream", async () => {
    const { client, socket } = await fakeClient();
    vi.useFakeTimers();
    const next = expect(client.stream("feed", [], { timeout: "2s" }).next()).rejects.toBeInstanceOf(RPCTimeoutError);
    await vi.advanceTimersByTimeAsync(2000);
    await next;
    expect(socket.requests.map((r) => r.method)).toEqual(["feed", "$cancel"]);
    vi.useRealTimers();
    await client.close();
  });

  it("rejects a waiting loop at once when the socket drops", async () => {
    const { client, socket } = await fakeClient();
    const next = client.streamRpc("feed").next();
    await nthRequest(socket, 1);
    socket.drop();
    await expect(next).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("queues concurrent next() calls like an async generator", async () => {
    const { client, socket } = await fakeClient();
    const stream = client.streamRpc("feed");
    const [a, b, c] = [stream.next(), stream.next(), stream.next()];
    const id = await nthRequest(socket, 1);
    socket.push(chunk(id, "x"));
    socket.push(createResponse(id, "boom", { error: RPCErrorCode.APPLICATION_ERROR, isStream: true, isEnd: true }));
    expect((await a).value?.data).toBe("x");
    await expect(b).rejects.toThrow("boom");
    expect(await c).toEqual({ value: undefined, done: true });
    await client.close();
  });

  it("rejects when not connected", async () => {
    const { client } = await fakeClient();
    await client.close();
    await expect(client.streamRpc("feed").next()).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe("stream flow control", () => {
  const credits = (socket: FakeSocket) => socket.requests.filter((r) => r.method === "$credit").map((r) => r.args);

  it("grants the window just ahead of the request, then half a window per half window read", async () => {
    const window = 2 + Math.floor(Math.random() * 40);
    const batch = Math.ceil(window / 2);
    const { client, socket } = await fakeClient({ streamWindow: window });
    const stream = client.stream<number>("count_to", [1e9]);
    stream.start();
    const id = await nthRequest(socket, 2);
    expect(socket.requests.map((r) => r.method)).toEqual(["$credit", "count_to"]);
    expect(credits(socket)).toEqual([[id, window]]);
    // The test plays a server that sends exactly what it was granted.
    const granted = () => credits(socket).reduce((sum, args) => sum + (args[1] as number), 0);
    let sent = 0;
    const send = () => {
      while (sent < granted()) socket.push(chunk(id, ++sent));
    };
    send();
    expect(stream.buffered).toBe(window);
    const reads = window + Math.floor(Math.random() * 3 * window);
    for (let i = 1; i <= reads; i++) {
      expect((await stream.next()).value?.data).toBe(i);
      send();
      expect(stream.buffered).toBeLessThanOrEqual(window);
    }
    expect(credits(socket).slice(1)).toEqual(Array.from({ length: Math.floor(reads / batch) }, () => [id, batch]));
    await client.close();
  });

  it("ends the stream with StreamOverflowError, after the chunks it holds, when the server sends past the window", async () => {
    const window = 1 + Math.floor(Math.random() * 20);
    const { client, socket } = await fakeClient();
    const stream = client.stream<number>("count_to", [1e9], { window });
    stream.start();
    const id = await nthRequest(socket, 2);
    for (let i = 1; i <= window + 5; i++) socket.push(chunk(id, i));
    expect(stream.buffered).toBe(window);
    expect(socket.requests.at(-1)).toMatchObject({ method: "$cancel", args: [id] });
    const seen: number[] = [];
    await expect((async () => {
      for await (const p of stream) seen.push(p.data);
    })()).rejects.toBeInstanceOf(StreamOverflowError);
    expect(seen).toEqual(Array.from({ length: window }, (_, i) => i + 1));
    await client.close();
  });

  it("a plain answer or the end needs no credit; `window: null` sends none", async () => {
    const { client, socket } = await fakeClient({ streamWindow: 4 });
    const stream = client.stream<number>("count_to", [2], { window: null });
    const first = stream.next();
    const id = await nthRequest(socket, 1);
    socket.push(chunk(id, 1));
    socket.push(end(id));
    expect((await first).value?.data).toBe(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(credits(socket)).toEqual([]);
    expect(() => client.stream("x", [], { window: 0 })).toThrow(RangeError);
    await client.close();
  });
});
