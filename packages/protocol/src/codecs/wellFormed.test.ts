import { describe, expect, it } from "vitest";
import { hasSurrogateBytes, toWellFormed, wellFormedCopy } from "./wellFormed.js";

describe("toWellFormed", () => {
  it("replaces lone surrogates and keeps pairs", () => {
    expect(toWellFormed("a\uD800b\uDC00c😀")).toBe("a\uFFFDb\uFFFDc😀");
    expect(toWellFormed("\uDC00\uD800")).toBe("\uFFFD\uFFFD");
    expect(toWellFormed("plain")).toBe("plain");
  });

  it("has a fallback for engines without String.prototype.toWellFormed", () => {
    const proto = String.prototype as { toWellFormed?: unknown };
    const native = proto.toWellFormed;
    delete proto.toWellFormed;
    try {
      expect(toWellFormed("a\uD800b\uDC00c😀\uDBFF")).toBe("a\uFFFDb\uFFFDc😀\uFFFD");
    } finally {
      proto.toWellFormed = native;
    }
  });
});

describe("wellFormedCopy", () => {
  it("fixes strings in keys and values of objects, arrays and Maps, sharing everything else", () => {
    const bytes = new Uint8Array([1]);
    const date = new Date(0);
    const copy = wellFormedCopy({ "k\uD800": ["\uDC00", 1, 2n, bytes, date, new Map([["m\uD800", "v\uD800"]])] }) as Record<string, unknown[]>;
    expect(Object.keys(copy)).toEqual(["k\uFFFD"]);
    const list = copy["k\uFFFD"] ?? [];
    expect(list.slice(0, 5)).toEqual(["\uFFFD", 1, 2n, bytes, date]);
    expect(list[3]).toBe(bytes);
    expect(list[4]).toBe(date);
    expect([...(list[5] as Map<string, string>)]).toEqual([["m\uFFFD", "v\uFFFD"]]);
  });

  it("keeps a __proto__ key as an own property", () => {
    const copy = wellFormedCopy(JSON.parse('{"__proto__":{"x":"\\ud800"}}')) as object;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toEqual({ x: "\uFFFD" });
  });
});

describe("hasSurrogateBytes", () => {
  it("finds UTF-8-encoded surrogates (ED A0..BF) and nothing else", () => {
    expect(hasSurrogateBytes(Uint8Array.from([0x61, 0xed, 0xa0, 0x80]))).toBe(true);
    expect(hasSurrogateBytes(Uint8Array.from([0xed, 0xbf, 0xbf]))).toBe(true);
    expect(hasSurrogateBytes(Uint8Array.from([0xed, 0x9f, 0xbf]))).toBe(false); // U+D7FF
    expect(hasSurrogateBytes(Uint8Array.from([0x61, 0xed]))).toBe(false);
    expect(hasSurrogateBytes(new TextEncoder().encode("😀 漢字"))).toBe(false);
  });
});
