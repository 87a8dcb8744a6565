import { describe, expect, it } from "vitest";
import { prng, randomValue } from "../../test/randomValues.js";
import { PacketSource } from "../enums.js";
import { createPacket, createRequest, createResponse, type Packet } from "../packet.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";

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
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(rand, 2);
      const bytes = codec.encode(createRequest(`m${i % 5}`, [v, i], i % 4 === 0 ? { k: v } : {}, `c${i}`)).slice();
      for (let k = 0; k < (i % 3); k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const fast = codec.decodeRequest(bytes);
      if (fast === undefined) continue;
      taken++;
      const { packet, error } = codec.decodeDetailed(bytes);
      expect(error, `case ${i}`).toBeUndefined();
      expect(fast, `case ${i}`).toEqual(packet.rpc);
    }
    // Most unmutated requests (a third of the cases) take the fast path; JSON leaves strings with escapes to the general one.
    expect(taken).toBeGreaterThan(500);
  });
});
