// jsonWire and msgpackWire (the client's codecs) against jsonCodec and msgpackCodec (the server's):
// the same frames out, the same packets in, including for hostile input.
import { describe, expect, it } from "vitest";
import { fromHex, fromTagged } from "../../scripts/tagged.mjs";
import type { Packet } from "../packet.js";
import { createPacket, createRequest, createResponse } from "../packet.js";
import { PacketSource, RPCErrorCode } from "../enums.js";
import type { Codec, RawMessage } from "./codec.js";
import { jsonCodec } from "./json.js";
import { jsonWire } from "./jsonWire.js";
import { msgpackCodec } from "./msgpack.js";
import { msgpackWire } from "./msgpackWire.js";
import type { WireCodec } from "./wireCodec.js";
import { inputCases, vectors as conformanceVectors, type InputCase } from "../../test/conformanceFiles.js";

const vectors = conformanceVectors();
const inputs = [...inputCases("invalid.json"), ...inputCases("lenient.json")];
const PAIRS: Array<[string, WireCodec, Codec]> = [
  ["json", jsonWire, jsonCodec],
  ["msgpack", msgpackWire, msgpackCodec],
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The packet, with a call id assigned on decoding (random) replaced by a marker. */
function stable(packet: Packet, raw: RawMessage): unknown {
  const rpc = packet.rpc;
  const text = typeof raw === "string" ? raw : Buffer.from(raw as Uint8Array).toString("latin1");
  if (rpc && UUID.test(rpc.call_id) && !text.includes(rpc.call_id)) return { ...packet, rpc: { ...rpc, call_id: "<assigned>" } };
  return packet;
}

function sameDecode(wire: WireCodec, codec: Codec, raw: RawMessage): void {
  expect(stable(wire.decode(raw), raw)).toEqual(stable(codec.decode(raw), raw));
}

const asBytes = (frame: string | Uint8Array): Uint8Array => (typeof frame === "string" ? new TextEncoder().encode(frame) : frame);

describe.each(PAIRS)("%s wire codec", (name, wire, codec) => {
  it("is named after its format", () => {
    expect(wire.name).toBe(name);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("conformance vector %s: same frame out, same packet in", (_n, v) => {
    const frame = name === "json" ? v.json : fromHex(v.msgpack);
    sameDecode(wire, codec, frame);
    const packet = codec.decode(frame);
    expect(asBytes(wire.encode(packet))).toEqual(asBytes(codec.encode(packet)));
    if (name === "json") expect(wire.encode(packet)).toBe(v.json);
    else expect(Buffer.from(wire.encode(packet) as Uint8Array).toString("hex")).toBe(v.msgpack);
    expect(fromTagged(v.value)).toBeDefined();
  });

  it.each(inputs.filter((c) => c.codec === name).map((c) => [c.name, c] as const))("invalid or lenient input %s: same packet", (_n, c) => {
    sameDecode(wire, codec, c.frame === "text" ? (c.text ?? "") : fromHex(c.hex ?? ""));
  });

  it("packets the client sends: same frames", () => {
    const packets: Packet[] = [
      createRequest("add", [1, 2n ** 60n, "\uD800", new Uint8Array([1, 2])], { k: [null, true] }, "id-1"),
      createRequest("$cancel", ["id-1"], {}, "id-2"),
      createPacket(PacketSource.CUSTOM, { data: { nested: { deep: [1, 2, 3] } } }),
      createPacket(PacketSource.CHANNEL, { data: "hi", channel: "room", correlation_id: "c" }),
      createResponse("id-3", { ok: 1 }, { error: RPCErrorCode.APPLICATION_ERROR, isStream: true, isEnd: false }),
    ];
    for (const packet of packets) expect(asBytes(wire.encode(packet))).toEqual(asBytes(codec.encode(packet)));
  });

  it("hostile input never throws and decodes as the server's codec does", () => {
    let seed = 42;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
      sameDecode(wire, codec, bytes);
      sameDecode(wire, codec, bytes.buffer);
    }
    // Wrong types in every field, a text frame to msgpack, bytes that are not UTF-8.
    const wrong = [
      { source: "5" }, { source: 5, rpc: { type: "request", method: 7 } }, { source: 5, rpc: { type: "response" } },
      { source: 5, rpc: { type: "response", call_id: "x", error: 12 } }, { source: 2, channel: 5 }, { source: 1, timestamp: "now" },
      { source: 5, rpc: { type: "request", method: "m", kwargs: [] } }, [1, 2], "text", 17, null,
    ];
    for (const value of wrong) {
      sameDecode(wire, codec, jsonCodec.encodeValue(value));
      sameDecode(wire, codec, msgpackCodec.encodeValue(value));
      sameDecode(wire, codec, JSON.stringify(value));
    }
    sameDecode(wire, codec, new Uint8Array([0xff, 0xfe, 0x7b]));
  });

  it("refuses huge nesting without overflowing the stack", () => {
    const depth = 100_000;
    const json = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const msgpack = new Uint8Array(depth).fill(0x91);
    for (const raw of [json, asBytes(json), msgpack]) {
      const packet = wire.decode(raw);
      expect(packet.source).toBe(PacketSource.UNKNOWN);
      sameDecode(wire, codec, raw);
    }
  });
});
