import { describe, expect, it } from "vitest";
import { MAX_PREDICATE_DEPTH, Predicate, isSerializablePredicate } from "./predicate.js";
import { All, AllPredicate, Any, Has, Is, IsEqual, IsPredicate, Not } from "./predicates.js";
import { isTruthy } from "./isTruthy.js";

describe("Is", () => {
  it.each([
    ["true", true],
    ["non-zero number", 1],
    ["negative number", -1],
    ["non-empty string", "x"],
    ["string '0'", "0"],
    ["string 'false'", "false"],
    ["non-empty array", [0]],
    ["non-empty object", { a: 0 }],
    ["bigint", 2n],
    ["Date", new Date(0)],
    ["function", () => false],
    ["non-empty Map", new Map([[1, 1]])],
    ["non-empty Uint8Array", new Uint8Array(1)],
  ])("is true for a truthy value (%s)", (_name, value) => {
    expect(Is("k").test({ k: value })).toBe(true);
  });

  it.each([
    ["false", false],
    ["0", 0],
    ["-0", -0],
    ["NaN", Number.NaN],
    ["0n", 0n],
    ["empty string", ""],
    ["null", null],
    ["undefined", undefined],
    ["empty array", []],
    ["empty object", {}],
    ["empty null-prototype object", Object.create(null) as object],
    ["empty Map", new Map()],
    ["empty Set", new Set()],
    ["empty Uint8Array", new Uint8Array(0)],
  ])("is false for a falsy value (%s), with Python truthiness", (_name, value) => {
    expect(Is("k").test({ k: value })).toBe(false);
  });

  it("is false for a missing key and never throws", () => {
    expect(Is("is_admin").test({})).toBe(false);
    expect(Is("is_admin").test({ other: true })).toBe(false);
  });

  it("never reads the prototype chain", () => {
    for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(Is(key).test({})).toBe(false);
      expect(Has(key).test({})).toBe(false);
      expect(IsEqual(key, null).test({})).toBe(false);
    }
    const inherited = Object.create({ is_admin: true }) as Record<string, unknown>;
    expect(Is("is_admin").test(inherited)).toBe(false);
    expect(Has("is_admin").test(inherited)).toBe(false);
  });

  it("reads an own __proto__ property (as JSON.parse creates)", () => {
    const state = JSON.parse('{"__proto__": true}') as Record<string, unknown>;
    expect(Is("__proto__").test(state)).toBe(true);
    expect(Has("__proto__").test(state)).toBe(true);
    expect(IsEqual("__proto__", true).test(state)).toBe(true);
  });

  it("is false, not an error, when the state is not an object", () => {
    for (const state of [null, undefined, 42, "str"]) {
      expect(Is("k").test(state as never)).toBe(false);
      expect(Has("k").test(state as never)).toBe(false);
      expect(IsEqual("k", 1).test(state as never)).toBe(false);
      expect(Not(Has("k")).test(state as never)).toBe(true);
    }
  });

  it("works on null-prototype states", () => {
    const state = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(Is("a").test(state)).toBe(true);
    expect(Has("a").test(state)).toBe(true);
    expect(Has("toString").test(state)).toBe(false);
  });
});

describe("isTruthy", () => {
  it("treats class instances as truthy even when empty", () => {
    class Empty {}
    expect(isTruthy(new Empty())).toBe(true);
    expect(isTruthy(Symbol("s"))).toBe(true);
  });
});

describe("Has", () => {
  it.each([false, 0, "", null, undefined, [], {}, Number.NaN])("is true when the key is present with a falsy value (%s)", (value) => {
    expect(Has("k").test({ k: value })).toBe(true);
  });
  it("is false when the key is absent", () => {
    expect(Has("username").test({ user: "x" })).toBe(false);
  });
});

describe("IsEqual", () => {
  it("compares primitives", () => {
    expect(IsEqual("role", "editor").test({ role: "editor" })).toBe(true);
    expect(IsEqual("role", "editor").test({ role: "admin" })).toBe(false);
    expect(IsEqual("n", 1).test({ n: 1 })).toBe(true);
    expect(IsEqual("n", 1).test({ n: "1" })).toBe(false);
    expect(IsEqual("b", true).test({ b: 1 })).toBe(false);
    expect(IsEqual("z", 0).test({ z: -0 })).toBe(true);
  });
  it("matches null only to null, and a missing key to nothing", () => {
    expect(IsEqual("k", null).test({ k: null })).toBe(true);
    expect(IsEqual("k", null).test({ k: undefined })).toBe(false);
    expect(IsEqual("k", null).test({})).toBe(false);
  });
  it("compares deeply", () => {
    const expected = { roles: ["a", "b"], meta: { level: 3, tags: [] } };
    expect(IsEqual("p", expected).test({ p: { meta: { tags: [], level: 3 }, roles: ["a", "b"] } })).toBe(true);
    expect(IsEqual("p", expected).test({ p: { meta: { tags: [], level: 3 }, roles: ["b", "a"] } })).toBe(false);
  });
  it("copies and freezes the expected value", () => {
    const value = { a: [1] };
    const p = IsEqual("k", value);
    value.a.push(2);
    expect(p.test({ k: { a: [1] } })).toBe(true);
    expect(Object.isFrozen(p.value)).toBe(true);
  });
  it.each([
    ["undefined", undefined],
    ["a function", () => 1],
    ["a symbol", Symbol("x")],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a Date", new Date()],
    ["a Map", new Map()],
    ["a nested undefined", { a: [1, undefined] }],
  ])("refuses a value that is not JSON-like (%s)", (_name, value) => {
    expect(() => IsEqual("k", value as never)).toThrow(TypeError);
    expect(() => IsEqual("k", value as never)).toThrow(/expected null, a boolean, a finite number/);
  });
  it("names the offending path", () => {
    expect(() => IsEqual("k", { a: [1, new Date()] } as never)).toThrow(/value\.a\[1\] is a Date/);
  });
  it("refuses circular values", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => IsEqual("k", cyclic as never)).toThrow(/circular/);
  });
});

