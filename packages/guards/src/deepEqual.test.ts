import { describe, expect, it } from "vitest";
import { deepEqual } from "./deepEqual.js";

describe("deepEqual", () => {
  it.each([
    ["equal strings", "a", "a"],
    ["0 and -0", -0, 0],
    ["null", null, null],
    ["booleans", false, false],
    ["bigints", 10n, 10n],
    ["a number and a bigint with the same integer", 10, 10n],
    ["a huge number and bigint", 2 ** 60, 2n ** 60n],
    ["empty arrays", [], []],
    ["empty objects", {}, {}],
    ["a null-prototype object and a plain object", Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 }],
    ["nested structures in another key order", { b: [1, { c: null }], a: "x" }, { a: "x", b: [1, { c: null }] }],
    ["bigint inside arrays", [1n, 2], [1, 2n]],
  ])("equal: %s", (_name, actual, expected) => {
    expect(deepEqual(actual, expected as never)).toBe(true);
  });

  it.each([
    ["different strings", "a", "b"],
    ["a number and a numeric string", 1, "1"],
    ["true and 1", true, 1],
    ["false and 0", false, 0],
    ["null and undefined", undefined, null],
    ["NaN and NaN", Number.NaN, 0],
    ["a fraction and a bigint", 1.5, 1n],
    ["a bigint and a fraction", 1n, 1.5],
    ["different bigints", 1n, 2n],
    ["arrays of different length", [1, 2], [1]],
    ["arrays in different order", [1, 2], [2, 1]],
    ["an array and an object with index keys", { 0: "a", length: 1 }, ["a"]],
    ["an object and an array", ["a"], { 0: "a" }],
    ["an object with an extra key", { a: 1, b: 2 }, { a: 1 }],
    ["an object missing a key", { a: 1 }, { a: 1, b: 2 }],
    ["an object with an undefined value instead of a missing key", { a: 1, b: undefined }, { a: 1, c: null }],
    ["a Date and an object", new Date(0), {}],
    ["a Map and an object", new Map(), {}],
    ["null and an object", null, {}],
    ["a string and an array", "ab", ["a", "b"]],
  ])("not equal: %s", (_name, actual, expected) => {
    expect(deepEqual(actual, expected as never)).toBe(false);
  });

  it("ignores inherited and non-enumerable properties of the actual value", () => {
    const inherited = Object.create({ a: 1 }) as object;
    expect(deepEqual(inherited, { a: 1 })).toBe(false);
    const hidden = Object.defineProperty({}, "a", { value: 1, enumerable: false });
    expect(deepEqual(hidden, { a: 1 })).toBe(false);
  });

  it("terminates on a circular actual value", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    expect(deepEqual(cyclic, { a: 1, self: { a: 1, self: {} } })).toBe(false);
  });
});
