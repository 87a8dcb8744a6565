import { jsonNumberEnd, readJsonNumber } from "./jsonNumber.js";
import { copyBytes } from "./copyBytes.js";
import { patternFrom, type BytePattern } from "./msgpackBytes.js";
import { decodeString, keyString } from "./msgpackStrings.js";

/*
 * The JSON codec's fast path: parses the UTF-8 bytes of a message straight into
 * values, without decoding them to a string first and without JSON.parse (which
 * measured ~0.7 µs for a 170-byte packet in Node 20, most of the JSON server's
 * time per call). It covers what clients send in practice and gives up — returns
 * NOT_FAST, never throws — on anything that needs the general path's care:
 * escapes in strings, integers of 16 digits or more (exact bigints there),
 * nesting deeper than FAST_DEPTH, a "__proto__" key, a byte-order mark, invalid
 * UTF-8, malformed JSON. So for every input it accepts, it returns what
 * `parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes))` returns; the
 * caller takes that path for the rest, which gives the exact error.
 */

/** What parseJsonBytes returns when the general path must decide. */
export const NOT_FAST: unique symbol = Symbol("not fast");

/** Deeper input is left to the general path (which allows MAX_DEPTH). */
const FAST_DEPTH = 64;

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const EMPTY = new Uint8Array(0);
const GIVE_UP = new Error("not fast");

/** Inputs up to this size are read from a copy in `scratch`. */
const SCRATCH = 4096;
/**
 * The copy, followed by a 0 byte (no JSON token takes it, so a reader's byte tests stop at the end without
 * a bound check) and room for a word read that starts before the end (its value is then never used).
 */
const scratch = new Uint8Array(SCRATCH + 8);
const scratchView = new DataView(scratch.buffer);

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var src: Uint8Array = EMPTY;
var pos = 0;
var end = 0;

function giveUp(): never {
  throw GIVE_UP;
}

/** Skips JSON whitespace; returns the next byte (-1 at the end). */
function next(): number {
  let p = pos;
  const s = src;
  const e = end;
  while (p < e) {
    const c = s[p] as number;
    if (c > 0x20 || (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)) {
      pos = p;
      return c;
    }
    p++;
  }
  pos = p;
  return -1;
}

function expect(byte: number): void {
  if (next() !== byte) giveUp();
  pos++;
}

function literal(word: Uint8Array, value: boolean | null): boolean | null {
  const s = src;
  const p = pos;
  const n = word.length;
  if (end - p < n) giveUp();
  for (let i = 1; i < n; i++) if (s[p + i] !== word[i]) giveUp(); // word[0] is what brought us here
  pos = p + n;
  return value;
}
const TRUE = new TextEncoder().encode("true");
const FALSE = new TextEncoder().encode("false");
const NULL = new TextEncoder().encode("null");

/** Reads a string after its opening quote; `key` interns it (property names repeat). */
function string(key: boolean): string {
  const start = pos;
  const s = src;
  const e = end;
  let p = start;
  let high = 0;
  for (;;) {
    if (p >= e) giveUp();
    const c = s[p] as number;
    if (c === 0x22) break;
    if (c === 0x5c || c < 0x20) giveUp(); // escapes (general path); raw control characters are invalid JSON
    high |= c;
    p++;
  }
  const n = p - start;
  pos = p + 1; // past the closing quote
  if (high < 0x80) return key ? keyString(src, start, n) : decodeString(src, start, n);
  try {
    return fatal.decode(src.subarray(start, start + n));
  } catch {
    return giveUp(); // invalid UTF-8: the general path reports it
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Reads a number token (see jsonNumber.ts), or gives up. */
function number(): number {
  const value = readJsonNumber(src, pos, end);
  if (value === undefined) giveUp();
  pos = jsonNumberEnd();
  return value;
}

function value(depth: number): unknown {
  const c = next();
  switch (c) {
    case 0x22:
      pos++;
      return string(false);
    case 0x7b:
      pos++;
      return object(depth + 1);
    case 0x5b:
      pos++;
      return array(depth + 1);
    case 0x74:
      return literal(TRUE, true);
    case 0x66:
      return literal(FALSE, false);
    case 0x6e:
      return literal(NULL, null);
    default:
      if (c === 0x2d || isDigit(c)) return number();
      return giveUp();
  }
}

function object(depth: number): Record<string, unknown> {
  if (depth > FAST_DEPTH) giveUp();
  const out: Record<string, unknown> = {};
  if (next() === 0x7d) {
    pos++;
    return out;
  }
  for (;;) {
    expect(0x22);
    const key = string(true);
    if (key === "__proto__") giveUp();
    expect(0x3a);
    out[key] = value(depth);
    const c = next();
    pos++;
    if (c === 0x7d) return out;
    if (c !== 0x2c) giveUp();
  }
}

function array(depth: number): unknown[] {
  if (depth > FAST_DEPTH) giveUp();
  const out: unknown[] = [];
  if (next() === 0x5d) {
    pos++;
    return out;
  }
  for (;;) {
    out.push(value(depth));
    const c = next();
    pos++;
    if (c === 0x5d) return out;
    if (c !== 0x2c) giveUp();
  }
}

/**
 * Runs `read` over `bytes` (through the cursor functions below) and returns what
 * it returns, or NOT_FAST when it gives up or bytes other than whitespace are
 * left. Never throws; calls cannot nest (readers run no user code).
 */
export function readJsonBytes<T>(bytes: Uint8Array, read: () => T): T | typeof NOT_FAST {
  const n = bytes.length;
  if (!jsonOpen(bytes)) src = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  pos = 0;
  end = n;
  try {
    const result = read();
    return next() === -1 ? result : NOT_FAST;
  } catch {
    return NOT_FAST;
  } finally {
    src = EMPTY; // let go of the input: uWebSockets.js reuses its buffer
    pos = end = 0;
  }
}

const value0 = (): unknown => value(0);

/**
 * Copies `bytes` (up to 4 KiB) into the scratch buffer, followed by a 0 byte, and reads from there;
 * false, and nothing opened, for longer input. For readers that keep their position in a local
 * (jsonRequest.ts) and read values through jsonValueAt / jsonStringAt; close with jsonClose.
 */
export function jsonOpen(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n > SCRATCH) return false;
  // A copy in a long-lived buffer, whose DataView lets readers compare four bytes at a time.
  copyBytes(scratch, bytes, 0);
  scratch[n] = 0;
  src = scratch;
  pos = 0;
  end = n;
  return true;
}

/** Lets go of the input (uWebSockets.js reuses its buffer). */
export function jsonClose(): void {
  src = EMPTY;
  pos = end = 0;
}

/** The scratch copy jsonOpen made (its input's bytes, then a 0) and a DataView of it. */
export const jsonScratch: Uint8Array = scratch;
export const jsonScratchView: DataView = scratchView;

/** Reads any value at byte `p` (whitespace first) at nesting `depth`, or gives up by throwing; jsonPosition() then tells where it ended. */
export function jsonValueAt(p: number, depth: number): unknown {
  pos = p;
  return value(depth);
}

/** Reads a string whose opening quote is at `p - 1`, or gives up by throwing (see jsonValueAt); `key` interns it. */
export function jsonStringAt(p: number, key: boolean): string {
  pos = p;
  return string(key);
}

/** Where the last jsonValueAt or jsonStringAt ended. */
export function jsonPosition(): number {
  return pos;
}

/**
 * Parses one JSON text given as UTF-8 bytes, or returns NOT_FAST for the general
 * path (see the top of this file). Never throws.
 */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  return readJsonBytes(bytes, value0);
}

