import { describe, expect, it } from "vitest";
import { msgpackCodec } from "../src/codecs/msgpack.js";
import { scanMsgpack } from "./msgpackScan.js";

const hex = (h: string): Uint8Array => Uint8Array.from(h.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));

describe("scanMsgpack", () => {
  it("accepts every standard type the encoder writes", () => {
    const value = {
      ints: [0, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, -1, -32, -33, -128, -129, -32_768, -32_769, -(2 ** 31)],
      big: [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n],
      floats: [0.5, 2 ** 40, Number.NaN],
      strings: ["", "a".repeat(31), "b".repeat(32), "c".repeat(256), "d".repeat(70_000)],
      bins: [new Uint8Array(0), new Uint8Array(256), new Uint8Array(70_000)],
      arrays: [[], new Array(15).fill(1), new Array(16).fill(1), new Array(70_000).fill(null)],
      maps: [{}, Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))],
      misc: [true, false, null, new Date(1_700_000_000_000), new Date(1_700_000_000_123), new Date(-1)],
    };
    expect(() => scanMsgpack(msgpackCodec.encodeValue(value))).not.toThrow();
  });

  it("accepts the three timestamp sizes", () => {
    for (const h of ["d6ff00000001", "d7ff0000000000000001", "c70cff000000000000000000000001"]) expect(() => scanMsgpack(hex(h))).not.toThrow();
  });

  it.each([
    ["", /unexpected end/],
    ["92 01", /unexpected end/],
    ["a3 61 62", /unexpected end/],
    ["cd 01", /unexpected end/],
    ["c4", /unexpected end/],
    ["d6", /unexpected end/],
    ["01 02", /1 trailing byte/],
    ["c1", /0xc1/],
    ["d4 01 00", /extension type 1 is not allowed/],
    ["d4 80 00", /extension type -128 is not allowed/],
    ["d5 ff 00 00", /timestamp of 2 bytes/],
  ])("rejects %j", (input, message) => {
    expect(() => scanMsgpack(hex(input))).toThrow(RangeError);
    expect(() => scanMsgpack(hex(input))).toThrow(message);
  });

  it("limits nesting, counting the outermost container as level 1, maps and arrays alike", () => {
    const arrays = (n: number): Uint8Array => Uint8Array.from([...new Array<number>(n - 1).fill(0x91), 0x90]);
    const maps = (n: number): Uint8Array => Uint8Array.from([...new Array<number>(n - 1).fill(0).flatMap(() => [0x81, 0xa1, 0x61]), 0x80]);
    for (const build of [arrays, maps]) {
      expect(() => scanMsgpack(build(4), 4)).not.toThrow();
      expect(() => scanMsgpack(build(5), 4)).toThrow("nesting deeper than 4");
      expect(() => scanMsgpack(build(256))).not.toThrow();
      expect(() => scanMsgpack(build(257))).toThrow("nesting deeper than 256");
    }
  });

  it('reports a "__proto__" string in any string format, and nothing else', () => {
    const proto = "5f5f70726f746f5f5f";
    expect(scanMsgpack(msgpackCodec.encodeValue({ a: "b", list: ["__proto_", "__proto__x"] }))).toBe(false);
    expect(scanMsgpack(hex(`81 a9 ${proto} c0`))).toBe(true);
    expect(scanMsgpack(hex(`81 d9 09 ${proto} c0`))).toBe(true);
    expect(scanMsgpack(hex(`81 da 0009 ${proto} c0`))).toBe(true);
    expect(scanMsgpack(hex(`81 db 00000009 ${proto} c0`))).toBe(true);
    expect(scanMsgpack(hex(`91 c4 09 ${proto}`))).toBe(false); // bytes, not a string
  });

  it("counts map keys that are containers", () => {
    expect(() => scanMsgpack(hex("81 91 90 01"), 3)).not.toThrow();
    expect(() => scanMsgpack(hex("81 91 90 01"), 2)).toThrow("nesting");
  });
});
