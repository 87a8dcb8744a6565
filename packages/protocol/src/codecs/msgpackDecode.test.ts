import { describe, expect, it } from "vitest";
import { difference, oldUnpack, packr, prng, randomEncoding, randomValue } from "../../test/msgpackReference.js";
import { count, fuzzCases } from "../../test/randomValues.js";
import { decodeMsgpack } from "./msgpackDecode.js";

const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));
const PROTO = "5f5f70726f746f5f5f"; // "__proto__"

/** decodeMsgpack(hex) must equal `expected` exactly (see difference()), and so must the old path. */
function expectDecodes(h: string, expected: unknown): void {
  expect(difference(decodeMsgpack(hex(h)), expected), h).toBeUndefined();
  expect(difference(oldUnpack(hex(h)), expected), `old path: ${h}`).toBeUndefined();
}

function expectRejects(bytes: Uint8Array, message: RegExp | string): void {
  expect(() => decodeMsgpack(bytes)).toThrow(RangeError);
  expect(() => decodeMsgpack(bytes)).toThrow(message);
}

describe("decodeMsgpack: every type family and its boundaries", () => {
  it.each([
    ["00", 0], ["7f", 127], ["ff", -1], ["e0", -32], ["c0", null], ["c2", false], ["c3", true],
    ["cc 80", 128], ["cc ff", 255], ["cd 0100", 256], ["cd ffff", 65535], ["ce 00010000", 65536], ["ce ffffffff", 2 ** 32 - 1],
    ["d0 7f", 127], ["d0 80", -128], ["d0 ff", -1], ["d1 8000", -32768], ["d1 7fff", 32767], ["d2 80000000", -(2 ** 31)], ["d2 7fffffff", 2 ** 31 - 1],
    ["cf 0000000000000000", 0], ["cf 00000000ffffffff", 2 ** 32 - 1], ["cf 0000000100000000", 2 ** 32],
    ["cf 001fffffffffffff", 2 ** 53 - 1], ["cf 0020000000000000", 2 ** 53], ["cf 0020000000000001", 2n ** 53n + 1n],
    ["cf 7fffffffffffffff", 2n ** 63n - 1n], ["cf 8000000000000000", 2n ** 63n], ["cf ffffffffffffffff", 2n ** 64n - 1n],
    ["d3 ffffffffffffffff", -1], ["d3 0000000000000005", 5], ["d3 ffe0000000000000", -(2 ** 53)], ["d3 ffdfffffffffffff", -(2n ** 53n) - 1n],
    ["d3 ffe0000000000001", -(2 ** 53) + 1], ["d3 0020000000000000", 2 ** 53], ["d3 0020000000000001", 2n ** 53n + 1n],
    ["d3 8000000000000000", -(2n ** 63n)], ["d3 7fffffffffffffff", 2n ** 63n - 1n], ["d3 fffffffeffffffff", -(2 ** 32) - 1],
    ["ca 3fc00000", 1.5], ["ca 7fc00000", NaN], ["ca 80000000", -0], ["ca 7f800000", Infinity], ["ca 00000001", 2 ** -149],
    ["cb 3ff8000000000000", 1.5], ["cb 7ff8000000000000", NaN], ["cb 7ff0000000000001", NaN], ["cb 8000000000000000", -0],
    ["cb fff0000000000000", -Infinity], ["cb 0000000000000001", 5e-324], ["cb 3fb999999999999a", 0.1],
  ])("%s", (h, expected) => expectDecodes(h, expected));

  it("strings: fixstr, str8, str16, str32, ASCII and not, short and long, invalid UTF-8 as U+FFFD, a BOM kept", () => {
    const cases: Array<[string, string]> = [["a0", ""], ["a161", "a"], ["a3 e282ac", "€"], ["a4 f09f9880", "😀"], ["d9 00", ""], ["da 0000", ""], ["db 00000000", ""]];
    for (const n of [1, 8, 9, 12, 13, 15, 16, 17, 31]) cases.push([(0xa0 + n).toString(16) + "61".repeat(n), "a".repeat(n)]);
    for (const n of [32, 255]) cases.push([`d9 ${n.toString(16)} ${"7a".repeat(n)}`, "z".repeat(n)]);
    cases.push([`da 0100 ${"62".repeat(256)}`, "b".repeat(256)], [`db 00000003 636465`, "cde"], [`da 0003 c3a969`, "éi"]);
    cases.push(["a2 ff61", "\ufffda"], ["a3 eda080", "\ufffd\ufffd\ufffd"], ["a2 61c3", "a\ufffd"], ["a4 efbbbf61", "\ufeffa"], ["a1 00", "\u0000"]);
    for (const [h, s] of cases) expectDecodes(h, s);
    const long = "héllo wörld ✓ 😀 ".repeat(5000);
    expect(decodeMsgpack(packr.pack(long))).toBe(long);
  });

  it("bin8, bin16, bin32 as copies, never views of the input, even from a Buffer", () => {
    for (const n of [0, 1, 255, 256, 65535, 65536]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
      for (const input of [packr.pack(bytes), Buffer.from(packr.pack(bytes))]) {
        const out = decodeMsgpack(input) as Uint8Array;
        expect(out.constructor).toBe(Uint8Array);
        expect(out.buffer).not.toBe(input.buffer);
        expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
        input.fill(0); // the socket reuses its buffer: the decoded bytes must not change
        expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
      }
    }
    expectDecodes("c5 0002 0102", new Uint8Array([1, 2]));
    expectDecodes("c6 00000001 ff", new Uint8Array([255]));
  });

  it("arrays and maps in every size format", () => {
    expectDecodes("90", []);
    expectDecodes("93 01 a161 c0", [1, "a", null]);
    expectDecodes("dc 0002 01 02", [1, 2]);
    expectDecodes("dd 00000001 c3", [true]);
    expectDecodes("80", {});
    expectDecodes("82 a161 01 a162 92 01 80", { a: 1, b: [1, {}] });
    expectDecodes("de 0001 a161 01", { a: 1 });
    expectDecodes("df 00000001 a161 01", { a: 1 });
    const big = { list: Array.from({ length: 70_000 }, (_, i) => i), map: Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i])) };
    expect(difference(decodeMsgpack(packr.pack(big)), big)).toBeUndefined();
  });

  it("map keys as msgpackr gives them: numbers, booleans, nil and bigints as their String(), later duplicates win", () => {
    expectDecodes("87 01 00 cb3ff8000000000000 01 cbfff8000000000000 02 c3 03 c0 04 cfffffffffffffffff 05 d0ff 06", {
      1: 0, "1.5": 1, NaN: 2, true: 3, null: 4, "18446744073709551615": 5, "-1": 6,
    });
    expectDecodes("83 a161 01 a162 02 a161 03", { a: 3, b: 2 });
    expectDecodes("82 01 a161 a131 a162", { 1: "b" });
    expectDecodes(`81 d9 11 ${"6b".repeat(17)} 01`, { ["k".repeat(17)]: 1 });
  });

  it("tells apart cached keys that share a cache slot (same length, same hashed bytes)", () => {
    const keys = ["abcdefgXi", "abcdefgYi", "abcXefghi", "abcdefgXi", "aXcdefghi", "abcdefgYi"];
    for (let round = 0; round < 3; round++) {
      for (const k of keys) expect(Object.keys(decodeMsgpack(packr.pack({ [k]: 1 })) as object)).toEqual([k]);
    }
  });

  it("rejects keys that are containers, bin or timestamps", () => {
    for (const key of ["90", "80", "c4 00", "d6ff 00000000"]) expectRejects(hex(`81 ${key} c0`), /map key at byte 1 is (an array|a map|bin|a timestamp)/);
  });

  it("timestamp 32, 64 and 96, as msgpackr decodes them", () => {
    const cases = ["d6ff 00000000", "d6ff ffffffff", "d7ff 0000000000000001", "d7ff 0000000400000000", "d7ff fffffffcffffffff", "d7ff ee6b27ffffffffff",
      "c70cff 00000000 0000000000000000", "c70cff 3b9ac9ff ffffffffffffffff", "c70cff 000f4240 fffffff000000000", "c70cff ffffffff 0000000000000001",
      "c70cff 00000000 00ff000000000001", "c8 000c ff 00000001 0000000000000001", "c9 0000000c ff 00000000 0000000000000064", "c70c ff 00 00 00 00 000a000000000000"];
    for (const h of cases) {
      const date = decodeMsgpack(hex(h));
      expect(date).toBeInstanceOf(Date);
      expect(difference(date, oldUnpack(hex(h))), h).toBeUndefined();
    }
    expectDecodes("d6ff 6553f100", new Date(1_700_000_000_000));
    for (const t of [0, -1, 1_700_000_000_123, -8.64e15, 8.64e15, 2 ** 34 * 1000 + 5]) expect(decodeMsgpack(packr.pack(new Date(t)))).toEqual(new Date(t));
  });
});

