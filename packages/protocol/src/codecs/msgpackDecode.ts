import { MAX_DEPTH } from "../maxDepth.js";
import { copyBytes } from "./copyBytes.js";
import type { BytePattern } from "./msgpackBytes.js";
import { decodeString, keyString } from "./msgpackStrings.js";

/*
 * A validating msgpack decoder in one pass, replacing scanMsgpack + msgpackr:
 * it refuses what scanMsgpack refuses (with the same RangeError message: the
 * bytes are checked in the same order) and builds the values msgpackr built
 * with the codec's options (mapsAsObjects, int64AsType "auto"). One deliberate
 * difference: a map key that is an array, map, bin or timestamp is always
 * refused; msgpackr refused it too, except when the input held a "__proto__"
 * string (then the old path went through Maps and String()-ed such keys).
 *
 * The reader works on module state (the bytes and a position), not closures,
 * and recurses once per container level: at most maxDepth + 1 frames, since
 * a container deeper than maxDepth throws before its items are read (so keep
 * maxDepth modest: the default, 256, is far from any stack limit).
 */

const EMPTY = new Uint8Array(0);
// `var`, not `let`: V8 checks a module-level `let` for its temporal dead zone on every
// access from a function; on these hot paths that measured ~15% of the decode time.
var src: Uint8Array = EMPTY;
var pos = 0;
var end = 0;
var maxLevel = MAX_DEPTH;

/** Scratch space for floats: the bytes go in (in host order), the number comes out. */
const f64 = new Float64Array(1);
const f32 = new Float32Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32Bytes = new Uint8Array(f32.buffer);
/** XOR mask turning a big-endian byte index into a host one (within 8 or 4 bytes). */
const HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 7 : 0;

function fail(message: string): never {
  throw new RangeError(message);
}

function truncated(): never {
  return fail(`unexpected end of msgpack data at byte ${end}`);
}

/** Claims the next `n` bytes; returns where they start. */
function take(n: number): number {
  const p = pos;
  if (n > end - p) truncated();
  pos = p + n;
  return p;
}

function u16(p: number): number {
  return ((src[p] as number) << 8) | (src[p + 1] as number);
}

function u32(p: number): number {
  return (src[p] as number) * 0x1000000 + (((src[p + 1] as number) << 16) | ((src[p + 2] as number) << 8) | (src[p + 3] as number));
}

/**
 * Decodes the one msgpack value in `bytes`.
 *
 * Maps become plain objects with keys as msgpackr gives them (numbers,
 * booleans, nil and bigints as their String(); a "__proto__" key as an own
 * data property); bin becomes a copied Uint8Array (never a view of `bytes`);
 * 64-bit integers become numbers within ±2^53 and bigints beyond; the
 * timestamp extension becomes a Date.
 *
 * @throws RangeError unless `bytes` hold exactly one standard msgpack value:
 * truncated, trailing bytes, byte 0xc1, an extension other than the timestamp
 * (-1, of 4, 8 or 12 bytes), containers nested deeper than `maxDepth` (the
 * outermost is level 1), or a map key that is a container, bin or timestamp.
 * Linear in the input; a declared length never allocates beyond what the
 * remaining bytes can hold.
 */
export function decodeMsgpack(bytes: Uint8Array, maxDepth: number = MAX_DEPTH): unknown {
  // Saved and restored, so a nested call (none is expected) cannot corrupt an outer one.
  const outer = src;
  const outerPos = pos;
  const outerEnd = end;
  const outerLevel = maxLevel;
  // A plain Uint8Array view, so slices are plain copies (Buffer#slice would be a view) and reads stay monomorphic.
  src = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  pos = 0;
  end = src.length;
  maxLevel = maxDepth;
  try {
    const value = read(0);
    if (pos !== end) fail(`${end - pos} trailing byte(s) after the msgpack value`);
    return value;
  } finally {
    src = outer;
    pos = outerPos;
    end = outerEnd;
    maxLevel = outerLevel;
  }
}

/*
 * A cursor over the same state, for msgpackPacket.ts (the packet fast path).
 * It reads only standard values, never user code, so calls cannot nest.
 */

/** The cursor reads a copy of its input here: one long-lived buffer whose DataView compares four bytes at a time. */
const SCRATCH = 4096;
/** The cursor's copy of its input (valid between cursorOpen and cursorClose), and a DataView of it. */
/** Room for a word read that starts in the last bytes (its bytes past the input are never used). */
export const scratch = new Uint8Array(SCRATCH + 8);
export const scratchView = new DataView(scratch.buffer);

/** Starts reading `bytes` from the first byte; false (nothing opened) when they exceed the scratch buffer. */
export function cursorOpen(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n > SCRATCH) return false;
  copyBytes(scratch, bytes, 0);
  src = scratch;
  pos = 0;
  end = n;
  maxLevel = MAX_DEPTH;
  return true;
}

