import { afterEach, describe, expect, it, vi } from "vitest";
import { orderedPacket } from "./codecs/codec.js";
import { PacketSource, RPCErrorCode } from "./enums.js";
import { createPacket, createRequest, createResponse, holdTimestamp, isRequestPacket, isResponsePacket, nowTimestamp, releaseTimestamp, type Packet } from "./packet.js";

describe("packet builders", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("createPacket fills defaults and stamps the time in seconds", () => {
    vi.useFakeTimers({ now: 1_700_000_000_250 });
    expect(nowTimestamp()).toBe(1_700_000_000.25);
    expect(createPacket(PacketSource.CUSTOM)).toEqual({
      source: 4,
      data: null,
      rpc: null,
      channel: null,
      timestamp: 1_700_000_000.25,
      correlation_id: null,
    });
    expect(createPacket(PacketSource.CUSTOM, { timestamp: null }).timestamp).toBeNull();
    const fields = { channel: "c", data: 0, correlation_id: "x" };
    expect(createPacket(PacketSource.CHANNEL, fields)).toMatchObject(fields);
  });

  it("holdTimestamp keeps one clock reading until releaseTimestamp", () => {
    vi.useFakeTimers({ now: 1_700_000_000_250 });
    holdTimestamp();
    try {
      vi.setSystemTime(1_700_000_009_000);
      expect(nowTimestamp()).toBe(1_700_000_000.25);
      expect(createPacket(PacketSource.CUSTOM).timestamp).toBe(1_700_000_000.25);
    } finally {
      releaseTimestamp();
    }
    expect(nowTimestamp()).toBe(1_700_000_009);
  });

  it("createRequest builds a source-5 request", () => {
    const p = createRequest("add", [10, 20], { x: 1 }, "id");
    expect(p.source).toBe(PacketSource.RPC);
    expect(p.rpc).toEqual({ type: "request", method: "add", args: [10, 20], kwargs: { x: 1 }, call_id: "id" });
    expect(createRequest("ping", undefined, undefined, "id2").rpc).toMatchObject({ args: [], kwargs: {} });
  });

  it("createResponse carries the result once, in rpc.response (data null), and defaults the flags", () => {
    const p = createResponse("id", { sum: 30 });
    expect(p.data).toBeNull();
    expect(p.rpc).toEqual({ type: "response", call_id: "id", response: { sum: 30 }, error: null, is_stream: false, is_end: false });
    const e = createResponse("id", "nope", { error: RPCErrorCode.ACCESS_DENIED, isStream: true, isEnd: true });
    expect(e.rpc).toMatchObject({ response: "nope", error: -32002, is_stream: true, is_end: true });
    expect(e.data).toBeNull();
  });

  it("type guards tell requests, responses and plain packets apart", () => {
    const req = createRequest("m", [], {}, "a");
    const res = createResponse("a", 1);
    const plain = createPacket(PacketSource.BROADCAST, { data: 1 });
    expect([isRequestPacket(req), isRequestPacket(res), isRequestPacket(plain)]).toEqual([true, false, false]);
    expect([isResponsePacket(req), isResponsePacket(res), isResponsePacket(plain)]).toEqual([false, true, false]);
  });
});

describe("orderedPacket", () => {
  it("writes fields in declaration order, type first inside rpc, nulls for missing fields", () => {
    const loose = { rpc: { call_id: "c", method: "m", type: "request" }, source: 5 } as unknown as Packet;
    const ordered = orderedPacket(loose);
    expect(Object.keys(ordered)).toEqual(["source", "data", "rpc", "channel", "timestamp", "correlation_id"]);
    expect(ordered.rpc).toEqual({ type: "request", method: "m", args: [], kwargs: {}, call_id: "c" });
    expect(Object.keys(ordered.rpc as object)).toEqual(["type", "method", "args", "kwargs", "call_id"]);
    const res = orderedPacket({ ...createResponse("c", undefined), timestamp: 1 });
    expect(Object.keys(res.rpc as object)).toEqual(["type", "call_id", "response", "error", "is_stream", "is_end"]);
    expect(res).toMatchObject({ data: null, rpc: { response: null } });
  });

  it("drops fields that are not part of the wire format", () => {
    const extra = { ...createPacket(PacketSource.CUSTOM, { timestamp: 1 }), secret: "x" } as Packet;
    expect(orderedPacket(extra)).not.toHaveProperty("secret");
  });
});
