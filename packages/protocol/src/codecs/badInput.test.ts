import { describe, expect, it } from "vitest";
import { CODECS, expectUnknown, hex } from "../../test/decoding.js";
import type { Codec, RawMessage } from "./codec.js";
import { jsonCodec, stringify } from "./json.js";
import { msgpackCodec } from "./msgpack.js";

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
  it("decode keeps its promise when called unbound", () => {
    const { decode } = codec;
    expect(decode("not a packet").source).toBe(3);
    expect(["x", new Uint8Array([1])].map(codec.decode).map((p) => p.source)).toEqual([3, 3]);
  });

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
    for (const shape of ["arrays", "maps"] as const) {
      const input = withDeepValue(codec, wrap("DEEP"), shape, 10_000);
      expect(expectUnknown(codec, input).error).toMatch(/nesting deeper than 256/);
    }
  });

  it("1,000,000 levels of nesting", () => {
    expect(expectUnknown(codec, withDeepValue(codec, { source: 4, data: "DEEP" }, "arrays", 1_000_000)).error).toMatch(/nesting deeper than 256/);
  });
});

/** `message` encoded by `codec`, with its string "DEEP" swapped for `levels` nested arrays or maps around a 1. */
function withDeepValue(codec: Codec, message: unknown, shape: "arrays" | "maps", levels: number): RawMessage {
  if (codec === jsonCodec) {
    const deep = shape === "arrays" ? `${"[".repeat(levels)}1${"]".repeat(levels)}` : `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
    return stringify(message).replace('"DEEP"', deep);
  }
  const open = shape === "arrays" ? [0x91] : [0x81, 0xa1, 0x61]; // [x] or {"a": x}
  const deep = new Uint8Array(levels * open.length + 1);
  for (let i = 0; i < levels; i++) deep.set(open, i * open.length);
  deep[deep.length - 1] = 0x01;
  const bytes = msgpackCodec.encodeValue(message);
  const at = Buffer.from(bytes).indexOf(Buffer.from([0xa4, ...Buffer.from("DEEP")]));
  const out = new Uint8Array(bytes.length - 5 + deep.length); // not [...spread]: slow for a million bytes
  out.set(bytes.subarray(0, at));
  out.set(deep, at);
  out.set(bytes.subarray(at + 5), at + deep.length);
  return out;
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


describe("undecodable bytes in an UNKNOWN packet are a copy", () => {
  it.each([
    ["msgpack", msgpackCodec, Uint8Array.of(0xc1)],
    ["json", jsonCodec, Uint8Array.of(0xff, 0xfe)],
  ] as const)("%s", (_name, codec, input) => {
    const buffer = input.slice();
    const { packet } = codec.decodeDetailed(buffer.buffer);
    expect(packet.data).toEqual(input);
    buffer.fill(0); // the transport reuses its buffer
    expect(packet.data).toEqual(input);
  });
});