describe("decodeMsgpack: __proto__ is data", () => {
  it.each([`81 a9 ${PROTO} 81 a1 78 01`, `81 d9 09 ${PROTO} 81 a178 01`, `81 da 0009 ${PROTO} 81 a178 01`, `81 db 00000009 ${PROTO} 81 a178 01`])("%s", (h) => {
    const out = decodeMsgpack(hex(h)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")).toEqual({ value: { x: 1 }, enumerable: true, writable: true, configurable: true });
    expect((out as { x?: unknown }).x).toBeUndefined();
    expect(({} as { x?: unknown }).x).toBeUndefined();
    expect(difference(out, oldUnpack(hex(h)))).toBeUndefined();
  });

  it("keeps the order of a __proto__ key among others, and a __proto__ string value as a string", () => {
    const h = `83 a161 01 a9 ${PROTO} 90 a162 a9 ${PROTO}`;
    expect(difference(decodeMsgpack(hex(h)), oldUnpack(hex(h)))).toBeUndefined();
    expect(Object.keys(decodeMsgpack(hex(h)) as object)).toEqual(["a", "__proto__", "b"]);
  });
});

describe("decodeMsgpack: malformed input", () => {
  const arrays = (n: number): Uint8Array => Uint8Array.from([...new Array<number>(n - 1).fill(0x91), 0x90]);
  const maps = (n: number): Uint8Array => Uint8Array.from([...new Array<number>(n - 1).fill(0).flatMap(() => [0x81, 0xa1, 0x61]), 0x80]);

  it("nesting: 256 levels decode, 257 do not, in arrays, maps and map keys", () => {
    for (const build of [arrays, maps]) {
      expect(() => decodeMsgpack(build(256))).not.toThrow();
      expectRejects(build(257), "nesting deeper than 256");
      expect(() => decodeMsgpack(build(4), 4)).not.toThrow();
      expect(() => decodeMsgpack(build(5), 4)).toThrow("nesting deeper than 4");
    }
    expect(() => decodeMsgpack(hex("81 91 90 01"), 2)).toThrow("nesting deeper than 2");
    expectRejects(hex(`${"91".repeat(256)} dc 00`), /unexpected end/); // a cut header is reported before the depth
  });

  it("never overflows the stack: 1,000,000 levels of arrays and of maps", () => {
    expectRejects(new Uint8Array(1_000_000).fill(0x91), "nesting deeper than 256");
    expectRejects(new Uint8Array(3_000_000).map((_, i) => [0x81, 0xa1, 0x61][i % 3] as number), "nesting deeper than 256");
  });

  it("every truncation of several encodings", () => {
    const values = [{ source: 5, rpc: { type: "request", method: "add", args: [1, 1001], kwargs: {}, call_id: "c001" }, timestamp: 1_700_000_000.5 },
      [2n ** 64n - 1n, -(2n ** 63n), 1.5, new Date(1_700_000_000_123), new Uint8Array([1, 2, 3]), "héllo", "x".repeat(40), null, true]];
    const encodings = [...values.map((v) => packr.pack(v)), hex("dc 0001 da 0001 61"), hex("de 0001 db 00000001 61 c5 0001 ff"), hex("c9 0000000c ff 00000000 0000000000000001")];
    for (const bytes of encodings) {
      expect(() => decodeMsgpack(bytes)).not.toThrow();
      for (let n = 0; n < bytes.length; n++) expectRejects(bytes.subarray(0, n), `unexpected end of msgpack data at byte ${n}`);
    }
  });

  it.each([
    ["", /unexpected end/], ["92 01", /unexpected end/], ["a3 61 62", /unexpected end/], ["cd 01", /unexpected end/], ["c4", /unexpected end/], ["d6", /unexpected end/],
    ["01 02", /^1 trailing byte/], ["80 80 80", /^2 trailing byte/], ["c1", /0xc1 \(never used\) at byte 0/], ["82 a1 61 01 a1 62 c1", /0xc1 \(never used\) at byte 6/],
    ["d4 01 00", /extension type 1 is not allowed/], ["d4 80 00", /extension type -128 is not allowed/], ["c7 00 00", /extension type 0 is not allowed/],
    ["d8 72 " + "00".repeat(16), /extension type 114 is not allowed/], ["d5 ff 00 00", /timestamp of 2 bytes/], ["d8 ff " + "00".repeat(16), /timestamp of 16 bytes/],
    ["c7 03 ff 00 00 00", /timestamp of 3 bytes/], ["c8 0000 ff", /timestamp of 0 bytes/], ["c7 0c", /unexpected end/], ["c7 0c ff 00", /unexpected end/],
  ])("rejects %j", (h, message) => expectRejects(hex(h), message));

  it.each([
    ["array32", "dd ffffffff c0"], ["array16", "dc ffff 01 02"], ["map32", "df ffffffff a161 c0"], ["map16", "de ffff 01"],
    ["str32", "db ffffffff 61"], ["bin32", "c6 ffffffff 00"], ["ext32", "c9 ffffffff ff 00"], ["nested", "91 dd ffffffff dd ffffffff 90"],
  ])("rejects a huge declared %s length from the bytes present, before allocating for it", (label, h) => {
    // Allocating first would fail otherwise (RangeError for 2^32 - 1 elements, or running out of memory).
    expectRejects(hex(h), label === "ext32" ? /timestamp of 4294967295 bytes/ : /unexpected end/);
  });

  it("stays linear on an array of a million empty arrays and on a lying header before many items", () => {
    const items = new Uint8Array(1_000_005).fill(0x90);
    items.set([0xdd, 0x00, 0x0f, 0x42, 0x40]);
    expect((decodeMsgpack(items) as unknown[]).length).toBe(1_000_000);
    items.set([0xdd, 0xff, 0xff, 0xff, 0xff]);
    expectRejects(items, "unexpected end of msgpack data at byte 1000005");
  });
});

describe("decodeMsgpack against the old path (scanMsgpack + msgpackr)", () => {
  const values = fuzzCases(5_000);
  const mutations = fuzzCases(5_000);

  it(`decodes ${count(values)} random values encoded by msgpackr exactly as msgpackr does`, () => {
    const rand = prng(0xdec0de);
    for (let i = 0; i < values; i++) {
      const bytes = packr.pack(randomValue(rand));
      const diff = difference(decodeMsgpack(bytes), oldUnpack(bytes));
      if (diff !== undefined) expect.fail(`case ${i}, ${Buffer.from(bytes).toString("hex").slice(0, 400)}: ${diff}`);
    }
  });

  it(`decodes ${count(values)} random values in random (non-minimal) formats exactly as the old path does`, () => {
    const rand = prng(0xf0f0);
    for (let i = 0; i < values; i++) {
      const value = randomValue(rand);
      const bytes = randomEncoding(rand, value);
      const diff = difference(decodeMsgpack(bytes), oldUnpack(bytes)) ?? difference(decodeMsgpack(bytes), randomEncodingValue(value));
      if (diff !== undefined) expect.fail(`case ${i}, ${Buffer.from(bytes).toString("hex").slice(0, 400)}: ${diff}`);
    }
  });

  it(`on ${count(mutations)} mutated encodings, throws a RangeError where the old path threw and decodes the same value elsewhere`, () => {
    const rand = prng(0xbad);
    const counts = { same: 0, rejected: 0, keys: 0 };
    for (let i = 0; i < mutations; i++) {
      const valid = rand() < 0.5 ? packr.pack(randomValue(rand, 3)) : randomEncoding(rand, randomValue(rand, 3));
      const bytes = mutate(rand, valid);
      const label = `case ${i}: ${Buffer.from(bytes).toString("hex").slice(0, 400)}`;
      let expected: unknown;
      let oldError: unknown;
      try {
        expected = oldUnpack(bytes);
      } catch (err) {
        oldError = err;
      }
      let actual: unknown;
      let error: unknown;
      try {
        actual = decodeMsgpack(bytes);
      } catch (err) {
        error = err;
      }
      if (error === undefined) {
        expect(oldError, label).toBeUndefined();
        const diff = difference(actual, expected);
        if (diff !== undefined) expect.fail(`${label}: ${diff}`);
        counts.same++;
        continue;
      }
      expect(error, label).toBeInstanceOf(RangeError);
      const message = (error as Error).message;
      if (/map key/.test(message)) {
        counts.keys++; // msgpackr refuses such keys too, except through Maps when a "__proto__" string is present
        continue;
      }
      expect(oldError, label).toBeInstanceOf(RangeError); // scanMsgpack's: the same first problem, the same words
      expect(message, label).toBe((oldError as Error).message);
      counts.rejected++;
    }
    expect(counts.same).toBeGreaterThan(mutations * 0.15);
    expect(counts.rejected).toBeGreaterThan(mutations / 4);
  });
});

/** What randomEncoding(value) must decode to: `value`, with bigints within ±2^53 as numbers. */
function randomEncodingValue(value: unknown): unknown {
  if (typeof value === "bigint") return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value;
  if (Array.isArray(value)) return value.map(randomEncodingValue);
  if (value === null || typeof value !== "object" || value instanceof Uint8Array || value instanceof Date) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: randomEncodingValue(v), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Flips, inserts, deletes or cuts a few bytes (on typed arrays: an Array of a big encoding made this the slowest step). */
function mutate(rand: () => number, valid: Uint8Array): Uint8Array {
  let bytes: Uint8Array = valid.slice();
  const at = (): number => Math.floor(rand() * (bytes.length + 1));
  for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
    const r = rand();
    const byte = rand() < 0.3 ? [0xc1, 0xd4, 0xc7, 0xdd, 0xdf, 0xdb, 0xc6, 0x91, 0x81, 0xa9, 0xff][Math.floor(rand() * 11)] as number : Math.floor(rand() * 256);
    if (r < 0.5 && bytes.length > 0) bytes[Math.min(at(), bytes.length - 1)] = byte;
    else if (r < 0.7) bytes = splice(bytes, at(), 0, [byte]);
    else if (r < 0.85) bytes = splice(bytes, at(), 1, []);
    else bytes = bytes.slice(0, at());
  }
  return bytes;
}

/** Array.prototype.splice for bytes: a copy with `remove` bytes at `at` (at most those there) replaced by `insert`. */
function splice(bytes: Uint8Array, at: number, remove: number, insert: readonly number[]): Uint8Array {
  const end = Math.min(at + remove, bytes.length);
  const out = new Uint8Array(at + insert.length + bytes.length - end);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(end), at + insert.length);
  return out;
}
