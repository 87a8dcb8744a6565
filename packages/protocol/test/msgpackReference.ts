/**
 * Test helpers for src/codecs/msgpackDecode.ts: the decode path it replaced
 * (scanMsgpack, then msgpackr) as the reference, a strict comparison, a seeded
 * random value generator, and an encoder that picks random (non-minimal)
 * msgpack formats.
 */
import { Packr, type Options } from "msgpackr";
import { scanMsgpack } from "./msgpackScan.js";

/** The options msgpack.ts gives msgpackr (copied: the reference must not move with the codec). */
const OPTIONS: Options = {
  useRecords: false,
  mapsAsObjects: true,
  encodeUndefinedAsNil: true,
  int64AsType: "auto" as Options["int64AsType"],
  variableMapSize: true,
  moreTypes: false,
  structuredClone: false,
  bundleStrings: false,
};
export const packr = new Packr(OPTIONS);
const mapUnpackr = new Packr({ ...OPTIONS, mapsAsObjects: false });

function mapsToObjects(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) Object.defineProperty(out, String(k), { value: mapsToObjects(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if (Array.isArray(value)) return value.map(mapsToObjects);
  return value;
}

/** The decode path before decodeMsgpack: scanMsgpack, then msgpackr (through Maps when a "__proto__" string is present). */
export function oldUnpack(bytes: Uint8Array): unknown {
  return scanMsgpack(bytes) ? mapsToObjects(mapUnpackr.unpack(bytes)) : packr.unpack(bytes);
}

/**
 * Where `a` and `b` differ (undefined when they do not): same types, numbers
 * by Object.is, Dates by time, bytes by content, arrays by items, and objects
 * by prototype (Object.prototype), key order and plain data properties.
 */
export function difference(a: unknown, b: unknown, path = "$"): string | undefined {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (typeof a !== "object" || a === null || b === null) return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  const o = b as object;
  if (a instanceof Date) return o instanceof Date && Object.is(a.getTime(), o.getTime()) ? undefined : `${path}: date ${String(a)} vs ${String(o)}`;
  if (a instanceof Uint8Array) {
    return o instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(o)) ? undefined : `${path}: bytes differ`;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(o) || a.length !== o.length) return `${path}: array vs ${Array.isArray(o) ? `length ${o.length}` : "non-array"}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], o[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(o) !== Object.prototype) return `${path}: not plain objects`;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(o);
  if (ka.join("\u0000") !== kb.join("\u0000")) return `${path}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
  for (const k of ka as string[]) {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(o, k);
    if (!da?.enumerable || !da.writable || !da.configurable || !db?.enumerable || !db.writable || !db.configurable) return `${path}.${k}: not a plain data property`;
    const d = difference(da.value, db.value, `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

export { prng } from "./randomValues.js";

const INTS = [0, 1, 31, 127, 128, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53];
const BIGS = [2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 53n), -(2n ** 53n) - 1n, -(2n ** 63n)];
const FLOATS = [0.5, -0, NaN, Infinity, -Infinity, 1e300, 5e-324, 0.1, 1.5, -2.75, 2 ** 70];
const CHARS = ["a", "z", "_", "0", " ", "\u0000", "\u007f", "é", "ß", "\u07ff", "€", "中", "\uffff", "\ufeff", "😀", "\u{10ffff}"];
const LENGTHS = [0, 1, 8, 9, 15, 16, 17, 31, 32, 255, 256];

/** How many strings or bytes of 70,000 (str32, bin32) a value may still get. */
interface Budget {
  huge: number;
}

/**
 * `n`, but 70,000 only 1 time in 10 and once per value (else `otherwise`):
 * each costs milliseconds to make, encode, mutate and check, and the explicit
 * cases and the non-minimal encodings (str32 and bin32 headers on short data)
 * cover those formats already.
 */
function capped(rand: () => number, budget: Budget, n: number, otherwise: number): number {
  if (n < 70_000) return n;
  if (budget.huge <= 0 || rand() >= 0.1) return otherwise;
  budget.huge--;
  return n;
}

export function randomString(rand: () => number, ascii = rand() < 0.6, budget: Budget = { huge: 1 }): string {
  const r = rand();
  const n = r < 0.8 ? Math.floor(rand() * 20) : r < 0.97 ? (LENGTHS[Math.floor(rand() * LENGTHS.length)] as number) : rand() < 0.8 ? 300 : capped(rand, budget, 70_000, 300);
  let s = "";
  for (let i = 0; i < n; i++) s += ascii ? String.fromCharCode(32 + Math.floor(rand() * 95)) : CHARS[Math.floor(rand() * CHARS.length)];
  return s;
}

/**
 * A random value: null, booleans, numbers and bigints at every boundary,
 * strings, bytes, Dates, arrays and objects; rarely (see capped) a string or
 * bytes of 70,000.
 */
export function randomValue(rand: () => number, depth = 4): unknown {
  return value(rand, depth, { huge: 1 });
}

function value(rand: () => number, depth: number, budget: Budget): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const sign = rand() < 0.5 ? 1 : -1;
  switch (Math.floor(rand() * (depth > 0 ? 12 : 9))) {
    case 0: return rand() < 0.5 ? null : rand() < 0.5;
    case 1: return sign * (rand() < 0.5 ? pick(INTS) + pick([-1, 0, 1]) : Math.floor(rand() * 2 ** Math.floor(rand() * 54)));
    case 2: return rand() < 0.3 ? pick(FLOATS) : rand() < 0.5 ? Math.fround((rand() - 0.5) * 1e6) : (rand() - 0.5) * 10 ** Math.floor(rand() * 40);
    case 3: return rand() < 0.5 ? pick(BIGS) : BigInt.asIntN(64, BigInt(Math.floor(rand() * 2 ** 32)) * BigInt(Math.floor(rand() * 2 ** 32)));
    case 4: case 5: return rand() < 0.02 ? "__proto__" : randomString(rand, undefined, budget);
    case 6: return Uint8Array.from({ length: rand() < 0.05 ? capped(rand, budget, pick([255, 256, 70_000]), 256) : Math.floor(rand() * 24) }, () => Math.floor(rand() * 256));
    case 7: {
      const base = pick([0, -1, 1, 1_700_000_000_000, 2 ** 32 * 1000, 2 ** 34 * 1000, -(2 ** 40), 8.64e15, -8.64e15]);
      const t = base + sign * Math.floor(rand() * 2 ** Math.floor(rand() * 45)) * pick([1, 1000]);
      return new Date(Math.abs(t) <= 8.64e15 ? t : base);
    }
    case 8: return rand() < 0.5 ? pick(INTS) : -Math.floor(rand() * 64);
    case 9: case 10: return Array.from({ length: rand() < 0.1 ? 16 + Math.floor(rand() * 10) : Math.floor(rand() * 6) }, () => value(rand, depth - 1, budget));
    default: {
      const out: Record<string, unknown> = {};
      const n = rand() < 0.1 ? 16 + Math.floor(rand() * 10) : Math.floor(rand() * 6);
      for (let i = 0; i < n; i++) {
        const r = rand();
        const key = r < 0.03 ? "__proto__" : r < 0.1 ? String(pick([...INTS, ...BIGS, ...FLOATS, -1, true, false, null])) : randomString(rand, undefined, budget);
        Object.defineProperty(out, key, { value: value(rand, depth - 1, budget), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}

/**
 * Encodes `value` choosing among every msgpack format that can hold each part
 * (wide headers, float32 where exact, any timestamp size, uint64 for small
 * ints, ...), and sometimes writes map keys as numbers, booleans, nil or
 * bigints instead of strings.
 */
export function randomEncoding(rand: () => number, value: unknown): Uint8Array {
  const out: number[] = [];
  const be = (n: number | bigint, bytes: number): void => {
    let v = BigInt.asUintN(bytes * 8, BigInt(n));
    const at = out.length;
    for (let i = 0; i < bytes; i++, v >>= 8n) out.splice(at, 0, Number(v & 0xffn));
  };
  const head = (n: number, fix: number | null, fixMax: number, codes: [number, number, number]): void => {
    const options: Array<() => void> = [];
    if (fix !== null && n <= fixMax) options.push(() => out.push(fix | n));
    if (n < 256 && codes[0] > 0) options.push(() => { out.push(codes[0]); be(n, 1); });
    if (n < 65536) options.push(() => { out.push(codes[1]); be(n, 2); });
    options.push(() => { out.push(codes[2]); be(n, 4); });
    (options[Math.floor(rand() * options.length)] as () => void)();
  };
  const int = (v: bigint): void => {
    const options: Array<[number, number]> = []; // [code, bytes]; code -1 = fixint
    if (v >= -32n && v <= 127n) options.push([-1, 0]);
    for (const [code, bytes] of [[0xcc, 1], [0xcd, 2], [0xce, 4], [0xcf, 8]] as const) if (v >= 0n && v < 2n ** BigInt(bytes * 8)) options.push([code, bytes]);
    for (const [code, bytes] of [[0xd0, 1], [0xd1, 2], [0xd2, 4], [0xd3, 8]] as const) if (v >= -(2n ** BigInt(bytes * 8 - 1)) && v < 2n ** BigInt(bytes * 8 - 1)) options.push([code, bytes]);
    const [code, bytes] = options[Math.floor(rand() * options.length)] as [number, number];
    if (code < 0) out.push(Number(BigInt.asUintN(8, v)));
    else { out.push(code); be(v, bytes); }
  };
  const write = (v: unknown): void => {
    if (v === null || v === undefined) out.push(0xc0);
    else if (typeof v === "boolean") out.push(v ? 0xc3 : 0xc2);
    else if (typeof v === "bigint") int(v);
    else if (typeof v === "number") {
      if (Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) <= 2 ** 53 && rand() < 0.8) int(BigInt(v));
      else {
        const view = new DataView(new ArrayBuffer(8));
        if (Math.fround(v) === v || Number.isNaN(v)) { if (rand() < 0.5) { view.setFloat32(0, v); out.push(0xca, ...new Uint8Array(view.buffer, 0, 4)); return; } }
        view.setFloat64(0, v);
        out.push(0xcb, ...new Uint8Array(view.buffer));
      }
    } else if (typeof v === "string") {
      const bytes = new TextEncoder().encode(v);
      head(bytes.length, 0xa0, 31, [0xd9, 0xda, 0xdb]);
      for (const b of bytes) out.push(b);
    } else if (v instanceof Uint8Array) {
      head(v.length, null, -1, [0xc4, 0xc5, 0xc6]);
      for (const b of v) out.push(b);
    } else if (v instanceof Date) {
      const ms = v.getTime();
      const sec = BigInt(Math.floor(ms / 1000));
      const ns = (ms - Number(sec) * 1000) * 1e6;
      const r = rand();
      if (ns === 0 && sec >= 0n && sec < 2n ** 32n && r < 0.3) { out.push(0xd6, 0xff); be(sec, 4); }
      else if (sec >= 0n && sec < 2n ** 34n && r < 0.6) { out.push(0xd7, 0xff); be((BigInt(ns) << 34n) | sec, 8); }
      else { out.push(...(rand() < 0.5 ? [0xc7, 12, 0xff] : [0xc9, 0, 0, 0, 12, 0xff])); be(ns, 4); be(sec, 8); }
    } else if (Array.isArray(v)) {
      head(v.length, 0x90, 15, [0, 0xdc, 0xdd]);
      for (const item of v) write(item);
    } else {
      const entries = Object.entries(v as Record<string, unknown>);
      head(entries.length, 0x80, 15, [0, 0xde, 0xdf]);
      for (const [k, item] of entries) {
        // a key that some other type prints as may be written as that type
        const big = /^-?(0|[1-9]\d*)$/.test(k) ? BigInt(k) : null;
        if (rand() < 0.5) write(k);
        else if (big !== null && big >= -(2n ** 63n) && big < 2n ** 64n) int(big);
        else if (k === "true" || k === "false" || k === "null") out.push(k === "null" ? 0xc0 : k === "true" ? 0xc3 : 0xc2);
        else if (String(Number(k)) === k) write(Number(k));
        else write(k);
        write(item);
      }
    }
  };
  write(value);
  return Uint8Array.from(out);
}
