import { describe, expect, it } from "vitest";
import { count, fuzzCases, prng, randomValue } from "../../test/randomValues.js";
import { NOT_FAST, parseJsonBytes } from "./jsonBytes.js";
import { jsonCodec } from "./json.js";
import { parse, stringify } from "./jsonText.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const fatal = new TextDecoder("utf-8", { fatal: true });

/** What the general path makes of the bytes ("throws" when it refuses them). */
function general(bytes: Uint8Array): unknown {
  try {
    return parse(fatal.decode(bytes));
  } catch {
    return "throws";
  }
}

/** Deep equality that also tells -0 from 0 and checks key order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join("\u0000") !== kb.join("\u0000")) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The fast path either steps aside or agrees exactly with the general path. */
function agrees(bytes: Uint8Array): "fast" | "general" {
  const fast = parseJsonBytes(bytes);
  if (fast === NOT_FAST) return "general";
  const expected = general(bytes);
  if (!same(fast, expected)) {
    throw new Error(`fast path disagrees on ${JSON.stringify(new TextDecoder().decode(bytes))}: ${stringify(fast)} vs ${String(stringify(expected))}`);
  }
  return "fast";
}

describe("parseJsonBytes (the JSON fast path)", () => {
  it("parses what clients send: packets from JSON.stringify, Python's json.dumps spacing, every literal", () => {
    const texts = [
      '{"source":5,"data":null,"rpc":{"type":"request","method":"add","args":[1,1001],"kwargs":{},"call_id":"c001"},"channel":null,"timestamp":1795921087.439,"correlation_id":null}',
      '{"rpc": {"type": "request", "method": "add", "args": [10, 20], "kwargs": {}}, "source": 5}',
      ' \t\r\n[true , false,null, -0, 0, -1, 1.5e3, 2E-2, 0.1, 123456789012345, -123456789012345, 1.7976931348623157e308, 5e-324] ',
      '{"a":{"b":[[],{}]},"é":"ünïcødé 中 😀","":"","0":1,"a ":2}',
      '"just a string"',
      "42",
      '{"dup":1,"dup":2}',
      '{"x":0.1,"y":1795921087.4391234,"z":-12.50}',
    ];
    for (const t of texts) expect(agrees(utf8(t)), t).toBe("fast");
    expect(parseJsonBytes(utf8('{"dup":1,"dup":2}'))).toEqual({ dup: 2 });
    expect(Object.is(parseJsonBytes(utf8("-0")), -0)).toBe(true);
  });

  it("steps aside for escapes, long integers, deep nesting, __proto__, a BOM, bad UTF-8 and malformed JSON", () => {
    const general = [
      '"a\\"b"', '"\\u00e9"', "12345678901234567", "-9007199254740993", `${"[".repeat(70)}${"]".repeat(70)}`,
      '{"__proto__":{"x":1}}', "\ufeff{}", "", " ", "{", "[1,]", '{"a":1,}', "01", "1.", ".5", "+1", "-", "1e", "tru", "nul",
      "[1 2]", '{"a" 1}', '{1:2}', '"tab\there"', "NaN", "Infinity", "{}x", "[]]",
    ];
    for (const t of general) expect(parseJsonBytes(utf8(t)), t).toBe(NOT_FAST);
    expect(parseJsonBytes(Uint8Array.of(0x22, 0xc3, 0x28, 0x22))).toBe(NOT_FAST); // invalid UTF-8 inside a string
    expect(parseJsonBytes(Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22))).toBe(NOT_FAST); // an encoded surrogate
  });

  const values = fuzzCases(2_000);
  it(`agrees with the general path on ${count(values)} random values and a mutation of each`, () => {
    const rand = prng(0x1503);
    let fast = 0;
    for (let i = 0; i < values; i++) {
      const bytes = utf8(stringify(randomValue(rand, 4)));
      if (bytes.length > 20_000) continue; // the rare huge ones add time, not coverage
      if (agrees(bytes) === "fast") fast++;
      const mutated = bytes.slice();
      for (let k = 0; k < 1 + Math.floor(rand() * 3) && mutated.length > 0; k++) {
        mutated[Math.floor(rand() * mutated.length)] = rand() < 0.5 ? Math.floor(rand() * 256) : "{}[],:\"0-.eE1 tfn".charCodeAt(Math.floor(rand() * 18));
      }
      agrees(mutated);
    }
    expect(fast).toBeGreaterThan(values / 2); // the fast path really ran (strings with escapes and bigints step aside)
  });

  it("agrees on random numbers written every way JSON allows", () => {
    const rand = prng(0xf10a7);
    const numbers = fuzzCases(20_000);
    for (let i = 0; i < numbers; i++) {
      const mag = 10 ** Math.floor(rand() * 40 - 20);
      const n = (rand() - 0.5) * mag;
      const forms = [String(n), n.toFixed(Math.floor(rand() * 12)), n.toExponential(Math.floor(rand() * 16)), n.toPrecision(1 + Math.floor(rand() * 20))];
      for (const f of forms) agrees(utf8(`[${f}]`));
    }
  });

  it("backs jsonCodec.decodeDetailed: same packets as the text path", () => {
    const text = '{"source":5,"rpc":{"type":"request","method":"add","args":[10,20],"kwargs":{},"call_id":"x"}}';
    expect(jsonCodec.decodeDetailed(utf8(text))).toEqual(jsonCodec.decodeDetailed(text));
    const bad = '{"source":5,"rpc":{"type":"request","method":7}}';
    const fromBytes = jsonCodec.decodeDetailed(utf8(bad));
    expect(fromBytes).toEqual(jsonCodec.decodeDetailed(bad));
    expect(fromBytes.error).toMatch(/not a valid packet/);
  });
});
