/*
 * A small msgpack writer for clients (and for the values the server's encoder does not write
 * itself): the bytes msgpackr writes with MSGPACK_OPTIONS, except for integers, in a few hundred
 * bytes of code instead of msgpackr's ~30 KB. Standard types only: nil, booleans, numbers (an
 * integer with |n| <= 2^53 - 1 in the smallest int format, as msgspec and Python's msgpack write
 * it, uint64/int64 beyond 32 bits; -0, NaN, ±Infinity and other numbers float64), bigints as int64/uint64, strings (lone surrogates as U+FFFD), bin, arrays
 * and maps. Other objects follow msgpackr: Date as the timestamp extension, Map as a map, Set as
 * an array, Error as [name, message, cause], RegExp as [source, flags], ArrayBuffer and typed
 * arrays as bin, `toJSON()` when defined, anything else as its own enumerable keys; functions are
 * nil; a symbol throws. Tested byte for byte against msgpackr, integers apart (packMsgpack.test.ts).
 * Not tuned for speed: the server keeps msgpackEncode.ts.
 */

const encoder = new TextEncoder();
const TypedArray: unknown = Object.getPrototypeOf(Uint8Array);
const dateToJSON = Date.prototype.toJSON;
/** Node's Buffer#toJSON, built in like Date's (a Buffer stays bin). */
const bufferToJSON: unknown = (globalThis as { Buffer?: { prototype: { toJSON?: unknown } } }).Buffer?.prototype.toJSON ?? dateToJSON;

class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /**
   * A length header: `fix | n` below `fixEnd` (none when 0), else the 8-bit form (when `b8` is not 0),
   * the 16-bit form `b16`, or the 32-bit form `b16 + 1`.
   */
  header(n: number, fix: number, fixEnd: number, b8: number, b16: number): void {
    this.ensure(5);
    if (n < fixEnd) this.buf[this.pos++] = fix | n;
    else if (b8 !== 0 && n < 0x100) (this.buf[this.pos++] = b8), (this.buf[this.pos++] = n);
    else if (n < 0x10000) (this.buf[this.pos++] = b16), this.view.setUint16(this.pos, n), (this.pos += 2);
    else (this.buf[this.pos++] = b16 + 1), this.view.setUint32(this.pos, n), (this.pos += 4);
  }

  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}

function writeNumber(w: Writer, n: number): void {
  w.ensure(9);
  const v = w.view;
  if (n >>> 0 === n && (n !== 0 || 1 / n > 0)) {
    if (n < 0x80) w.buf[w.pos++] = n;
    else if (n < 0x100) (w.buf[w.pos++] = 0xcc), (w.buf[w.pos++] = n);
    else if (n < 0x10000) (w.buf[w.pos++] = 0xcd), v.setUint16(w.pos, n), (w.pos += 2);
    else (w.buf[w.pos++] = 0xce), v.setUint32(w.pos, n), (w.pos += 4);
  } else if (n >> 0 === n && n !== 0) {
    if (n >= -0x20) w.buf[w.pos++] = n & 0xff;
    else if (n >= -0x80) (w.buf[w.pos++] = 0xd0), (w.buf[w.pos++] = n & 0xff);
    else if (n >= -0x8000) (w.buf[w.pos++] = 0xd1), v.setInt16(w.pos, n), (w.pos += 2);
    else (w.buf[w.pos++] = 0xd2), v.setInt32(w.pos, n), (w.pos += 4);
  } else if (Number.isSafeInteger(n) && n !== 0) {
    w.buf[w.pos++] = n > 0 ? 0xcf : 0xd3;
    v.setUint32(w.pos, Math.floor(n / 0x100000000) >>> 0);
    v.setUint32(w.pos + 4, n >>> 0);
    w.pos += 8;
  } else {
    w.buf[w.pos++] = 0xcb;
    v.setFloat64(w.pos, n);
    w.pos += 8;
  }
}

/**
 * Bin of `size` bytes copied from `source` with Uint8Array#set, as msgpackr does: for a typed array
 * other than Uint8Array that sets the elements (each ToUint8) and leaves the rest of `byteLength`
 * unwritten; msgpackr leaves there whatever its buffer held, this writes zeros.
 */
function writeBin(w: Writer, source: ArrayLike<number>, size: number): void {
  w.header(size, 0, 0, 0xc4, 0xc5);
  const bytes = new Uint8Array(size);
  bytes.set(source);
  w.bytes(bytes);
}

