import {
  ConnectionClosedError,
  createResponse,
  PacketSource,
  RateLimitError,
  RPCError,
  RPCErrorCode,
  RPCMethodNotFoundError,
  RPCTimeoutError,
} from "@webshocket/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeClient } from "../test/helpers/fakeClient.js";
import { FakeSocket } from "../test/helpers/fakeSocket.js";
import { CANCEL_METHOD } from "./pending.js";

beforeEach(() => FakeSocket.reset());
afterEach(() => vi.useRealTimers());

describe("sendRpc / call", () => {
  it("sends a request and resolves with the response packet", async () => {
    const { client, socket } = await fakeClient();
    const result = client.sendRpc<number>("add", 10, 20);
    const [req] = socket.requests;
    expect(req).toMatchObject({ type: "request", method: "add", args: [10, 20], kwargs: {} });
    socket.push(createResponse(req!.call_id, 30));
    const packet = await result;
    expect(packet.source).toBe(PacketSource.RPC);
    expect(packet.data).toBe(30);
    expect(packet.rpc.error).toBeNull();
    await client.close();
  });

  it("sends kwargs and fills data from rpc.response when a server leaves it empty", async () => {
    const { client, socket } = await fakeClient();
    const result = client.call("greet", ["a"], { kwargs: { punctuation: "!" } });
    const [req] = socket.requests;
    expect(req).toMatchObject({ method: "greet", args: ["a"], kwargs: { punctuation: "!" } });
    const reply = createResponse(req!.call_id, "hi a!");
    reply.data = null;
    socket.push(reply);
    expect((await result).data).toBe("hi a!");
    await client.close();
  });

  it("does not throw on error responses by default", async () => {
    const { client, socket } = await fakeClient();
    const result = client.sendRpc("nope");
    socket.push(createResponse(socket.requests[0]!.call_id, "RPC method 'nope' not found.", { error: RPCErrorCode.METHOD_NOT_FOUND }));
    const packet = await result;
    expect(packet.rpc.error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    expect(packet.data).toBe("RPC method 'nope' not found.");
    await client.close();
  });

  it("raises RateLimitError with raiseOnRateLimit, and RPCError subclasses with raiseOnError", async () => {
    const { client, socket } = await fakeClient();
    const limited = client.call("hot", [], { raiseOnRateLimit: true });
    const plain = client.call("hot", []);
    const missing = client.call("nope", [], { raiseOnError: true });
    const failing = client.call("boom", [], { raiseOnError: true });
    const [r1, r2, r3, r4] = socket.requests;
    socket.push(createResponse(r1!.call_id, "slow down", { error: RPCErrorCode.RATE_LIMIT_EXCEEDED }));
    socket.push(createResponse(r2!.call_id, "slow down", { error: RPCErrorCode.RATE_LIMIT_EXCEEDED }));
    socket.push(createResponse(r3!.call_id, "missing", { error: RPCErrorCode.METHOD_NOT_FOUND }));
    socket.push(createResponse(r4!.call_id, "bad thing", { error: RPCErrorCode.APPLICATION_ERROR }));
    await expect(limited).rejects.toBeInstanceOf(RateLimitError);
    expect((await plain).rpc.error).toBe(RPCErrorCode.RATE_LIMIT_EXCEEDED);
    await expect(missing).rejects.toBeInstanceOf(RPCMethodNotFoundError);
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RPCError);
    expect(error).toMatchObject({ message: "bad thing", rpcCode: RPCErrorCode.APPLICATION_ERROR });
    await client.close();
  });

  it("times out with RPCTimeoutError and cancels the call on the server", async () => {
    const { client, socket } = await fakeClient({ rpcTimeout: "5s" });
    vi.useFakeTimers();
    const result = expect(client.sendRpc("slow")).rejects.toBeInstanceOf(RPCTimeoutError);
    const quick = expect(client.call("slow", [], { timeout: 1 })).rejects.toBeInstanceOf(RPCTimeoutError);
    await vi.advanceTimersByTimeAsync(1000);
    await quick;
    await vi.advanceTimersByTimeAsync(4000);
    await result;
    const [first, second, cancel1, cancel2] = socket.packets;
    expect(cancel1).toMatchObject({ source: PacketSource.RPC, rpc: { type: "request", method: CANCEL_METHOD, args: [second!.rpc!.call_id], kwargs: {} } });
    expect(cancel2!.rpc).toMatchObject({ method: "$cancel", args: [first!.rpc!.call_id] });
    expect(cancel2!.rpc!.call_id).not.toBe(first!.rpc!.call_id);
    // A late answer is dropped.
    socket.push(createResponse(first!.rpc!.call_id, 1));
    expect(client.queuedPackets).toBe(0);
    vi.useRealTimers();
    await client.close();
  });

  it("rejects calls in flight at once with ConnectionClosedError when the socket drops", async () => {
    const { client, socket } = await fakeClient({ rpcTimeout: null });
    const a = client.sendRpc("forever");
    const b = client.call("forever", [], { timeout: "1h" });
    socket.drop(1011, "server error");
    const error = await a.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toMatchObject({ closeCode: 1011, reason: "server error" });
    await expect(b).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.sendRpc("after")).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("aborts with signal.reason and cancels on the server", async () => {
    const { client, socket } = await fakeClient();
    const ac = new AbortController();
    const result = client.call("slow", [], { signal: ac.signal });
    ac.abort(new Error("user gave up"));
    await expect(result).rejects.toThrow("user gave up");
    expect(socket.requests.map((r) => r.method)).toEqual(["slow", "$cancel"]);
    await expect(client.call("x", [], { signal: ac.signal })).rejects.toThrow("user gave up");
    await client.close();
  });

  it("answers with the first chunk when the method streams, and cancels the rest", async () => {
    const { client, socket } = await fakeClient();
    const result = client.sendRpc("count_to", 3);
    const id = socket.requests[0]!.call_id;
    socket.push(createResponse(id, 1, { isStream: true }));
    expect((await result).data).toBe(1);
    expect(socket.requests.at(-1)).toMatchObject({ method: "$cancel", args: [id] });
    await client.close();
  });
});
