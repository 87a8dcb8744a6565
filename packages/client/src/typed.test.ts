import { createResponse, RateLimitError, RPCError, RPCErrorCode, RPCTimeoutError } from "@webshocket/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeClient, nthRequest } from "../test/helpers/fakeClient.js";
import { FakeSocket } from "../test/helpers/fakeSocket.js";
import type { MathHandler } from "../test/helpers/handlerShape.js";

beforeEach(() => FakeSocket.reset());
afterEach(() => vi.useRealTimers());

describe("typed API (runtime)", () => {
  it("sends at call time and resolves to the result value", async () => {
    const { client, socket } = await fakeClient();
    const api = client.typed<MathHandler>();
    const sum = api.add(10, 20);
    expect(socket.requests[0]).toMatchObject({ method: "add", args: [10, 20] });
    socket.push(createResponse(socket.requests[0]!.call_id, 30));
    expect(await sum).toBe(30);
    void api.say("room", "fire and forget");
    expect(socket.requests[1]).toMatchObject({ method: "say", args: ["room", "fire and forget"] });
    await client.close();
  });

  it("throws RPCError (and subclasses) on error responses", async () => {
    const { client, socket } = await fakeClient();
    const api = client.typed<MathHandler>();
    const failing = api.add(1, 2);
    const limited = api.ping();
    socket.push(createResponse(socket.requests[0]!.call_id, "bad", { error: RPCErrorCode.INVALID_PARAMS }));
    socket.push(createResponse(socket.requests[1]!.call_id, "slow", { error: RPCErrorCode.RATE_LIMIT_EXCEEDED }));
    await expect(failing).rejects.toMatchObject({ rpcCode: RPCErrorCode.INVALID_PARAMS, message: "bad" });
    await expect(failing).rejects.toBeInstanceOf(RPCError);
    await expect(limited).rejects.toBeInstanceOf(RateLimitError);
    await client.close();
  });

  it("iterates async-generator methods as their yielded values and cancels on break", async () => {
    const { client, socket } = await fakeClient();
    const api = client.typed<MathHandler>();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const n of api.count_to(10)) {
        seen.push(n);
        if (n === 2) break;
      }
    })();
    const id = await nthRequest(socket, 1);
    for (const v of [1, 2, 3]) socket.push(createResponse(id, v, { isStream: true }));
    await loop;
    expect(seen).toEqual([1, 2]);
    expect(socket.requests.at(-1)).toMatchObject({ method: "$cancel", args: [id] });
    await client.close();
  });

  it("maps aliases to wire names", async () => {
    const { client, socket } = await fakeClient();
    const api = client.typed<MathHandler>({ aliases: { mul: "multiply" } });
    const product = api.mul(3, 7);
    expect(socket.requests[0]).toMatchObject({ method: "multiply", args: [3, 7] });
    socket.push(createResponse(socket.requests[0]!.call_id, 21));
    expect(await product).toBe(21);
    await client.close();
  });

  it("times out awaited calls with the client's rpcTimeout (or the typed timeout)", async () => {
    const { client, socket } = await fakeClient({ rpcTimeout: 1 });
    vi.useFakeTimers();
    const slow = expect(client.typed<MathHandler>().ping()).rejects.toBeInstanceOf(RPCTimeoutError);
    const slower = expect(client.typed<MathHandler>({ timeout: "3s" }).ping()).rejects.toBeInstanceOf(RPCTimeoutError);
    await vi.advanceTimersByTimeAsync(1000);
    await slow;
    await vi.advanceTimersByTimeAsync(2000);
    await slower;
    vi.useRealTimers();
    expect(socket.requests.filter((r) => r.method === "$cancel")).toHaveLength(2);
    await client.close();
  });

  it("is not thenable itself, and rejects awaiting a streaming method", async () => {
    const { client, socket } = await fakeClient();
    const api = client.typed<MathHandler>();
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(api)).toBe(api);
    const awaited = api.count_to(3) as unknown as Promise<unknown>;
    const id = await nthRequest(socket, 1);
    socket.push(createResponse(id, 1, { isStream: true }));
    await expect(awaited).rejects.toThrow(/iterate it/);
    expect(socket.requests.at(-1)).toMatchObject({ method: "$cancel", args: [id] });
    await client.close();
  });

  it("surfaces 'not connected' when the call is consumed", async () => {
    const { client } = await fakeClient();
    await client.close();
    await expect(client.typed<MathHandler>().add(1, 2)).rejects.toThrow(/Not connected/);
  });
});
