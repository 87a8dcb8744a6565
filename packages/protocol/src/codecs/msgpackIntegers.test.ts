import { describe, expect, it } from "vitest";
import { canonicalInteger } from "../../test/canonicalMsgpack.js";
import { count, fuzzCases, prng } from "../../test/randomValues.js";
import { decodeMsgpack } from "./msgpackDecode.js";
import { encodeMsgpackValue } from "./msgpackEncode.js";
import { packr } from "./msgpackOptions.js";
import { packMsgpack } from "./packMsgpack.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const encoders = [
  ["encodeMsgpackValue (server)", encodeMsgpackValue],
  ["packMsgpack (client)", packMsgpack],
] as const;

/** Every width's edges: ±2^7, 2^8, 2^15, 2^16, 2^31, 2^32, 2^53 - 1, each with its neighbours. */
const EDGES = [2 ** 5, 2 ** 7, 2 ** 8, 2 ** 15, 2 ** 16, 2 ** 31, 2 ** 32].flatMap((e) => [e - 1, e, e + 1]).concat([2 ** 53 - 2, 2 ** 53 - 1]);
const INTEGERS = [0, ...EDGES, ...EDGES.map((n) => -n)];

/** Hand-computed: the formats msgspec and Python's msgpack pick. */
const TABLE: Array<[number, string]> = [
  [127, "7f"],
  [128, "cc80"],
  [255, "ccff"],
  [256, "cd0100"],
  [65535, "cdffff"],
  [65536, "ce00010000"],
  [2 ** 32 - 1, "ceffffffff"],
  [2 ** 32, "cf0000000100000000"],
  [2 ** 53 - 1, "cf001fffffffffffff"],
  [-1, "ff"],
  [-32, "e0"],
  [-33, "d0df"],
  [-128, "d080"],
  [-129, "d1ff7f"],
  [-32768, "d18000"],
  [-32769, "d2ffff7fff"],
  [-(2 ** 31), "d280000000"],
  [-(2 ** 31) - 1, "d3ffffffff7fffffff"],
  [-(2 ** 53 - 1), "d3ffe0000000000001"],
];

describe.each(encoders)("%s writes integers as msgspec does", (_name, encode) => {
  it.each(TABLE)("%d is %s", (n, bytes) => {
    expect(hex(encode(n))).toBe(bytes);
  });

  it(`every width and sign at its edges (${INTEGERS.length} integers) in the smallest format`, () => {
    for (const n of INTEGERS) expect(hex(encode(n)), String(n)).toBe(hex(canonicalInteger(n)));
  });

  it("keeps -0, fractions, NaN, ±Infinity and numbers beyond 2^53 - 1 as float64", () => {
    for (const n of [-0, 0.5, -1.5, 2 ** 32 + 0.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 2 ** 60]) {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0xcb;
      bytes.writeDoubleBE(n, 1);
      expect(hex(encode(n)), String(n)).toBe(hex(bytes));
    }
  });

  const cases = fuzzCases(2_000);
  it(`random safe integers (${count(cases)}, seeded) read back the same by our decoder and msgpackr`, () => {
    const rand = prng(0x1e7);
    for (let i = 0; i < cases; i++) {
      const n = Math.floor((rand() - 0.5) * 2 ** (1 + Math.floor(rand() * 54)));
      if (!Number.isSafeInteger(n) || Object.is(n, -0)) continue;
      const bytes = encode({ n });
      if (hex(bytes) !== `81a16e${hex(canonicalInteger(n))}`) expect(hex(bytes), String(n)).toBe(`81a16e${hex(canonicalInteger(n))}`);
      expect(decodeMsgpack(bytes)).toEqual({ n });
      expect(packr.unpack(bytes)).toEqual({ n }); // msgpackr with int64AsType "auto"
    }
  });

  it("-0 round-trips", () => {
    expect(Object.is(decodeMsgpack(encode(-0)), -0)).toBe(true);
  });
});

it("bigints keep their 64-bit formats", () => {
  expect(hex(encodeMsgpackValue(2n ** 32n))).toBe("d30000000100000000");
  expect(hex(packMsgpack(2n ** 32n))).toBe("d30000000100000000");
});
