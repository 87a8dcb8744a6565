import { afterAll, describe, expect, it } from "vitest";
import { PacketSource } from "../enums.js";
import type { DecodeResult } from "../validate.js";
import type { Codec, RawMessage } from "./codec.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";

const CODECS: ReadonlyArray<[string, Codec]> = [
  ["msgpack", msgpackCodec],
  ["json", jsonCodec],
];
const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Decodes hostile input: must not throw, must give an UNKNOWN packet and say why. */
function expectUnknown(codec: Codec, input: RawMessage): DecodeResult {
  let result: DecodeResult | undefined;
  expect(() => (result = codec.decodeDetailed(input))).not.toThrow();
  const { packet, error } = result as DecodeResult;
  expect(packet).toMatchObject({ source: PacketSource.UNKNOWN, rpc: null, channel: null, timestamp: null, correlation_id: null });
  expect(typeof error).toBe("string");
  expect(error?.length).toBeGreaterThan(0);
  expect(codec.decode(input)).toEqual(packet);
  return result as DecodeResult;
}

const REQUEST = { source: 5, rpc: { type: "request", method: "m", args: [1], kwargs: { a: 1 }, call_id: "c" } };
const RESPONSE = { source: 5, rpc: { type: "response", call_id: "c", response: 1, error: null, is_stream: false, is_end: false } };

/** Valid packets with one field of the wrong type (or missing). */
const WRONG_TYPES: ReadonlyArray<[string, unknown]> = [
  ["source as a string", { source: "5" }],
  ["source out of range", { source: 6 }],
  ["source 0", { source: 0 }],
  ["source null", { source: null }],
  ["source missing", { data: 1 }],
  ["source a float not in the enum", { source: 4.5 }],
  ["method a number", { ...REQUEST, rpc: { ...REQUEST.rpc, method: 5 } }],
  ["method missing", { ...REQUEST, rpc: { type: "request" } }],
  ["args an object", { ...REQUEST, rpc: { ...REQUEST.rpc, args: {} } }],
  ["kwargs an array", { ...REQUEST, rpc: { ...REQUEST.rpc, kwargs: [] } }],
  ["kwargs a string", { ...REQUEST, rpc: { ...REQUEST.rpc, kwargs: "a=1" } }],
  ["call_id a number", { ...REQUEST, rpc: { ...REQUEST.rpc, call_id: 1 } }],
  ["response without call_id", { source: 5, rpc: { type: "response", response: 1 } }],
  ["error a string", { ...RESPONSE, rpc: { ...RESPONSE.rpc, error: "x" } }],
  ["error not an RPCErrorCode", { ...RESPONSE, rpc: { ...RESPONSE.rpc, error: -1 } }],
  ["is_stream a string", { ...RESPONSE, rpc: { ...RESPONSE.rpc, is_stream: "yes" } }],
  ["is_end a number", { ...RESPONSE, rpc: { ...RESPONSE.rpc, is_end: 1 } }],
  ["rpc type unknown", { source: 5, rpc: { type: "call", method: "m" } }],
  ["rpc a string", { source: 5, rpc: "add" }],
  ["rpc an array", { source: 5, rpc: [] }],
  ["channel a number", { source: 2, channel: 1 }],
  ["timestamp a string", { source: 4, timestamp: "now" }],
  ["timestamp a bigint", { source: 4, timestamp: 2n ** 64n - 1n }],
  ["correlation_id a number", { source: 4, correlation_id: 7 }],
  ["top level an array", [5, null]],
  ["top level a string", "hello"],
  ["top level a number", 42],
  ["top level null", null],
  ["top level true", true],
];