function writeDate(w: Writer, date: Date): void {
  const seconds = date.getTime() / 1000;
  w.ensure(15);
  const v = w.view;
  const p = w.pos;
  if (date.getMilliseconds() === 0 && seconds >= 0 && seconds < 0x100000000) {
    (w.buf[p] = 0xd6), (w.buf[p + 1] = 0xff), v.setUint32(p + 2, seconds), (w.pos += 6);
  } else if (seconds > 0 && seconds < 0x100000000) {
    (w.buf[p] = 0xd7), (w.buf[p + 1] = 0xff);
    v.setUint32(p + 2, date.getMilliseconds() * 4000000 + ((seconds / 1000 / 0x100000000) >> 0));
    v.setUint32(p + 6, seconds);
    w.pos += 10;
  } else if (Number.isNaN(seconds)) {
    (w.buf[p] = 0xd4), (w.buf[p + 1] = 0xff), (w.buf[p + 2] = 0xff), (w.pos += 3);
  } else {
    (w.buf[p] = 0xc7), (w.buf[p + 1] = 12), (w.buf[p + 2] = 0xff);
    v.setUint32(p + 3, date.getMilliseconds() * 1000000);
    v.setBigInt64(p + 7, BigInt(Math.floor(seconds)));
    w.pos += 15;
  }
}

function writeKeys(w: Writer, object: object): void {
  const keys = Object.keys(object);
  w.header(keys.length, 0x80, 0x10, 0, 0xde);
  for (const key of keys) {
    writeValue(w, key);
    writeValue(w, (object as Record<string, unknown>)[key]);
  }
}

/** Objects that are not plain objects, arrays or Uint8Arrays, in msgpackr's order of checks. */
function writeOther(w: Writer, value: object): void {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  if (ctor === Map) {
    const map = value as Map<unknown, unknown>;
    w.header(map.size, 0x80, 0x10, 0, 0xde);
    for (const [k, v] of map) writeValue(w, k), writeValue(w, v);
    return;
  }
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  // A subclass of a built-in with a toJSON of its own is written through toJSON, as msgpackr does.
  const hook = (builtin: unknown): boolean => ctor !== builtin && toJSON !== undefined && toJSON !== dateToJSON && toJSON !== bufferToJSON;
  if (value instanceof Date) {
    if (!hook(Date)) return writeDate(w, value);
  } else if (value instanceof Set) {
    if (!hook(Set)) return writeValue(w, Array.from(value));
  } else if (value instanceof Error) {
    if (!hook(Error)) return writeValue(w, [value.name, value.message, (value as { cause?: unknown }).cause]);
  } else if (value instanceof RegExp) {
    if (!hook(RegExp)) return writeValue(w, [value.source, value.flags]);
  } else if (value instanceof ArrayBuffer) {
    if (!hook(ArrayBuffer)) return writeBin(w, new Uint8Array(value), value.byteLength);
  } else if (value instanceof (TypedArray as typeof Uint8Array)) {
    if (!hook(TypedArray)) return writeBin(w, value, value.byteLength);
  } else if (value instanceof DataView) {
    // msgpackr copies a DataView with Buffer.from / new Uint8Array, which read no elements from it: an empty bin.
    if (!hook(DataView)) return writeBin(w, [], 0);
  }
  if (Array.isArray(value)) return writeArray(w, value);
  if (typeof toJSON === "function") {
    const json: unknown = toJSON.call(value);
    if (json !== value) return writeValue(w, json);
  }
  writeKeys(w, value);
}

function writeArray(w: Writer, array: readonly unknown[]): void {
  const n = array.length;
  w.header(n, 0x90, 0x10, 0, 0xdc);
  for (let i = 0; i < n; i++) writeValue(w, array[i]);
}

function writeValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case "string": {
      const bytes = encoder.encode(value);
      w.header(bytes.length, 0xa0, 0x20, 0xd9, 0xda);
      return w.bytes(bytes);
    }
    case "number":
      return writeNumber(w, value);
    case "boolean":
      return w.byte(value ? 0xc3 : 0xc2);
    case "undefined":
    case "function":
      return w.byte(0xc0);
    case "bigint":
      if (value >= -(2n ** 63n) && value < 2n ** 64n) {
        w.ensure(9);
        w.buf[w.pos++] = value < 2n ** 63n ? 0xd3 : 0xcf;
        if (value < 2n ** 63n) w.view.setBigInt64(w.pos, value);
        else w.view.setBigUint64(w.pos, value);
        w.pos += 8;
        return;
      }
      throw new RangeError(
        `${value} was too large to fit in MessagePack 64-bit integer format, use useBigIntExtension, or set largeBigIntToFloat to convert to float-64, or set largeBigIntToString to convert to string`,
      );
    case "object": {
      if (value === null) return w.byte(0xc0);
      if (Array.isArray(value)) return writeArray(w, value);
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === Object.prototype) return writeKeys(w, value);
      if (proto === Uint8Array.prototype) return writeBin(w, value as Uint8Array, (value as Uint8Array).length);
      return writeOther(w, value);
    }
    default:
      throw new Error(`Unknown type: ${typeof value}`);
  }
}

/**
 * Encodes one value as msgpack: the bytes msgpackr writes with MSGPACK_OPTIONS, integers apart (see the top of this file).
 * @throws RangeError for a bigint outside [-2^63, 2^64) or a cycle; Error for a symbol.
 */
export function packMsgpack(value: unknown): Uint8Array {
  const w = new Writer();
  writeValue(w, value);
  return w.buf.slice(0, w.pos);
}
