import { pack as msgpackrPack } from "msgpackr";
import { describe, expect, it } from "vitest";
import { randomEncoding } from "../../test/msgpackReference.js";
import { count, fuzzCases, prng, randomString, randomValue } from "../../test/randomValues.js";
import { sameRequest } from "../../test/sameRequest.js";
import { PacketSource } from "../enums.js";
import type { RPCRequest } from "../packet.js";
import type { Codec } from "./codec.js";
import { jsonCodec } from "./json.js";
import { msgpackCodec } from "./msgpack.js";
import { encodeMsgpackValue } from "./msgpackEncode.js";

/*
 * Codec.decodeRequest (the server's fast path) against decodeDetailed (the general path) over
 * request packets in every layout a sender may choose: any field order, optional fields present or
 * absent, unknown fields, any source, float/integer/nil timestamps, non-minimal msgpack headers,
 * JSON whitespace. Every valid one must take the fast path (within its documented limits), and the
 * fast path must refuse whatever the general path refuses.
 */

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function shuffle<T>(rand: () => number, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

/** A method name or call id: mostly ASCII, sometimes any text (non-ASCII, quotes, control characters, 40+ bytes). */
const randomName = (rand: () => number, usual: readonly string[]): string => (rand() < 0.8 ? pick(rand, usual) : randomString(rand, Math.floor(rand() * 45)));
/** An unknown field's name: near misses of the real ones (a prefix, another case, a letter more) and other text. */
const randomKey = (rand: () => number): string => pick(rand, ["extra", "sourc", "Source", "rpcs", "types", "call_id_", "methods", "kwarg", "dat", "timestamps", "__proto__", randomString(rand, 3)]);

/** A random valid RPC request packet as a plain object (fields in random order). */
function randomRequest(rand: () => number, i: number): { packet: Record<string, unknown>; rpc: Record<string, unknown> } {
  const rpc: Array<[string, unknown]> = [["type", "request"], ["method", randomName(rand, ["add", "echo", `m${i % 7}`, "x".repeat(40)])]];
  if (rand() < 0.7) rpc.push(["args", Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, 2))]);
  if (rand() < 0.6) rpc.push(["kwargs", rand() < 0.3 ? {} : { k: randomValue(rand, 2), n: i, [randomString(rand, 2)]: 1.5 }]);
  if (rand() < 0.7) rpc.push(["call_id", randomName(rand, [`c${i}`, "6f1c2a4e-8b0d-4c3e-9a57-0d2b1e4f5a60", "y".repeat(300)])]);
  if (rand() < 0.1) rpc.push(["traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]);
  if (rand() < 0.15) rpc.push([randomKey(rand), randomValue(rand, 1)]);
  const rpcObject = Object.fromEntries(shuffle(rand, rpc));
  const top: Array<[string, unknown]> = [["source", rand() < 0.8 ? PacketSource.RPC : 1 + Math.floor(rand() * 5)], ["rpc", rpcObject]];
  if (rand() < 0.5) top.push(["data", rand() < 0.5 ? null : randomValue(rand, 2)]);
  if (rand() < 0.5) top.push(["channel", rand() < 0.5 ? null : randomString(rand, 5)]);
  if (rand() < 0.6) top.push(["timestamp", pick(rand, [null, 1_700_000_000.25, 1_700_000_000, 0, -1.5])]);
  if (rand() < 0.4) top.push(["correlation_id", rand() < 0.5 ? null : `k${i}`]);
  if (rand() < 0.15) top.push([randomKey(rand), randomValue(rand, 1)]);
  return { packet: Object.fromEntries(shuffle(rand, top)), rpc: rpcObject };
}

/** Breaks one field of a valid request so that the schema refuses it or it is no request. */
function breakRequest(rand: () => number, packet: Record<string, unknown>, rpc: Record<string, unknown>): string {
  const breaks: Array<[string, () => void]> = [
    ["source out of range", () => (packet.source = pick(rand, [0, 6, 1.5, -5]))],
    ["source not a number", () => (packet.source = pick(rand, ["5", null, true, [5]]))],
    ["no source", () => delete packet.source],
    ["no rpc", () => delete packet.rpc],
    ["rpc null", () => (packet.rpc = null)],
    ["rpc a response", () => (rpc.type = "response")],
    ["rpc type other", () => (rpc.type = pick(rand, ["req", 1, null]))],
    ["no method", () => delete rpc.method],
    ["method not a string", () => (rpc.method = pick(rand, [5, null, ["add"], {}]))],
    ["args not a list", () => (rpc.args = pick(rand, [{}, "x", null, 1]))],
    ["kwargs not a map", () => (rpc.kwargs = pick(rand, [[], "x", null, 1]))],
    ["call_id not a string", () => (rpc.call_id = pick(rand, [5, null, ["c"]]))],
    ["timestamp not a number", () => (packet.timestamp = pick(rand, ["now", true, [1]]))],
    ["channel not a string", () => (packet.channel = pick(rand, [5, [], {}]))],
    ["correlation_id not a string", () => (packet.correlation_id = pick(rand, [5, [], false]))],
    ["traceparent too long", () => (rpc.traceparent = "0".repeat(257))],
    ["traceparent not a string", () => (rpc.traceparent = pick(rand, [1, null, ["00"]]))],
  ];
  const [name, apply] = pick(rand, breaks);
  apply();
  return name;
}

/** Checks the fast path against the general one for `bytes`; returns whether the fast path took it. */
function agree(codec: Codec, bytes: Uint8Array, label: string): boolean {
  const fast = codec.decodeRequest(bytes);
  if (fast === undefined) return false;
  const { packet, error } = codec.decodeDetailed(bytes);
  expect(error, label).toBeUndefined();
  expect(sameRequest(fast, packet.rpc), label).toEqual(packet.rpc as RPCRequest);
  return true;
}

/** How the general path reads `bytes`: a request, or refused / not a request. */
function generalIsRequest(codec: Codec, bytes: Uint8Array): boolean {
  const { packet, error } = codec.decodeDetailed(bytes);
  return error === undefined && packet.rpc?.type === "request";
}

/** `alwaysFast`: bytes the fast path must take; `someFast`: the fast path takes a quarter at least. */
type Encoder = readonly [name: string, encode: (rand: () => number, value: unknown) => Uint8Array, alwaysFast: (bytes: Uint8Array) => boolean, someFast: boolean];

/** msgpack's fast path reads up to 4 KiB (its scratch copy); the packet's and rpc's keys are always strings here. */
const fitsScratch = (bytes: Uint8Array): boolean => bytes.length <= 4096;
const MSGPACK: Encoder[] = [
  ["our encoder (minimal headers, this library's client)", (_r, v) => encodeMsgpackValue(v).slice(), fitsScratch, true],
  ["msgpackr's default pack (map16 headers)", (_r, v) => msgpackrPack(v), fitsScratch, true],
  ["random formats (any header width, any number format)", (r, v) => randomEncoding(r, v), fitsScratch, true],
];

/** JSON's fast path leaves escapes and 16+ digit integers to the general path. */
const plainJson = (bytes: Uint8Array): boolean => !bytes.includes(0x5c) && !/\d{16}/.test(new TextDecoder().decode(bytes));
/** JSON text for a value, through our encoder (bigints, bytes, Dates), then as JSON.stringify writes it with `space`. */
const json = (v: unknown, space?: string | number): Uint8Array => utf8(JSON.stringify(JSON.parse(new TextDecoder().decode(jsonCodec.encodeValue(v))), null, space));
/** JSON text as Python's json.dumps writes it with its default separators (`", "`, `": "`). */
const dumps = (v: unknown): string => {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(dumps).join(", ")}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${dumps(x)}`).join(", ")}}`;
};
const PACKET_ORDER = ["source", "data", "rpc", "channel", "timestamp", "correlation_id"];
const RPC_ORDER = ["type", "method", "args", "kwargs", "call_id"];
/** `o`'s keys in `order` first (the rest after, as they come); with `fill`, absent keys of `defaults` added. */
const ordered = (o: Record<string, unknown>, order: readonly string[], defaults: Record<string, unknown>, fill: boolean): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  else if (fill && k in defaults) out[k] = defaults[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
};
/**
 * The packet's fields in declaration order, the absent optional ones mostly filled in (what a Python
 * client's json.dumps writes), or in the seed snippet's order (`rpc`, then `source`): the layouts the
 * fast path reads as constant runs, and near misses of them.
 */
