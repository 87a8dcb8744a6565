import { describe, expect, it } from "vitest";
import { PacketSource, RPCErrorCode } from "../enums.js";
import { createPacket, createRequest, createResponse, type Packet } from "../packet.js";
import type { Codec } from "./codec.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";
import { msgpackWire } from "./msgpackWire.js";

const CODECS: ReadonlyArray<[string, Codec]> = [
  ["msgpack", msgpackCodec],
  ["json", jsonCodec],
];

/** A CUSTOM packet carrying `data`, with a fixed timestamp. */
function custom(data: unknown): Packet {
  return createPacket(PacketSource.CUSTOM, { data, timestamp: 1_700_000_000.5 });
}

/** Encodes then decodes; fails the test when decoding reports an error. */
function roundTrip(codec: Codec, packet: Packet): Packet {
  const { packet: back, error } = codec.decodeDetailed(codec.encode(packet));
  expect(error).toBeUndefined();
  return back;
}

/** `depth` arrays nested in each other, the innermost holding `leaf`. */
function nest(depth: number, leaf: unknown = 0): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const BIG = {
  above: 2n ** 53n + 1n,
  below: -(2n ** 53n) - 1n,
  i64max: 2n ** 63n - 1n,
  i64min: -(2n ** 63n),
  u64max: 2n ** 64n - 1n,
};

describe.each(CODECS)("%s round trips", (_name, codec) => {
  it("keeps every packet field", () => {
    const packets: Packet[] = [
      { ...createRequest("add", [10, 20], { round: true }, "c-1"), timestamp: 1.25, correlation_id: "k", channel: "ch" },
      { ...createResponse("c-1", { sum: 30 }, { error: null }), timestamp: 2 },
      { ...createResponse("c-2", "denied", { error: RPCErrorCode.ACCESS_DENIED }), timestamp: null },
      { ...createResponse("c-3", 1, { isStream: true }), timestamp: 3 },
      { ...createResponse("c-3", null, { isStream: true, isEnd: true }), timestamp: 4 },
      createPacket(PacketSource.CHANNEL, { channel: "news.tech", data: { headline: "x" }, timestamp: 5 }),
      createPacket(PacketSource.BROADCAST, { data: "bye", timestamp: 6 }),
    ];
    for (const p of packets) {
      expect(roundTrip(codec, p)).toEqual(p);
      expect(codec.encode(roundTrip(codec, p))).toEqual(codec.encode(p));
    }
  });

  it("keeps nested maps and arrays", () => {
    const data = { a: { b: { c: { d: [{ e: {} }, [], [[1, [2, [3]]]]] } } }, empty: {}, list: [null, true, false, "s", 0] };
    expect(roundTrip(codec, custom(data)).data).toEqual(data);
  });

  it("accepts nesting up to 256 levels (the packet is level 1) and rejects 257", () => {
    expect(roundTrip(codec, custom(nest(255))).data).toEqual(nest(255));
    const { packet, error } = codec.decodeDetailed(codec.encode(custom(nest(256))));
    expect(packet.source).toBe(PacketSource.UNKNOWN);
    expect(error).toMatch(/nesting deeper than 256/);
  });

  it("keeps integers beyond ±2^53 as exact bigints, in data, args and kwargs", () => {
    const back = roundTrip(codec, { ...createRequest("m", [BIG.u64max, BIG.i64min], { ...BIG }, "c"), timestamp: 1 });
    expect(back.rpc).toEqual({ type: "request", method: "m", args: [BIG.u64max, BIG.i64min], kwargs: BIG, call_id: "c" });
    const data = roundTrip(codec, custom(BIG)).data as Record<string, unknown>;
    for (const [k, v] of Object.entries(BIG)) {
      expect(typeof data[k]).toBe("bigint");
      expect(data[k]).toBe(v);
    }
  });

  it("keeps integers up to ±2^53 as numbers", () => {
    const ints = [0, 1, -1, 127, 128, -32, -33, 255, 256, 65_535, 65_536, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 32];
    ints.push(2 ** 53 - 1, 2 ** 53, -(2 ** 53));
    expect(roundTrip(codec, custom(ints)).data).toEqual(ints);
    expect(roundTrip(codec, custom(2n ** 53n)).data).toBe(2 ** 53);
  });

  it("keeps floats exactly", () => {
    const floats = [0.1, -1.25, 1e-300, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1_700_000_000.123456, 2 ** 60 + 2 ** 8];
    expect(roundTrip(codec, custom(floats)).data).toEqual(floats);
    expect(roundTrip(codec, custom(null)).timestamp).toBe(1_700_000_000.5);
  });

  it("keeps unicode text exactly, in values and keys", () => {
    const data = {
      emoji: "😀👩‍👩‍👧‍👦🏳️‍🌈",
      cjk: "漢字かなカナ한국어",
      rtl: "مرحبا שלום",
      combining: "e\u0301 Å",
      controls: "\u0000\u0001\t\n\r\u001f\u007f",
      quotes: "\"'\\/",
      long: "ü".repeat(40_000),
      "ключ 🔑": "значение",
    };
    expect(roundTrip(codec, custom(data)).data).toEqual(data);
  });

  it("replaces lone surrogates with U+FFFD (strings must be valid UTF-8)", () => {
    const data = { hi: "a\uD800b", lo: "\uDC00", cut: "😀".slice(0, 1), long: `${"x".repeat(300)}\uD83D`, "k\uDFFF": "pair 😀 ok" };
    expect(roundTrip(codec, custom(data)).data).toEqual({
      hi: "a\uFFFDb",
      lo: "\uFFFD",
      cut: "\uFFFD",
      long: `${"x".repeat(300)}\uFFFD`,
      "k\uFFFD": "pair 😀 ok",
    });
  });
});