/** Lets go of the input (it may be an ArrayBuffer uWebSockets.js reuses). */
export function cursorClose(): void {
  src = EMPTY;
  pos = 0;
  end = 0;
}

/** The next byte without consuming it; -1 at the end. */
export function cursorPeek(): number {
  return pos < end ? (src[pos] as number) : -1;
}

/** Consumes `expected` if the next bytes are exactly it; false (consuming nothing) otherwise. */
export function cursorMatch(expected: BytePattern): boolean {
  const p = pos;
  if (expected.n > end - p || !matchesAt(p, expected)) return false;
  pos = p + expected.n;
  return true;
}

/** True when `k` is at byte `p` of the scratch copy (the caller has checked that it fits); consumes nothing. */
export function matchesAt(p: number, k: BytePattern): boolean {
  // Four bytes per comparison through the scratch copy's DataView, then the last 0-3 one by one.
  const words = k.words;
  const nw = k.nw;
  const v = scratchView;
  for (let i = 0; i < nw; i++) if (v.getInt32(p + 4 * i) !== words[i]) return false;
  const bytes = k.bytes;
  const n = k.n;
  for (let i = 4 * nw; i < n; i++) if (scratch[p + i] !== bytes[i]) return false;
  return true;
}

/** Reads one value at nesting `depth` (throws RangeError like decodeMsgpack). */
export function cursorRead(depth: number): unknown {
  return read(depth);
}

/** Reads one value starting at byte `p` (see cursorRead); cursorPosition() then tells where it ended. */
export function cursorReadAt(p: number, depth: number): unknown {
  pos = p;
  return read(depth);
}

/** Where the cursor is. */
export function cursorPosition(): number {
  return pos;
}

/** Reads a str (fix/8-bit length) if that comes next; `key` returns a cached, interned string (for names). */
export function cursorString(key: boolean): string | undefined {
  if (pos >= end) return undefined;
  const b = src[pos] as number;
  let n: number;
  let at: number;
  if (b >= 0xa0 && b < 0xc0) (n = b & 0x1f), (at = pos + 1);
  else if (b === 0xd9 && pos + 1 < end) (n = src[pos + 1] as number), (at = pos + 2);
  else return undefined;
  if (n > end - at) return undefined;
  pos = at + n;
  return key ? keyString(src, at, n) : decodeString(src, at, n);
}

/** Consumes a nil if that comes next. */
export function cursorNil(): boolean {
  if (pos < end && src[pos] === 0xc0) {
    pos++;
    return true;
  }
  return false;
}

/** Reads a float64 if that comes next; undefined otherwise. */
export function cursorFloat64(): number | undefined {
  if (pos + 9 > end || src[pos] !== 0xcb) return undefined;
  const value = scratchView.getFloat64(pos + 1); // the cursor reads the scratch copy; msgpack is big-endian
  pos += 9;
  return value;
}

/** True when every byte has been read. */
export function cursorDone(): boolean {
  return pos === end;
}

/** Reads one value, inside `depth` containers. */
function read(depth: number): unknown {
  if (pos >= end) truncated();
  const b = src[pos++] as number;
  if (b < 0x80) return b; // positive fixint
  if (b >= 0xe0) return b - 0x100; // negative fixint
  if (b < 0x90) return readMap(b & 0x0f, depth);
  if (b < 0xa0) return readArray(b & 0x0f, depth);
  if (b < 0xc0) return readString(b & 0x1f);
  switch (b) {
    case 0xc0: return null;
    case 0xc2: return false;
    case 0xc3: return true;
    case 0xc4: return readBin(src[take(1)] as number);
    case 0xc5: return readBin(u16(take(2)));
    case 0xc6: return readBin(u32(take(4)));
    case 0xc7: return readExt(src[take(1)] as number);
    case 0xc8: return readExt(u16(take(2)));
    case 0xc9: return readExt(u32(take(4)));
    case 0xca: return readFloat32(take(4));
    case 0xcb: return readFloat64(take(8));
    case 0xcc: return src[take(1)] as number;
    case 0xcd: return u16(take(2));
    case 0xce: return u32(take(4));
    case 0xcf: return readUint64(take(8));
    case 0xd0: return ((src[take(1)] as number) << 24) >> 24;
    case 0xd1: return (u16(take(2)) << 16) >> 16;
    case 0xd2: return u32(take(4)) | 0;
    case 0xd3: return readInt64(take(8));
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: return readExt(1 << (b - 0xd4)); // fixext 1..16
    case 0xd9: return readString(src[take(1)] as number);
    case 0xda: return readString(u16(take(2)));
    case 0xdb: return readString(u32(take(4)));
    case 0xdc: return readArray(u16(take(2)), depth);
    case 0xdd: return readArray(u32(take(4)), depth);
    case 0xde: return readMap(u16(take(2)), depth);
    case 0xdf: return readMap(u32(take(4)), depth);
    default: return fail(`msgpack byte 0xc1 (never used) at byte ${pos - 1}`);
  }
}

function readString(n: number): string {
  return decodeString(src, take(n), n);
}