describe.each(CODECS)("%s: wrong types give UNKNOWN packets carrying the decoded value", (_name, codec) => {
  it.each(WRONG_TYPES)("%s", (_label, value) => {
    const { packet, error } = expectUnknown(codec, codec.encodeValue(value));
    expect(error).toMatch(/^not a valid packet: \//);
    expect(packet.data).toEqual(codec.decodeValue(codec.encodeValue(value)));
  });
});

describe.each(CODECS)("%s: malformed input gives UNKNOWN packets", (_name, codec) => {
  it("empty input, as bytes, text and ArrayBuffer", () => {
    for (const input of [new Uint8Array(0), "", new ArrayBuffer(0)]) expectUnknown(codec, input);
  });

  it("every truncation of a valid message", () => {
    const bytes = codec.encodeValue(REQUEST);
    expect(codec.decodeDetailed(bytes).error).toBeUndefined();
    for (let n = 0; n < bytes.length; n++) {
      if (codec === jsonCodec && n === 0) continue; // covered by "empty input"
      const { packet } = expectUnknown(codec, bytes.subarray(0, n));
      if (codec === jsonCodec) expect(packet.data).toBe(new TextDecoder().decode(bytes.subarray(0, n)));
    }
  });

  it("trailing bytes after a valid message", () => {
    const bytes = codec.encodeValue(REQUEST);
    expectUnknown(codec, new Uint8Array([...bytes, 0x01]));
    expectUnknown(codec, new Uint8Array([...bytes, ...bytes]));
  });

  it.each([
    ["data", (v: unknown) => ({ source: 4, data: v })],
    ["args", (v: unknown) => ({ source: 5, rpc: { type: "request", method: "m", args: [v] } })],
    ["kwargs", (v: unknown) => ({ source: 5, rpc: { type: "request", method: "m", kwargs: { k: v } } })],
  ])("10,000 levels of nesting in %s, as arrays and as maps", (_field, wrap) => {
    const arrays = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const maps = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    for (const deep of [arrays, maps]) {
      const text = JSON.stringify(wrap("DEEP")).replace('"DEEP"', deep);
      const input = codec === jsonCodec ? text : msgpackFromJsonText(text);
      expect(expectUnknown(codec, input).error).toMatch(/nesting deeper than 256/);
    }
  });

  it("1,000,000 levels of nesting", () => {
    const text = `{"source":4,"data":${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}}`;
    expect(expectUnknown(codec, codec === jsonCodec ? text : msgpackFromJsonText(text)).error).toMatch(/nesting|stack/);
  });
});

/** Builds msgpack for JSON text made of arrays, maps with string keys and small ints, iteratively (no recursion). */
function msgpackFromJsonText(text: string): Uint8Array {
  const out: number[] = [];
  const tokens = text.match(/\[|\]|\{|\}|"[^"]*"|-?\d+|null|,|:/g) ?? [];
  // Every container here has exactly the entries we can count ahead of time; count them with a stack.
  const starts: Array<{ at: number; count: number; map: boolean }> = [];
  for (const t of tokens) {
    if (t === "[" || t === "{") {
      starts.push({ at: out.length, count: 0, map: t === "{" });
      out.push(0);
    } else if (t === "]" || t === "}") {
      const s = starts.pop();
      if (s === undefined) throw new Error("unbalanced");
      const n = s.map ? s.count / 2 : s.count;
      if (n > 15) throw new Error("helper supports up to 15 entries");
      out[s.at] = (s.map ? 0x80 : 0x90) | n;
    } else if (t === "," || t === ":") continue;
    else {
      const top = starts[starts.length - 1];
      if (top !== undefined) top.count++;
      if (t === "null") out.push(0xc0);
      else if (t.startsWith('"')) out.push(0xa0 | (t.length - 2), ...utf8(t.slice(1, -1)));
      else out.push(Number(t) & 0xff);
    }
    if ((t === "[" || t === "{") && starts.length > 1) {
      const parent = starts[starts.length - 2];
      if (parent !== undefined) parent.count++;
    }
  }
  return Uint8Array.from(out);
}

describe("JSON-only malformed input", () => {
  it.each([
    ["0xff byte", "7b ff 7d"],
    ["overlong slash", "7b 22 c0 af 22 7d"],
    ["UTF-8-encoded surrogate", "22 ed a0 80 22"],
    ["truncated multi-byte", "22 e2 82"],
    ["latin-1 text", "7b 22 73 6f 75 72 63 65 22 3a 34 2c 22 64 61 74 61 22 3a 22 e9 22 7d"],
  ])("invalid UTF-8 in bytes: %s", (_label, input) => {
    const bytes = hex(input);
    const { packet, error } = expectUnknown(jsonCodec, bytes);
    expect(error).toMatch(/^invalid UTF-8/);
    expect(packet.data).toEqual(bytes);
  });

  it.each(["{", "{source:5}", "NaN", '{"source":4} x', '{"source":4}{"source":4}', "'x'", '{"source":4,}', "\u0000"])(
    "malformed JSON text %j",
    (text) => {
      const { packet, error } = expectUnknown(jsonCodec, text);
      expect(error).toMatch(/^malformed JSON/);
      expect(packet.data).toBe(text);
    },
  );

  it("msgpack bytes sent to the JSON codec", () => {
    expectUnknown(jsonCodec, msgpackCodec.encodeValue(REQUEST));
  });
});

describe("msgpack-only malformed input", () => {
  it("text frames are refused without decoding", () => {
    const { packet, error } = expectUnknown(msgpackCodec, JSON.stringify(REQUEST));
    expect(error).toMatch(/expects binary/);
    expect(packet.data).toBe(JSON.stringify(REQUEST));
  });

  it.each([
    ["never-used byte 0xc1", "c1"],
    ["0xc1 inside a map", "82 a6 736f75726365 04 a4 64617461 c1"],
    ["unknown extension", "d4 10 00"],
    ["msgpackr Error extension", "d4 65 c0"],
    ["msgpackr Set extension", "c7 03 73 92 01 02"],
    ["msgpackr RegExp extension", "c7 06 78 92 a1 61 a1 67"],
    ["msgpackr typed-array extension", "c7 03 74 01 00 01"],
    ["msgpackr bigint extension", "c7 09 42 01 00 00 00 00 00 00 00 00"],
    ["msgpackr bundled strings", "d6 62 00 00 00 00"],
    ["msgpackr record definition", "d4 72 40"],
    ["msgpackr structured-clone id", "d6 69 00 00 00 01"],
    ["timestamp of a bad size", "d5 ff 00 01"],
    ["str32 longer than the input", "db ff ff ff ff 61"],
    ["array32 claiming 4 billion items", "dd ff ff ff ff c0"],
  ])("%s", (_label, input) => {
    const bytes = hex(input);
    const { packet, error } = expectUnknown(msgpackCodec, bytes);
    expect(error).toMatch(/^malformed msgpack/);
    expect(packet.data).toEqual(bytes);
  });

  it("the standard timestamp extension is allowed", () => {
    const bytes = hex("82 a6 736f75726365 04 a4 64617461 d6 ff 65 53 f1 00");
    expect(msgpackCodec.decodeDetailed(bytes)).toMatchObject({ packet: { source: 4, data: new Date(1_700_000_000_000) }, error: undefined });
  });
});

describe.each(CODECS)("%s: prototype pollution", (_name, codec) => {
  afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const hostile = (): Record<string, unknown> => JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}') as Record<string, unknown>;
  const cases: ReadonlyArray<[string, unknown]> = [
    ["data", { source: 4, data: hostile() }],
    ["kwargs", { source: 5, rpc: { type: "request", method: "m", kwargs: hostile(), call_id: "c" } }],
    ["args", { source: 5, rpc: { type: "request", method: "m", args: [hostile()], call_id: "c" } }],
    ["data, with a bigint (JSON reviver path)", { source: 4, data: { big: 2n ** 60n, evil: hostile() } }],
    ["the packet itself", { ...(JSON.parse('{"__proto__":{"source":5,"polluted":"yes"}}') as object), source: 4 }],
  ];

  it.each(cases)("keys in %s stay own data properties and pollute nothing", (_where, value) => {
    const bytes = codec.encodeValue(value);
    expect(new TextDecoder("latin1").decode(bytes)).toContain("__proto__");
    const { packet, error } = codec.decodeDetailed(bytes);
    expect(error).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    const objects = [packet.data, (packet.data as Record<string, unknown> | null)?.evil, packet.rpc && "kwargs" in packet.rpc ? packet.rpc.kwargs : undefined, packet.rpc && "args" in packet.rpc ? packet.rpc.args[0] : undefined];
    for (const o of objects) {
      if (typeof o !== "object" || o === null || !Object.hasOwn(o, "__proto__")) continue;
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(o, "__proto__")).toMatchObject({ value: { polluted: "yes" }, enumerable: true });
      expect(Object.keys(o)).toEqual(["__proto__", "constructor", "prototype"]);
      expect((o as { constructor: unknown }).constructor).toEqual({ prototype: { polluted: "yes" } });
    }
  });

  it("a __proto__ key round-trips as an own property with its value intact", () => {
    const data = hostile();
    const back = codec.decode(codec.encode({ source: 4, data, rpc: null, channel: null, timestamp: null, correlation_id: null })).data;
    expect(Object.keys(back as object)).toEqual(["__proto__", "constructor", "prototype"]);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ polluted: "yes" });
    expect(Object.hasOwn(back as object, "__proto_")).toBe(false);
  });

  it("the packet's own __proto__ key does not change its source", () => {
    const { packet } = codec.decodeDetailed(codec.encodeValue(cases[4]?.[1]));
    expect(packet.source).toBe(4);
  });
});

/** A small seeded PRNG (mulberry32), so fuzz failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(CODECS)("%s: fuzz", (_name, codec) => {
  it("random bytes and mutated packets never throw and always give a packet", () => {
    const rand = prng(0x5eed);
    const valid = codec.encodeValue({ ...REQUEST, data: { s: "héllo", n: [1, -1, 2n ** 60n, 0.5], b: true } });
    for (let i = 0; i < 3000; i++) {
      let input: Uint8Array;
      if (i % 2 === 0) {
        input = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
      } else {
        input = valid.slice();
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) input[Math.floor(rand() * input.length)] = Math.floor(rand() * 256);
      }
      let result: DecodeResult | undefined;
      expect(() => (result = codec.decodeDetailed(input)), `input ${Buffer.from(input).toString("hex")}`).not.toThrow();
      const { packet, error } = result as DecodeResult;
      expect(Object.values(PacketSource)).toContain(packet.source);
      expect(packet.source === PacketSource.UNKNOWN || error === undefined).toBe(true);
    }
  });
});