describe("keys", () => {
  it("must be non-empty strings", () => {
    expect(() => Is("")).toThrow(/non-empty string/);
    expect(() => Has(1 as never)).toThrow(/Has\(key\) needs a non-empty string key, got number/);
    expect(() => IsEqual(undefined as never, 1)).toThrow(TypeError);
  });
});

describe("Any / All / Not", () => {
  const state = { username: "ann", role: "editor", banned: false };

  it("All is true when every predicate passes", () => {
    expect(All(Has("username"), IsEqual("role", "editor")).test(state)).toBe(true);
    expect(All(Has("username"), IsEqual("role", "admin")).test(state)).toBe(false);
  });
  it("Any is true when one predicate passes", () => {
    expect(Any(IsEqual("role", "admin"), IsEqual("role", "editor")).test(state)).toBe(true);
    expect(Any(IsEqual("role", "admin"), Is("banned")).test(state)).toBe(false);
  });
  it("All() is true and Any() is false (the empty cases)", () => {
    expect(All().test({})).toBe(true);
    expect(Any().test({})).toBe(false);
    expect(Not(Any()).test({})).toBe(true);
  });
  it("Not inverts", () => {
    expect(Not(Is("banned")).test(state)).toBe(true);
    expect(Not(Has("username")).test(state)).toBe(false);
    expect(Not(Not(Has("username"))).test(state)).toBe(true);
    expect(Not(Is("missing")).test(state)).toBe(true);
  });
  it("nests", () => {
    const p = All(Any(IsEqual("role", "admin"), All(IsEqual("role", "editor"), Not(Is("banned")))), Has("username"));
    expect(p.test(state)).toBe(true);
    expect(p.test({ ...state, banned: true })).toBe(false);
    expect(p.test({ ...state, banned: true, role: "admin" })).toBe(true);
    expect(p.test({ role: "admin" })).toBe(false);
  });
  it("short-circuits", () => {
    let calls = 0;
    class Counting extends IsPredicate {
      override test(): boolean {
        calls++;
        return true;
      }
    }
    Any(Is("x"), new Counting("y"), new Counting("z")).test({ x: 1 });
    All(Is("x"), new Counting("y")).test({});
    expect(calls).toBe(0);
  });
  it("refuses plain functions and other non-predicates, explaining why", () => {
    expect(() => Any((() => true) as never)).toThrow(/local-only/);
    expect(() => All(Is("a"), "b" as never)).toThrow(/All\(\) argument 1 is not a predicate/);
    expect(() => Not(undefined as never)).toThrow(TypeError);
  });
  it("limits nesting depth", () => {
    let p: Predicate = Is("a");
    for (let i = 1; i < MAX_PREDICATE_DEPTH; i++) p = Not(p);
    expect(p.depth).toBe(MAX_PREDICATE_DEPTH);
    expect(() => Not(p)).toThrow(RangeError);
    expect(() => All(Is("b"), p)).toThrow(/nest at most/);
  });
  it("keeps its children frozen", () => {
    const p = All(Is("a"));
    expect(p).toBeInstanceOf(AllPredicate);
    expect(Object.isFrozen(p.predicates)).toBe(true);
  });
});

describe("toString", () => {
  it.each([
    [Is("is_admin"), 'Is("is_admin")'],
    [Has("username"), 'Has("username")'],
    [IsEqual("role", "editor"), 'IsEqual("role", "editor")'],
    [IsEqual("n", 12345678901234567890n), 'IsEqual("n", 12345678901234567890n)'],
    [IsEqual("o", { a: [1, null, true], "b c": {} }), 'IsEqual("o", {"a": [1, null, true], "b c": {}})'],
    [All(Has("username"), IsEqual("role", "editor")), 'All(Has("username"), IsEqual("role", "editor"))'],
    [Any(), "Any()"],
    [Not(Any(Is("a"), Is('q"uote'))), 'Not(Any(Is("a"), Is("q\\"uote")))'],
  ])("%s", (p, text) => {
    expect(p.toString()).toBe(text);
    expect(`${p}`).toBe(text);
  });
});

describe("isSerializablePredicate", () => {
  it("recognizes predicates and nothing else", () => {
    expect(isSerializablePredicate(Is("a"))).toBe(true);
    expect(isSerializablePredicate(All())).toBe(true);
    expect(isSerializablePredicate(() => true)).toBe(false);
    expect(isSerializablePredicate({ op: "is", key: "a" })).toBe(false);
    expect(isSerializablePredicate(null)).toBe(false);
  });
  it("recognizes a predicate from another copy of the package by its brand", () => {
    const foreign = { [Symbol.for("webshocket.predicate")]: true, test: () => true, toJSON: () => ({}) };
    expect(isSerializablePredicate(foreign)).toBe(true);
  });
});
