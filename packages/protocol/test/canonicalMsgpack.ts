/**
 * A tiny msgpack encoder written from the spec, independent of msgpackr, used
 * to cross-check the conformance vectors. Every header takes the smallest
 * format that fits. Rules the spec leaves open, fixed to what webshocket
 * documents in PROTOCOL.md:
 *   - a bigint is always a 64-bit integer: int64 (0xd3) when it fits, else uint64 (0xcf);
 *   - map entries are written in the object's key order;
 *   - a JS number that is an integer with |n| <= 2^53 - 1 is an integer, in the smallest
 *     format (uint64 for a non-negative one beyond 32 bits, int64 for a negative one).
 * Other numbers (-0, fractions, beyond 2^53) have no single canonical form
 * (float32? float64?) and are refused with NotCanonical.
 */
export class NotCanonical extends Error {}

const utf8 = new TextEncoder();

function header(out: number[], size: number, fix: { base: number; max: number } | null, formats: readonly number[]): void {
  if (fix !== null && size <= fix.max) {
    out.push(fix.base | size);
    return;
  }
  const widths = [1, 2, 4];
  for (let i = 0; i < formats.length; i++) {
    const width = widths[i + (3 - formats.length)] as number;
    if (size < 2 ** (8 * width)) {
      out.push(formats[i] as number);
      for (let b = width - 1; b >= 0; b--) out.push(Math.floor(size / 2 ** (8 * b)) & 0xff);
      return;
    }
  }
  throw new RangeError(`too big: ${size}`);
}

function bytesOf(n: bigint, width: number): number[] {
  const out: number[] = [];
  const unsigned = BigInt.asUintN(width * 8, n);
  for (let b = width - 1; b >= 0; b--) out.push(Number((unsigned >> BigInt(8 * b)) & 0xffn));
  return out;
}

function integer(out: number[], n: number): void {
  if (n >= 0 && n <= 0x7f) out.push(n);
  else if (n < 0 && n >= -32) out.push(n & 0xff);
  else if (n >= 0 && n <= 0xff) out.push(0xcc, n);
  else if (n >= 0 && n <= 0xffff) out.push(0xcd, ...bytesOf(BigInt(n), 2));
  else if (n >= 0 && n <= 0xffffffff) out.push(0xce, ...bytesOf(BigInt(n), 4));
  else if (n >= 0) out.push(0xcf, ...bytesOf(BigInt(n), 8));
  else if (n >= -0x80) out.push(0xd0, n & 0xff);
  else if (n >= -0x8000) out.push(0xd1, ...bytesOf(BigInt(n), 2));
  else if (n >= -0x80000000) out.push(0xd2, ...bytesOf(BigInt(n), 4));
  else out.push(0xd3, ...bytesOf(BigInt(n), 8));
}

/** The canonical msgpack encoding of an integer with |n| <= 2^53 - 1. */
export function canonicalInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) throw new NotCanonical(`number ${n}`);
  const out: number[] = [];
  integer(out, n);
  return Uint8Array.from(out);
}

function write(out: number[], value: unknown): void {
  if (value === null) out.push(0xc0);
  else if (value === false) out.push(0xc2);
  else if (value === true) out.push(0xc3);
  else if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) {
      throw new NotCanonical(`number ${value}`);
    }
    integer(out, value);
  } else if (typeof value === "bigint") {
    if (value >= -(2n ** 63n) && value < 2n ** 63n) out.push(0xd3, ...bytesOf(value, 8));
    else if (value >= 0n && value < 2n ** 64n) out.push(0xcf, ...bytesOf(value, 8));
    else throw new RangeError(`bigint ${value} does not fit 64 bits`);
  } else if (typeof value === "string") {
    const b = utf8.encode(value);
    header(out, b.length, { base: 0xa0, max: 31 }, [0xd9, 0xda, 0xdb]);
    out.push(...b);
  } else if (value instanceof Uint8Array) {
    header(out, value.length, null, [0xc4, 0xc5, 0xc6]);
    out.push(...value);
  } else if (Array.isArray(value)) {
    header(out, value.length, { base: 0x90, max: 15 }, [0xdc, 0xdd]);
    for (const v of value) write(out, v);
  } else if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value);
    header(out, entries.length, { base: 0x80, max: 15 }, [0xde, 0xdf]);
    for (const [k, v] of entries) {
      write(out, k);
      write(out, v);
    }
  } else throw new NotCanonical(`no canonical form for ${Object.prototype.toString.call(value)}`);
}

/** The canonical msgpack encoding of `value`. @throws NotCanonical for values without one. */
export function canonicalMsgpack(value: unknown): Uint8Array {
  const out: number[] = [];
  write(out, value);
  return Uint8Array.from(out);
}
