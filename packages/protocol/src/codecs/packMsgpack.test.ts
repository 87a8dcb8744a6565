import { describe, expect, it } from "vitest";
import { encodeMsgpackValue } from "./msgpackEncode.js";
import { referenceHex } from "../../test/msgpackrWithInts.js";
import { packr } from "./msgpackOptions.js";
import { packMsgpack } from "./packMsgpack.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
/** msgpackr's bytes, with lone surrogates written as U+FFFD as encodeMsgpackValue does. */
const reference = (value: unknown): string => hex(encodeMsgpackValue(value));

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
class Stamp {
  toJSON(): string {
    return "stamp";
  }
}
class TaggedSet extends Set<number> {
  toJSON(): string {
    return "tagged";
  }
}

const VALUES: Array<[string, unknown]> = [
  ["nil", null],
  ["undefined", undefined],
  ["booleans", [true, false]],
  ["fixints", [0, 1, 127, -1, -32]],
  ["ints", [128, 255, 256, 65535, 65536, 2 ** 32 - 1, -33, -128, -129, -32768, -32769, -(2 ** 31)]],
  ["floats", [0.5, -0.5, 2 ** 32, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity, -0]],
  ["bigints", [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n - 1n]],
  ["strings", ["", "a", "x".repeat(31), "x".repeat(32), "x".repeat(255), "x".repeat(256), "x".repeat(65536), "héllo €𝄞"]],
  ["lone surrogates", ["\uD800", "a\uDC00b", { "\uD83D": "\uDE00" }]],
  ["bin", [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array(300), new Uint8Array(70000)]],
  ["arrays", [[], [1, [2, [3]]], new Array(15).fill(1), new Array(16).fill(1), new Array(70000).fill(0)]],
  ["maps", [{}, { a: 1, b: { c: [1, "x"] } }, Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))]],
  ["a big map", Object.fromEntries(Array.from({ length: 70000 }, (_, i) => [`k${i}`, i]))],
  ["Dates", [new Date(0), new Date(1_700_000_000_000), new Date(1_700_000_000_123), new Date(-1000), new Date(2 ** 33 * 1000), new Date(Number.NaN)]],
  ["Map", [new Map<unknown, unknown>([[1, "a"], ["b", { c: 2 }]]), new Map()]],
  ["Set", new Set([1, "two", null])],
  ["Error", [new Error("boom"), new TypeError("bad", { cause: "why" })]],
  ["RegExp", /a+b/gi],
  ["ArrayBuffer", new Uint8Array([9, 8, 7]).buffer],
  ["Buffer", Buffer.from("hi")],
  ["Int8Array", new Int8Array([-1, 5])],
  ["DataView", new DataView(new ArrayBuffer(4))],
  ["class instances", [new Point(1, 2), Object.create(null) as object]],
  ["toJSON", [new Stamp(), new TaggedSet([1])]],
  ["functions", [() => 1, { f() {} }]],
  ["nested fallbacks", { when: new Date(5000), tags: new Set(["a"]), pts: [new Point(3, 4)] }],
];

describe("packMsgpack writes msgpackr's bytes (MSGPACK_OPTIONS), integers apart", () => {
  it.each(VALUES)("%s", (_name, value) => {
    expect(hex(packMsgpack(value))).toBe(reference(value));
  });

  it("random JSON-like values", () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const make = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.3) return [null, true, 1.25, -7, 300, 70000, "s", "\u00e9", 2 ** 40][Math.floor(rand() * 9)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 6) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 6) }, (_, i) => [`k${i}`, make(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const value = make(0);
      expect(hex(packMsgpack(value))).toBe(referenceHex(value));
    }
  });

  it("typed arrays wider than a byte: msgpackr's header and elements (it leaves the rest of byteLength unwritten)", () => {
    for (const value of [new Uint16Array([1, 2]), new Float64Array([1.5, 300])]) {
      const ours = packMsgpack(value);
      const theirs = packr.pack(value);
      expect(ours.length).toBe(theirs.length);
      expect(hex(ours.subarray(0, 2 + value.length))).toBe(hex(theirs.subarray(0, 2 + value.length)));
      expect([...ours.subarray(2 + value.length)].every((b) => b === 0)).toBe(true);
    }
  });

  it("throws where msgpackr throws", () => {
    expect(() => packMsgpack(2n ** 64n)).toThrow(RangeError);
    expect(() => packMsgpack(-(2n ** 63n) - 1n)).toThrow(RangeError);
    expect(() => packr.pack(2n ** 64n)).toThrow(RangeError);
    expect(() => packMsgpack(Symbol("s"))).toThrow();
    expect(() => packr.pack(Symbol("s"))).toThrow();
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => packMsgpack(cycle)).toThrow(RangeError);
  });
});
