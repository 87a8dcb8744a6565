import { describe, expect, it } from "vitest";
import { buildConformance } from "../scripts/generate-conformance.mjs";
import { fromHex, fromTagged, toHex, toTagged } from "../scripts/tagged.mjs";
import { canonicalMsgpack, NotCanonical } from "../test/canonicalMsgpack.js";
import * as protocol from "./index.js";
import { conformanceText, inputCases, vectors as conformanceVectors, type InputCase } from "../test/conformanceFiles.js";

const { jsonCodec, msgpackCodec, PacketSource } = protocol;

const file = conformanceText;
const vectors = conformanceVectors();
const invalid = inputCases("invalid.json");
const lenient = inputCases("lenient.json");
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const input = (c: InputCase): string | Uint8Array => (c.frame === "text" ? (c.text ?? "") : fromHex(c.hex ?? ""));
const codecOf = (c: InputCase): protocol.Codec => (c.codec === "json" ? jsonCodec : msgpackCodec);

describe("committed conformance files", () => {
  it("equal a fresh run of scripts/generate-conformance.mjs", () => {
    const fresh = buildConformance(protocol);
    for (const [name, content] of Object.entries(fresh)) {
      expect(file(name), `conformance/${name} is stale: run pnpm build && pnpm generate:conformance`).toBe(content);
    }
  });

  it("cover what bindings need", () => {
    const names = vectors.map((v) => v.name);
    const required = ["request/seed-add", "request/all-fields", "response/result", "stream/chunk", "stream/end", "stream/error"];
    required.push("channel", "broadcast", "custom", "unicode", "bytes", "integers/bigint", "nested", "nulls");
    for (const name of required) expect(names).toContain(name);
    for (const code of Object.keys(protocol.RPCErrorCode).filter((k) => Number.isNaN(Number(k)))) expect(names).toContain(`response/error/${code}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(vectors.map((v) => [v.name, v] as const))("vector %s", (_name, v) => {
  const packet = fromTagged(v.value) as protocol.Packet;

  it("both codecs encode it byte for byte", () => {
    expect(jsonCodec.stringify(packet)).toBe(v.json);
    expect(toHex(jsonCodec.encode(packet))).toBe(toHex(new TextEncoder().encode(v.json)));
    expect(toHex(msgpackCodec.encode(packet))).toBe(v.msgpack);
  });

  it("both codecs decode it back to the value", () => {
    const fromMsgpack = msgpackCodec.decodeDetailed(fromHex(v.msgpack));
    expect(fromMsgpack.error).toBeUndefined();
    expect(toTagged(fromMsgpack.packet)).toEqual(v.value);
    for (const raw of [v.json, new TextEncoder().encode(v.json)]) {
      const fromJson = jsonCodec.decodeDetailed(raw);
      expect(fromJson.error).toBeUndefined();
      expect(toTagged(fromJson.packet)).toEqual(v.json_value ?? v.value);
    }
  });

  it("the JSON text is plain JSON any parser reads (up to bigint precision)", () => {
    expect(() => JSON.parse(v.json) as unknown).not.toThrow();
  });
});

describe("msgpack vectors against an independent canonical encoder", () => {
  const checked: string[] = [];
  const skipped: string[] = [];
  for (const v of vectors) {
    try {
      const expected = toHex(canonicalMsgpack(fromTagged(v.value)));
      checked.push(v.name);
      it(`${v.name} has minimal headers`, () => {
        expect(v.msgpack).toBe(expected);
      });
    } catch (err) {
      if (!(err instanceof NotCanonical)) throw err;
      skipped.push(v.name);
    }
  }

  it("skips only the vectors made of floats", () => {
    expect(skipped.sort()).toEqual(["floats", "numbers/beyond-2^53"]);
    expect(checked.length).toBe(vectors.length - 2);
  });
});

describe.each(invalid.map((c) => [c.name, c] as const))("invalid input %s", (_name, c) => {
  it("decodes to the UNKNOWN packet described, with a reason", () => {
    const { packet, error } = codecOf(c).decodeDetailed(input(c));
    expect(packet.source).toBe(PacketSource.UNKNOWN);
    expect(error).toEqual(expect.any(String));
    expect(toTagged(packet)).toEqual(c.decodes_to);
  });
});

describe.each(lenient.map((c) => [c.name, c] as const))("lenient input %s", (_name, c) => {
  it("decodes to the packet described", () => {
    const { packet, error } = codecOf(c).decodeDetailed(input(c));
    expect(error).toBeUndefined();
    const expected = structuredClone(c.decodes_to);
    const rpc = expected.rpc as Record<string, unknown> | null;
    if (rpc !== null && typeof rpc.call_id === "object") {
      expect(rpc.call_id).toEqual({ $generated: "uuid-v4" });
      expect(packet.rpc?.call_id).toMatch(UUID_V4);
      rpc.call_id = packet.rpc?.call_id;
    }
    expect(toTagged(packet)).toEqual(expected);
  });
});
