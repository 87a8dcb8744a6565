import { describe, expect, it } from "vitest";
import { fuzzCases, prng, randomValue } from "../../test/randomValues.js";
import { PacketSource } from "../enums.js";
import { createPacket, createRequest, createResponse, type Packet } from "../packet.js";
import { toPacket } from "../validate.js";
import { decodeMsgpack } from "./msgpackDecode.js";
import { encodeMsgpackValue } from "./msgpackEncode.js";
import { msgpackCodec } from "./msgpack.js";
import { decodeUsualPacket } from "./msgpackPacket.js";

/** The general path: decode, then the compiled schema. */
function general(bytes: Uint8Array): ReturnType<typeof toPacket> | "throws" {
  try {
    return toPacket(decodeMsgpack(bytes));
  } catch {
    return "throws";
  }
}

describe("decodeUsualPacket (the fast path)", () => {
  const usual: Array<[string, Packet]> = [
    ["request", createRequest("add", [1, 1001], {}, "c001")],
    ["request with kwargs and nested args", createRequest("m", [{ a: [1, "x"] }, null], { k: { deep: true } }, "id-1")],
    ["channel packet", createPacket(PacketSource.CHANNEL, { data: { text: "hi" }, channel: "room", correlation_id: "k" })],
    ["custom packet, null timestamp", createPacket(PacketSource.CUSTOM, { data: "x", timestamp: null })],
    ["integer timestamp", createPacket(PacketSource.BROADCAST, { data: 1, timestamp: 1_700_000_000 })],
  ];
  it.each(usual)("takes %s and builds what the general path builds", (_name, packet) => {
    const bytes = msgpackCodec.encode(packet);
    const fast = decodeUsualPacket(bytes);
    expect(fast).toBeDefined();
    expect(fast).toEqual((general(bytes) as ReturnType<typeof toPacket>).packet);
  });

  it.each<[string, unknown]>([
    ["a response (left to the general path)", createResponse("c", 1)],
    ["fields in another order", { rpc: null, source: 2, data: 1, channel: null, timestamp: null, correlation_id: null }],
    ["a missing field", { source: 5, rpc: { type: "request", method: "m", args: [], kwargs: {}, call_id: "c" } }],
    ["an extra field", { source: 2, data: 1, rpc: null, channel: null, timestamp: null, correlation_id: null, x: 1 }],
    ["source out of range", { source: 9, data: 1, rpc: null, channel: null, timestamp: null, correlation_id: null }],
    ["channel not a string", { source: 2, data: 1, rpc: null, channel: 5, timestamp: null, correlation_id: null }],
    ["timestamp not a number", { source: 2, data: 1, rpc: null, channel: null, timestamp: "now", correlation_id: null }],
    ["method not a string", { source: 5, data: null, rpc: { type: "request", method: 1, args: [], kwargs: {}, call_id: "c" }, channel: null, timestamp: null, correlation_id: null }],
    ["args not an array", { source: 5, data: null, rpc: { type: "request", method: "m", args: {}, kwargs: {}, call_id: "c" }, channel: null, timestamp: null, correlation_id: null }],
    ["kwargs not a map", { source: 5, data: null, rpc: { type: "request", method: "m", args: [], kwargs: [], call_id: "c" }, channel: null, timestamp: null, correlation_id: null }],
  ])("leaves %s to the general path", (_name, value) => {
    expect(decodeUsualPacket(encodeMsgpackValue(value))).toBeUndefined();
  });

  it("never accepts what the general path refuses, and agrees where it accepts (random and mutated input)", () => {
    const rand = prng(0xfa57);
    const packets = fuzzCases(3_000);
    let taken = 0;
    for (let i = 0; i < packets; i++) {
      const v = randomValue(rand, 2);
      const packet = i % 2 === 0 ? createRequest("m", [v], { k: v }, `c${i}`) : createPacket(PacketSource.CHANNEL, { data: v, channel: "c" });
      const bytes = msgpackCodec.encode(packet).slice();
      for (let k = 0; k < (i % 3); k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const fast = decodeUsualPacket(bytes);
      if (fast === undefined) continue;
      taken++;
      const slow = general(bytes);
      expect(slow, `case ${i}`).not.toBe("throws");
      expect((slow as ReturnType<typeof toPacket>).error, `case ${i}`).toBeUndefined();
      expect(fast, `case ${i}`).toEqual((slow as ReturnType<typeof toPacket>).packet);
    }
    expect(taken).toBeGreaterThan(packets / 3); // the unmutated third (and more) took the fast path
  });

  it("leaves packets larger than its 4 KiB scratch copy to the general path, and reads the next small one afresh", () => {
    const big = msgpackCodec.encode(createRequest("m", ["x".repeat(5000)], {}, "big"));
    expect(decodeUsualPacket(big)).toBeUndefined();
    expect(msgpackCodec.decode(big).rpc).toMatchObject({ method: "m", args: ["x".repeat(5000)], call_id: "big" });
    const small = msgpackCodec.encode(createRequest("add", [1, 2], {}, "s"));
    expect(decodeUsualPacket(small)?.rpc).toEqual({ type: "request", method: "add", args: [1, 2], kwargs: {}, call_id: "s" });
  });

  it("is what msgpackCodec.decodeDetailed uses, and never throws on truncated input", () => {
    const bytes = msgpackCodec.encode(createRequest("add", [1, 2], {}, "c1"));
    for (let n = 0; n < bytes.length; n++) expect(decodeUsualPacket(bytes.subarray(0, n))).toBeUndefined();
    expect(msgpackCodec.decodeDetailed(bytes).packet.rpc).toEqual({ type: "request", method: "add", args: [1, 2], kwargs: {}, call_id: "c1" });
  });
});
