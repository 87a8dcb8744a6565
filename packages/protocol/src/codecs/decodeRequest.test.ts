import { describe, expect, it } from "vitest";
import { fuzzCases, prng, randomValue } from "../../test/randomValues.js";
import { PacketSource } from "../enums.js";
import { createPacket, createRequest, createResponse, type Packet } from "../packet.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";
import { sameRequest } from "../../test/sameRequest.js";

/** Codec.decodeRequest, the server's fast path: the request of a plain request packet, else undefined. */
describe.each([msgpackCodec, jsonCodec])("$name decodeRequest", (codec) => {
  it("reads a plain request as decode() does", () => {
    const bytes = codec.encode(createRequest("add", [1, 2], {}, "c1"));
    expect(codec.decodeRequest(bytes)).toEqual({ type: "request", method: "add", args: [1, 2], kwargs: {}, call_id: "c1" });
    expect(codec.decodeRequest(bytes.slice().buffer)).toEqual(codec.decode(bytes).rpc);
  });

  it.each<[string, Packet]>([
    ["a channel packet", createPacket(PacketSource.CHANNEL, { data: 1, channel: "room" })],
    ["a custom packet", createPacket(PacketSource.CUSTOM, { data: { rpc: 1 } })],
    ["a response", createResponse("c", 3)],
  ])("leaves %s to decodeDetailed", (_name, packet) => {
    expect(codec.decodeRequest(codec.encode(packet))).toBeUndefined();
  });

  it.each<[string, Packet]>([
    ["a correlation id", { ...createRequest("add", [1, 2], {}, "c1"), correlation_id: "k" }],
    ["data", { ...createRequest("add", [1, 2], {}, "c1"), data: "x" }],
  ])("reads a request with %s as decode() does, or leaves it to decodeDetailed", (_name, packet) => {
    const bytes = codec.encode(packet);
    const fast = codec.decodeRequest(bytes);
    if (fast !== undefined) expect(fast).toEqual(packet.rpc);
    expect(codec.decodeDetailed(bytes)).toEqual({ packet, error: undefined });
  });

  it("leaves text frames and every truncation of a request to decodeDetailed, without throwing", () => {
    expect(codec.decodeRequest('{"source":5}')).toBeUndefined();
    const bytes = codec.encode(createRequest("add", [1, 2], {}, "c1"));
    for (let n = 0; n < bytes.length; n++) expect(codec.decodeRequest(bytes.subarray(0, n))).toBeUndefined();
  });

  it("never accepts what decodeDetailed refuses, and agrees where it accepts (random and mutated requests)", () => {
    const rand = prng(codec.name === "json" ? 0x7e57 : 0xbeef);
    const requests = fuzzCases(3_000);
    let taken = 0;
    for (let i = 0; i < requests; i++) {
      const v = randomValue(rand, 2);
      const bytes = codec.encode(createRequest(`m${i % 5}`, [v, i], i % 4 === 0 ? { k: v } : {}, `c${i}`)).slice();
      for (let k = 0; k < (i % 3); k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const fast = codec.decodeRequest(bytes);
      if (fast === undefined) continue;
      taken++;
      const { packet, error } = codec.decodeDetailed(bytes);
      expect(error, `case ${i}`).toBeUndefined();
      expect(sameRequest(fast, packet.rpc), `case ${i}`).toEqual(packet.rpc);
    }
    // Most unmutated requests (a third of the cases) take the fast path; JSON leaves strings with escapes to the general one.
    expect(taken).toBeGreaterThan(requests / 6);
  });
});

describe("msgpack decodeRequest, the shapes it reads itself", () => {
  const long = "x".repeat(40); // a str8, not a fixstr
  it.each<[string, Packet]>([
    ["keyword arguments", createRequest("add", [1], { b: 2 }, "c1")],
    ["no timestamp", { ...createRequest("add", [1, 2], {}, "c1"), timestamp: null }],
    ["a long method and call id", createRequest(long, [], {}, long)],
    ["nested arguments", createRequest("add", [{ a: [1, "é"] }, null], {}, "c1")],
  ])("reads a request with %s as decode() does", (_name, packet) => {
    const bytes = msgpackCodec.encode(packet);
    expect(msgpackCodec.decodeRequest(bytes)).toEqual(packet.rpc);
  });

  it("reads an integer timestamp, as decodeDetailed does", () => {
    const packet = { ...createRequest("add", [1, 2], {}, "c1"), timestamp: 7 };
    const bytes = msgpackCodec.encode(packet);
    expect(msgpackCodec.decodeRequest(bytes)).toEqual(packet.rpc);
    expect(msgpackCodec.decodeDetailed(bytes)).toEqual({ packet, error: undefined });
  });

  it("leaves an infinite timestamp to decodeDetailed, which refuses it", () => {
    const bytes = msgpackCodec.encode({ ...createRequest("add", [1, 2], {}, "c1"), timestamp: Number.POSITIVE_INFINITY });
    expect(msgpackCodec.decodeRequest(bytes)).toBeUndefined();
    expect(msgpackCodec.decodeDetailed(bytes).error).toBeDefined();
  });
});

describe("json decodeRequest, beyond the plain layout", () => {
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
  const rpc = '{"type":"request","method":"add","args":[1,2],"kwargs":{},"call_id":"c1"}';
  const request = { type: "request", method: "add", args: [1, 2], kwargs: {}, call_id: "c1" };

  it.each([
    ["spaces after the first field", `{"source":5, "data":null, "rpc":${rpc}, "channel":null, "timestamp":1.5, "correlation_id":null}`],
    ["another field order", `{"source":5,"rpc":${rpc},"data":null}`],
    ["data and a correlation id", `{"source":5,"data":[3],"rpc":${rpc},"channel":null,"timestamp":null,"correlation_id":"k"}`],
    ["spaces before the source", `{ "source":5,"data":null,"rpc":${rpc}}`],
    ["unknown fields", `{"source":5,"extra":{"a":[1]},"rpc":{"type":"request","x":1,"method":"add","args":[1,2],"kwargs":{},"call_id":"c1"}}`],
    ["a __proto__ field (unknown: skipped, as the schema ignores it)", `{"source":5,"rpc":${rpc},"__proto__":{"source":1}}`],
  ])("reads a request with %s through the any-order reader", (_name, text) => {
    expect(jsonCodec.decodeRequest(utf8(text))).toEqual(request);
  });

  it.each([
    ["a non-number timestamp", `{"source":5,"data":null,"rpc":${rpc},"channel":null,"timestamp":"now","correlation_id":null}`],
    ["trailing bytes", `{"source":5,"data":null,"rpc":${rpc},"channel":null,"timestamp":1,"correlation_id":null}x`],
    ["args that are not a list", `{"source":5,"data":null,"rpc":{"type":"request","method":"add","args":{},"kwargs":{},"call_id":"c1"},"channel":null,"timestamp":1,"correlation_id":null}`],
    ["an infinite timestamp", `{"source":5,"rpc":${rpc},"timestamp":1e400}`],
    ["an infinite timestamp in the client's layout", `{"source":5,"data":null,"rpc":${rpc},"channel":null,"timestamp":1e400,"correlation_id":null}`],
    ["a source out of range", `{"source":6,"rpc":${rpc}}`],
    ["no source", `{"rpc":${rpc}}`],
    ["a field given twice", `{"source":5,"rpc":${rpc},"source":5}`],
    ["a __proto__ key in the arguments", `{"source":5,"rpc":{"type":"request","method":"add","args":[{"__proto__":{}}]}}`],
  ])("leaves a request with %s to decodeDetailed", (_name, text) => {
    expect(jsonCodec.decodeRequest(utf8(text))).toBeUndefined();
  });
});