function readBin(n: number): Uint8Array {
  const p = take(n);
  return src.slice(p, p + n);
}

function readArray(n: number, depth: number): unknown[] {
  if (depth >= maxLevel) fail(`nesting deeper than ${maxLevel}`);
  // Every item takes at least one byte: a length beyond the rest gets no
  // preallocation and fails (linearly) where the bytes run out.
  const out: unknown[] = n <= end - pos ? new Array<unknown>(n) : [];
  for (let i = 0; i < n; i++) out[i] = read(depth + 1);
  return out;
}

function readMap(n: number, depth: number): Record<string, unknown> {
  if (depth >= maxLevel) fail(`nesting deeper than ${maxLevel}`);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    // fixstr keys (nearly all of them) straight from the key cache
    const b = pos < end ? (src[pos] as number) : 0;
    let key: string;
    if (b >= 0xa0 && b < 0xc0) {
      pos++;
      key = keyString(src, take(b & 0x1f), b & 0x1f);
    } else key = readKey(depth + 1);
    const value = read(depth + 1);
    if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/** Reads a map key other than a fixstr as a property name: strings as they are, numbers, booleans, nil and bigints as their String(). */
function readKey(depth: number): string {
  const at = pos;
  const key = read(depth);
  switch (typeof key) {
    case "string": return key;
    case "number": case "boolean": case "bigint": return String(key);
  }
  if (key === null) return "null";
  const kind = Array.isArray(key) ? "an array" : key instanceof Uint8Array ? "bin" : key instanceof Date ? "a timestamp" : "a map";
  return fail(`msgpack map key at byte ${at} is ${kind} (keys must be strings, numbers, booleans or nil)`);
}

function readFloat32(p: number): number {
  for (let i = 0; i < 4; i++) f32Bytes[i ^ (HOST & 3)] = src[p + i] as number;
  return f32[0] as number;
}

function readFloat64(p: number): number {
  const s = src;
  if (HOST === 7) {
    // Unrolled for little-endian hosts (all of ours): every packet carries a float64 timestamp.
    f64Bytes[7] = s[p] as number;
    f64Bytes[6] = s[p + 1] as number;
    f64Bytes[5] = s[p + 2] as number;
    f64Bytes[4] = s[p + 3] as number;
    f64Bytes[3] = s[p + 4] as number;
    f64Bytes[2] = s[p + 5] as number;
    f64Bytes[1] = s[p + 6] as number;
    f64Bytes[0] = s[p + 7] as number;
  } else for (let i = 0; i < 8; i++) f64Bytes[i] = s[p + i] as number;
  return f64[0] as number;
}

/** uint64: a number up to 2^53 inclusive (msgpackr "auto"), a bigint beyond. */
function readUint64(p: number): number | bigint {
  const hi = u32(p);
  const lo = u32(p + 4);
  if (hi < 0x200000 || (hi === 0x200000 && lo === 0)) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** int64: a number within [-2^53, 2^53] (msgpackr "auto"), a bigint beyond. */
function readInt64(p: number): number | bigint {
  const hi = u32(p) | 0;
  const lo = u32(p + 4);
  if ((hi >= -0x200000 && hi < 0x200000) || (hi === 0x200000 && lo === 0)) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) + BigInt(lo);
}

/** Reads an extension of `size` payload bytes; only the timestamp (-1) passes, checked in scanMsgpack's order. */
function readExt(size: number): Date {
  const type = src[take(1)] as number;
  if (type !== 0xff) fail(`msgpack extension type ${(type << 24) >> 24} is not allowed (only the timestamp, -1)`);
  if (size !== 4 && size !== 8 && size !== 12) fail(`msgpack timestamp of ${size} bytes (expected 4, 8 or 12)`);
  return timestamp(take(size), size);
}

/**
 * The timestamp at `p`, computed exactly as msgpackr does (the same
 * expressions, so the same Date): timestamp 96 takes the seconds' low 48
 * bits and their sign, and nanoseconds are not checked to be below 10^9.
 */
function timestamp(p: number, size: number): Date {
  const d = src;
  if (size === 4) return new Date(u32(p) * 1000);
  if (size === 8) {
    const nanos = ((d[p] as number) << 22) + ((d[p + 1] as number) << 14) + ((d[p + 2] as number) << 6) + ((d[p + 3] as number) >> 2);
    const seconds = ((d[p + 3] as number) & 0x3) * 0x100000000 + u32(p + 4);
    return new Date(nanos / 1000000 + seconds * 1000);
  }
  const nanos = ((d[p] as number) << 24) + ((d[p + 1] as number) << 16) + ((d[p + 2] as number) << 8) + (d[p + 3] as number);
  const high = ((d[p + 4] as number) & 0x80 ? -0x1000000000000 : 0) + (d[p + 6] as number) * 0x10000000000 + (d[p + 7] as number) * 0x100000000;
  return new Date(nanos / 1000000 + (high + u32(p + 8)) * 1000);
}