// The cursor, for readers of known shapes (jsonPacketBytes.ts). Each gives up by throwing inside readJsonBytes.

/** Consumes `byte` (after whitespace), or gives up. */
export const jsonExpect: (byte: number) => void = expect;
/** The next byte after whitespace, not consumed; -1 at the end. */
export const jsonPeek: () => number = next;
/** Gives up: readJsonBytes returns NOT_FAST. */
export const jsonGiveUp: () => never = giveUp;
/** Reads any value at nesting `depth`. */
export const jsonValue: (depth: number) => unknown = value;
/** Consumes `null` if that comes next (after whitespace). */
export function jsonNull(): boolean {
  if (next() !== 0x6e) return false;
  literal(NULL, null);
  return true;
}

/** `names` as the key patterns jsonKey takes: each name's UTF-8 bytes and its closing quote. */
export function jsonKeys(names: readonly string[]): BytePattern[] {
  return names.map((name) => jsonPattern(`${name}"`));
}

/**
 * After an opening quote: reads a key and returns the index of the name in
 * `names` (made by jsonKeys) it equals (compared as bytes, four at a time, closing
 * quote included), or gives up; with `unknown`, returns -1 for another key (read;
 * "__proto__" gives up).
 */
export function jsonKey(names: readonly BytePattern[], unknown = false): number {
  const start = pos;
  const first = start < end ? (src[start] as number) : -1;
  for (let k = 0; k < names.length; k++) {
    const name = names[k] as BytePattern;
    if (name.bytes[0] === first && jsonMatch(name)) return k;
  }
  if (unknown && string(false) !== "__proto__") return -1;
  return giveUp(); // an unknown field (or an escape): the general path
}

/** Reads a string (after whitespace), or gives up; `key` interns it (for names that are looked up next). */
export function jsonString(key: boolean): string {
  expect(0x22);
  return string(key);
}

/** Consumes `expected` if the next bytes are exactly it (no whitespace skipped); false, consuming nothing, otherwise. */
export function jsonMatch(expected: BytePattern): boolean {
  const s = src;
  const bytes = expected.bytes;
  const p = pos;
  const n = expected.n;
  if (n > end - p) return false;
  let i = 0;
  if (s === scratch) {
    const words = expected.words;
    const nw = expected.nw;
    for (; i < nw; i++) if (scratchView.getInt32(p + 4 * i) !== words[i]) return false;
    i *= 4;
  }
  for (; i < n; i++) if (s[p + i] !== bytes[i]) return false;
  pos = p + n;
  return true;
}

/** Consumes exactly `expected` (no whitespace skipped), or gives up. */
export function jsonLiteral(expected: BytePattern): void {
  if (!jsonMatch(expected)) giveUp();
}

/** The UTF-8 bytes of `text` as a BytePattern for jsonLiteral. */
export function jsonPattern(text: string): BytePattern {
  return patternFrom(new TextEncoder().encode(text));
}