const declarationOrder = (r: () => number, v: unknown): unknown => {
  const p = JSON.parse(new TextDecoder().decode(jsonCodec.encodeValue(v))) as Record<string, unknown>;
  const fill = r() < 0.7;
  const rpc = typeof p.rpc === "object" && p.rpc !== null && !Array.isArray(p.rpc) ? ordered(p.rpc as Record<string, unknown>, RPC_ORDER, { args: [], kwargs: {}, call_id: "c" }, fill) : p.rpc;
  return ordered({ ...p, rpc }, PACKET_ORDER, { data: null, channel: null, timestamp: 1_700_000_000.5, correlation_id: null }, fill);
};
const seedOrder = (v: unknown): unknown => {
  const p = JSON.parse(new TextDecoder().decode(jsonCodec.encodeValue(v))) as Record<string, unknown>;
  const rpc = typeof p.rpc === "object" && p.rpc !== null && !Array.isArray(p.rpc) ? ordered(p.rpc as Record<string, unknown>, ["type", "method", "args", "kwargs"], {}, false) : p.rpc;
  return ordered({ ...p, rpc }, ["rpc", "source"], {}, false);
};
/** JSON whitespace (any of its four characters, up to three) at every token boundary, at random. */
const spaced = (rand: () => number, text: string): string => {
  const space = (): string => (rand() < 0.5 ? "" : Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, [" ", "\t", "\n", "\r"])).join(""));
  let out = space();
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') (inString = true), (out += c);
    else if ("{}[]:,".includes(c)) out += space() + c + space();
    else out += c;
  }
  return out;
};
/** Some characters of some keys written as `\u` escapes (the same packet: the general path reads it). */
const escapedKeys = (rand: () => number, text: string): string =>
  text.replace(/"([a-z_]+)":/g, (whole, key: string) => {
    if (rand() < 0.6) return whole;
    const at = Math.floor(rand() * key.length);
    return `"${key.slice(0, at)}\\u${key.charCodeAt(at).toString(16).padStart(4, "0")}${key.slice(at + 1)}":`;
  });