describe("codec differences (documented in PROTOCOL.md)", () => {
  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);

  it("msgpack keeps bytes as bytes (bin)", () => {
    const data = roundTrip(msgpackCodec, custom({ b: bytes, empty: new Uint8Array(0), big: new Uint8Array(70_000).fill(7) })).data as Record<
      string,
      Uint8Array
    >;
    expect(data.b).toBeInstanceOf(Uint8Array);
    expect([...(data.b ?? [])]).toEqual([...bytes]);
    expect(data.empty).toBeInstanceOf(Uint8Array);
    expect(data.empty?.length).toBe(0);
    expect(data.big?.length).toBe(70_000);
    expect(data.big?.every((x) => x === 7)).toBe(true);
  });

  it("JSON writes bytes as base64 text and reads them back as that text", () => {
    expect(roundTrip(jsonCodec, custom({ b: bytes, empty: new Uint8Array(0) })).data).toEqual({ b: "AAEC/f7/", empty: "" });
    expect(roundTrip(jsonCodec, custom(Buffer.from(bytes))).data).toBe("AAEC/f7/");
  });

  it("bigints beyond 64 bits: JSON keeps them exactly, msgpack refuses to encode them", () => {
    expect(roundTrip(jsonCodec, custom(2n ** 100n)).data).toBe(2n ** 100n);
    expect(() => msgpackCodec.encode(custom(2n ** 64n))).toThrow(RangeError);
    expect(() => msgpackCodec.encode(custom(-(2n ** 63n) - 1n))).toThrow(RangeError);
  });

  it("NaN and infinities survive msgpack; JSON writes them as null", () => {
    const data = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    expect(roundTrip(msgpackCodec, custom(data)).data).toEqual(data);
    expect(roundTrip(jsonCodec, custom(data)).data).toEqual([null, null, null]);
  });

  it("-0: a float64 in msgpack (it round-trips); 0 in JSON", () => {
    expect(Object.is(roundTrip(msgpackCodec, custom(-0)).data, -0)).toBe(true);
    expect(Object.is(msgpackWire.decode(msgpackWire.encode(custom(-0))).data, -0)).toBe(true);
    expect(Object.is(roundTrip(jsonCodec, custom(-0)).data, 0)).toBe(true);
  });

  it("Dates: msgpack timestamp extension; JSON ISO-8601 text", () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(roundTrip(msgpackCodec, custom(date)).data).toEqual(date);
    expect(roundTrip(jsonCodec, custom(date)).data).toBe("2024-01-02T03:04:05.678Z");
  });

  it("undefined: msgpack writes nil; JSON drops the key (arrays get null)", () => {
    expect(roundTrip(msgpackCodec, custom({ u: undefined, a: [undefined] })).data).toEqual({ u: null, a: [null] });
    expect(roundTrip(jsonCodec, custom({ u: undefined, a: [undefined] })).data).toEqual({ a: [null] });
  });
});
