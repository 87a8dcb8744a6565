// The optional `position` field (PROTOCOL.md § 12) through every reader and writer: both codecs' fast and
// general paths and the client's wire codecs agree, and a packet without one is written as before.
import { describe, expect, it } from "vitest";
import { PacketSource } from "../enums.js";
import { createPacket, type Packet } from "../packet.js";
import { toPacket } from "../validate.js";
import type { Codec } from "./codec.js";
import { jsonCodec } from "./json.js";
import { decodeJsonPacket } from "./jsonPacketBytes.js";
import { jsonWire } from "./jsonWire.js";
import { msgpackCodec } from "./msgpack.js";
import { decodeUsualPacket } from "./msgpackPacket.js";
import { msgpackWire } from "./msgpackWire.js";
import type { WireCodec } from "./wireCodec.js";

const CASES: Array<[string, Codec, WireCodec, (bytes: Uint8Array) => Packet | undefined]> = [
  ["msgpack", msgpackCodec, msgpackWire, decodeUsualPacket],
  ["json", jsonCodec, jsonWire, decodeJsonPacket],
];

function channelPacket(i: number, position?: [string, number]): Packet {
  const data = i % 3 === 0 ? { n: i, s: "x".repeat(i % 40) } : i % 3 === 1 ? [i, null, true] : `text ${i}`;
  return createPacket(PacketSource.CHANNEL, { channel: `room.${i}`, data, timestamp: 1_700_000_000 + i / 8, correlation_id: i % 2 === 0 ? null : `c${i}`, ...(position && { position }) });
}

describe.each(CASES)("%s position", (_name, codec, wire, fast) => {
  it("round-trips through the fast path, the general path and the client's codec, all agreeing", () => {
    for (let i = 0; i < 200; i++) {
      const offset = i < 100 ? i : Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
      const packet = channelPacket(i, [Math.random().toString(36).slice(2, 14), offset]);
      const bytes = codec.encode(packet);
      const quick = fast(bytes);
      // The fast paths read any small offset; a very large number may be left to the general path (JSON).
      if (offset < 2 ** 31 || quick !== undefined) expect(quick).toEqual(packet);
      expect(codec.decodeDetailed(bytes)).toEqual({ packet, error: undefined });
      expect(toPacket(codec.decodeValue(bytes)).packet).toEqual(packet);
      expect(wire.decode(bytes)).toEqual(packet);
      expect(Buffer.from(asBytes(wire.encode(packet)))).toEqual(Buffer.from(bytes));
    }
  });

  it("leaves a packet without a position exactly as before: no field, one fewer map entry", () => {
    const plain = channelPacket(7);
    const bytes = codec.encode(plain);
    expect(Object.keys(codec.decodeValue(bytes) as object)).toEqual(["source", "data", "rpc", "channel", "timestamp", "correlation_id"]);
    const decoded = codec.decode(bytes);
    expect("position" in decoded).toBe(false);
    const positioned = codec.encode(channelPacket(7, ["e", 1]));
    expect(Object.keys(codec.decodeValue(positioned) as object).at(-1)).toBe("position");
  });

  it("refuses a malformed position (UNKNOWN), whatever the path", () => {
    for (const position of [["e"], ["e", -1], ["e", 1.5], [1, 2], ["e", 1, 2], "e:1", null]) {
      const value = { ...channelPacket(3), position };
      const bytes = codec.encodeValue(value);
      expect(fast(bytes), JSON.stringify(position)).toBeUndefined();
      expect(codec.decode(bytes).source, JSON.stringify(position)).toBe(PacketSource.UNKNOWN);
      expect(wire.decode(bytes).source, JSON.stringify(position)).toBe(PacketSource.UNKNOWN);
    }
  });
});

const asBytes = (frame: string | Uint8Array): Uint8Array => (typeof frame === "string" ? new TextEncoder().encode(frame) : frame);