const JSON_ENCODERS: Encoder[] = [
  ["random whitespace at every token boundary", (r, v) => utf8(spaced(r, new TextDecoder().decode(json(v)))), plainJson, true],
  ["keys with \\u escapes (the general path's)", (r, v) => utf8(escapedKeys(r, new TextDecoder().decode(json(v)))), () => false, false],
  ["compact", (_r, v) => json(v), plainJson, true],
  ["json.dumps, declaration order", (r, v) => utf8(dumps(declarationOrder(r, v))), plainJson, true],
  ["seed snippet order", (_r, v) => utf8(JSON.stringify(seedOrder(v))), plainJson, true],
  ["indented", (r, v) => json(v, pick(r, [1, 2, "\t"])), plainJson, true],
  ["our encoder", (_r, v) => jsonCodec.encodeValue(v).slice(), plainJson, true],
];

describe.each([
  [msgpackCodec, MSGPACK],
  [jsonCodec, JSON_ENCODERS],
] as const)("$name decodeRequest over every request layout", (codec, encoders) => {
  describe.each(encoders)("%s", (name, encode, alwaysFast, someFast) => {
    const cases = fuzzCases(1_500);
    it(`every valid request the fast path can read takes it, with the general path's request (${count(cases)}, seeded)`, () => {
      const rand = prng(0x1a70 + name.length);
      let fast = 0;
      let eligible = 0;
      for (let i = 0; i < cases; i++) {
        const bytes = encode(rand, randomRequest(rand, i).packet);
        const took = agree(codec, bytes, `case ${i}`);
        if (took) fast++;
        if (alwaysFast(bytes)) {
          eligible++;
          expect(took, `case ${i}: ${Buffer.from(bytes).toString(codec.name === "json" ? "utf8" : "hex")}`).toBe(true);
        }
      }
      // Random strings need JSON escapes often.
      if (someFast) expect(eligible).toBeGreaterThan(cases / 4), expect(fast).toBeGreaterThan(cases / 4);
    });

    it(`refuses every broken request, as the general path does (${count(cases)}, seeded)`, () => {
      const rand = prng(0xbad + name.length);
      for (let i = 0; i < cases; i++) {
        const { packet, rpc } = randomRequest(rand, i);
        const broken = breakRequest(rand, packet, rpc);
        const bytes = encode(rand, packet);
        expect(codec.decodeRequest(bytes), `case ${i}: ${broken}`).toBeUndefined();
        expect(generalIsRequest(codec, bytes), `case ${i}: ${broken}`).toBe(false);
      }
    });

    it(`agrees with the general path on mutated bytes (${count(cases)}, seeded)`, () => {
      const rand = prng(0x3a7 + name.length);
      for (let i = 0; i < cases; i++) {
        const bytes = encode(rand, randomRequest(rand, i).packet).slice();
        for (let k = 0; k <= i % 3; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
        agree(codec, bytes, `case ${i}`);
        if (i % 7 === 0) agree(codec, bytes.subarray(0, Math.floor(rand() * bytes.length)), `case ${i} truncated`);
      }
    });
  });
});

describe("the layouts of other senders", () => {
  it("reads the seed's browser snippet, and gives it a call id", () => {
    const text = JSON.stringify({ rpc: { type: "request", method: "add", args: [10, 20], kwargs: {} }, source: 5 });
    const fast = jsonCodec.decodeRequest(utf8(text));
    expect(fast).toMatchObject({ type: "request", method: "add", args: [10, 20], kwargs: {} });
    expect(fast?.call_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reads msgpackr's default pack (map16 and str8 headers where fixmap and fixstr fit)", () => {
    const bytes = msgpackrPack({ source: 5, data: null, rpc: { type: "request", method: "add", args: [1, 2], kwargs: { big: 2 ** 40 }, call_id: "c" }, channel: null, timestamp: 1.5, correlation_id: null });
    expect(Buffer.from(bytes.subarray(0, 3)).toString("hex")).toBe("de0006");
    expect(msgpackCodec.decodeRequest(bytes)).toEqual({ type: "request", method: "add", args: [1, 2], kwargs: { big: 2 ** 40 }, call_id: "c" });
  });

  it("reads a msgspec-style request with an integer timestamp and str16 strings", () => {
    const long = "z".repeat(300);
    const bytes = msgpackrPack({ rpc: { type: "request", method: long, call_id: long }, source: 5, timestamp: 1_700_000_000 });
    expect(msgpackCodec.decodeRequest(bytes)).toEqual({ type: "request", method: long, args: [], kwargs: {}, call_id: long });
  });
});
