import { describe, expect, it } from "vitest";
import { MAX_PREDICATE_DEPTH, type Predicate } from "./predicate.js";
import { predicateFromJSON } from "./predicateFromJSON.js";
import { PredicateJSONError } from "./predicateJSONError.js";
import { All, Any, Has, Is, IsEqual, Not } from "./predicates.js";

const samples: Array<[string, Predicate]> = [
  ["Is", Is("is_admin")],
  ["Has", Has("username")],
  ["IsEqual string", IsEqual("role", "editor")],
  ["IsEqual null", IsEqual("k", null)],
  ["IsEqual false", IsEqual("k", false)],
  ["IsEqual number", IsEqual("k", -1.5)],
  ["IsEqual bigint", IsEqual("k", -123456789012345678901234567890n)],
  ["IsEqual nested", IsEqual("k", { a: [1, { b: 2n }], c: {}, d: [] })],
  ["IsEqual $ keys", IsEqual("k", { $bigint: "not a bigint", $$x: 1, $: [true] })],
  ["IsEqual __proto__ key", IsEqual("k", JSON.parse('{"__proto__": {"x": 1}}') as never)],
  ["Any", Any(Is("a"), Has("b"))],
  ["All", All(Has("username"), IsEqual("role", "editor"))],
  ["empty Any", Any()],
  ["empty All", All()],
  ["Not", Not(Is("banned"))],
  ["deep nesting", All(Any(Not(All(Is("a"), IsEqual("b", [1]))), Has("c")), Not(Any()))],
];

const states: Array<Record<string, unknown>> = [
  {},
  { is_admin: true, username: "ann", role: "editor", a: 1, b: [1], c: 0 },
  { k: -123456789012345678901234567890n, banned: true, role: "admin" },
  { k: { a: [1, { b: 2 }], c: {}, d: [] } },
  { k: { $bigint: "not a bigint", $$x: 1, $: [true] } },
  { k: JSON.parse('{"__proto__": {"x": 1}}') as unknown },
];

describe("toJSON", () => {
  it("gives the documented shapes", () => {
    expect(Is("is_admin").toJSON()).toEqual({ op: "is", key: "is_admin" });
    expect(Has("u").toJSON()).toEqual({ op: "has", key: "u" });
    expect(IsEqual("role", "editor").toJSON()).toEqual({ op: "isEqual", key: "role", value: "editor" });
    expect(All(Is("a"), Any()).toJSON()).toEqual({ op: "all", of: [{ op: "is", key: "a" }, { op: "any", of: [] }] });
    expect(Not(Has("x")).toJSON()).toEqual({ op: "not", of: { op: "has", key: "x" } });
    expect(JSON.stringify(Is("is_admin"))).toBe('{"op":"is","key":"is_admin"}');
  });
  it("tags bigints and escapes $ keys", () => {
    expect(IsEqual("n", 5n).toJSON()).toEqual({ op: "isEqual", key: "n", value: { $bigint: "5" } });
    expect(IsEqual("o", { $bigint: "5" }).toJSON()).toEqual({ op: "isEqual", key: "o", value: { $$bigint: "5" } });
  });
});

describe("predicateFromJSON round trip", () => {
  it.each(samples)("%s survives JSON.stringify + predicateFromJSON", (_name, p) => {
    const text = JSON.stringify(p);
    const back = predicateFromJSON(JSON.parse(text));
    expect(back.toString()).toBe(p.toString());
    expect(JSON.stringify(back)).toBe(text);
    expect(predicateFromJSON(text).toString()).toBe(p.toString());
    for (const state of states) expect(back.test(state)).toBe(p.test(state));
  });

  it("evaluates the same on another 'node'", () => {
    const wire = JSON.stringify({ predicate: All(Has("username"), IsEqual("role", "editor")) });
    const { predicate } = JSON.parse(wire) as { predicate: unknown };
    const p = predicateFromJSON(predicate);
    expect(p.test({ username: "ann", role: "editor" })).toBe(true);
    expect(p.test({ role: "editor" })).toBe(false);
  });
});

describe("predicateFromJSON rejects malformed input", () => {
  const deep = (() => {
    let json: unknown = { op: "is", key: "a" };
    for (let i = 0; i < MAX_PREDICATE_DEPTH; i++) json = { op: "not", of: json };
    return json;
  })();

  it.each([
    ["null", null, "$", /expected an object/],
    ["a number", 5, "$", /got number/],
    ["an array", [], "$", /got an array/],
    ["invalid JSON text", "{op:", "$", /not valid JSON/],
    ["a missing op", { key: "a" }, "$.op", /expected one of "is", "has", "isEqual", "any", "all", "not", got nothing/],
    ["an unknown op", { op: "xor", of: [] }, "$.op", /got "xor"/],
    ["an inherited op name", { op: "toString", key: "a" }, "$.op", /got "toString"/],
    ["a missing key", { op: "is" }, "$.key", /missing/],
    ["an empty key", { op: "has", key: "" }, "$.key", /non-empty string/],
    ["a numeric key", { op: "is", key: 1 }, "$.key", /non-empty string/],
    ["an unknown property", { op: "is", key: "a", value: 1 }, "$.value", /unknown property.*expected only op, key/],
    ["a missing value", { op: "isEqual", key: "a" }, "$.value", /missing/],
    ["an undefined value", { op: "isEqual", key: "a", value: undefined }, "$.value", /expected JSON data/],
    ["a NaN value", { op: "isEqual", key: "a", value: [Number.NaN] }, "$.value[0]", /expected JSON data/],
    ["a bad bigint", { op: "isEqual", key: "a", value: { $bigint: "12x" } }, "$.value.$bigint", /decimal digits/],
    ["an unknown tag", { op: "isEqual", key: "a", value: { $date: "2020" } }, "$.value.$date", /unknown tag/],
    ["a non-array of", { op: "all", of: { op: "is", key: "a" } }, "$.of", /expected an array/],
    ["a bad child", { op: "any", of: [{ op: "is", key: "a" }, { op: "is" }] }, "$.of[1].key", /missing/],
    ["a function child", { op: "not", of: () => true }, "$.of", /got function/],
    ["too deep nesting", deep, expect.stringMatching(/^\$(\.of)+$/) as unknown as string, /nest at most/],
  ])("%s", (_name, input, path, message) => {
    let error: unknown;
    try {
      predicateFromJSON(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PredicateJSONError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as PredicateJSONError).path).toEqual(path);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Invalid predicate JSON at \$/);
  });

  it("refuses a circular value", () => {
    const value: Record<string, unknown> = {};
    value["self"] = value;
    expect(() => predicateFromJSON({ op: "isEqual", key: "a", value })).toThrow(/circular/);
  });
});
