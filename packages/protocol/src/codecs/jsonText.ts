// JSON text with exact big integers, base64 bytes and well-formed strings: the JSON codec's value layer.
import { MAX_DEPTH } from "../maxDepth.js";
import { exceedsJsonDepth } from "./jsonDepth.js";
import { isPlainObject, wellFormedCopy } from "./wellFormed.js";


/** Marks a big integer while it passes through JSON.parse/stringify; random per process so input cannot forge it. */
const MARK = `\u0000bigint${Math.random().toString(36).slice(2, 10)}:`;
/** A run of 16+ digits outside a string: the only place an unsafe integer can hide. */
const LONG_INT = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Cheap pre-check: without 16 digits in a row, no integer in the text can be
 * beyond ±2^53. A run of 16 covers some index ≡ 15 (mod 16), so only those are
 * looked at (and around them): ~1/16 of the text, several times faster than /\d{16}/.
 */
export function hasSixteenDigits(text: string): boolean {
  const n = text.length;
  for (let i = 15; i < n; i += 16) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let a = i;
    let b = i;
    while (a > 0 && isDigit(text.charCodeAt(a - 1))) a--;
    while (b + 1 < n && isDigit(text.charCodeAt(b + 1))) b++;
    if (b - a >= 15) return true;
    i = b;
  }
  return false;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** 2^53 as a number: beyond it, every number is an integer-valued float that JSON.stringify writes as bare digits. */
const FLOAT_DIGITS_FROM = 2 ** 53;

/**
 * bigint → exact integer text; bytes → base64 (as msgspec writes bytes in JSON);
 * a number beyond ±2^53 → its digits plus ".0", so that no reader (this one
 * included) takes the float for an exact integer.
 */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  if (typeof value === "bigint") return MARK + value.toString();
  if (typeof value === "number") {
    const abs = Math.abs(value);
    return abs > FLOAT_DIGITS_FROM && abs < 1e21 ? `${MARK}${String(value)}.0` : value;
  }
  const raw = this[key];
  if (raw instanceof Uint8Array) return base64(raw);
  return value;
}
const MARKED = new RegExp(`"${MARK.replace("\u0000", "\\\\u0000")}(-?\\d+(?:\\.0)?)"`, "g");

/**
 * True when plain JSON.stringify would get `value` wrong: it holds a bigint, a
 * number beyond ±2^53, or an object other than a plain object or array (bytes,
 * or anything with a toJSON method). Most packets hold none, and skipping the
 * replacer doubles encoding speed.
 */
function needsReplacer(value: unknown): boolean {
  if (typeof value === "number") return Math.abs(value) > FLOAT_DIGITS_FROM;
  if (typeof value === "bigint") return true;
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (needsReplacer(item)) return true;
    return false;
  }
  if (!isPlainObject(value) || typeof (value as { toJSON?: unknown }).toJSON === "function") return true;
  for (const key in value) if (needsReplacer((value as Record<string, unknown>)[key])) return true;
  return false;
}

function write(value: unknown): string {
  if (!needsReplacer(value)) return JSON.stringify(value) ?? "null";
  const text = JSON.stringify(value, replacer) ?? "null";
  return text.includes(MARK.slice(1)) ? text.replace(MARKED, "$1") : text;
}

/**
 * JSON text for any value: bigints are written as exact integers, bytes as
 * base64 strings, and lone surrogates as U+FFFD (JSON.stringify alone would
 * write `\udXXX` escapes, which strict parsers reject).
 */
export function stringify(value: unknown): string {
  const text = write(value);
  return text.includes("\\ud") ? write(wellFormedCopy(value)) : text;
}

/** 2^53: integers up to this magnitude are exact as numbers; beyond it they decode as bigint. */
const EXACT_LIMIT = 2n ** 53n;

function reviver(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value;
}

/**
 * Parses JSON text; integers beyond ±2^53 come back as bigint, exactly.
 * @throws SyntaxError on malformed JSON; RangeError when nested deeper than MAX_DEPTH.
 */
export function parse(text: string): unknown {
  if (exceedsJsonDepth(text, MAX_DEPTH)) throw new RangeError(`nesting deeper than ${MAX_DEPTH}`);
  // Most messages hold no run of 16 digits at all: skip the tokenizing pass for them.
  if (!hasSixteenDigits(text)) return JSON.parse(text);
  let bigints = false;
  const marked = text.replace(LONG_INT, (m) => {
    if (m.charCodeAt(0) === 34 /* " */) return m;
    const n = BigInt(m);
    // |n| <= 2^53 is exact as a number (the msgpack decoder draws the same line).
    if (n >= -EXACT_LIMIT && n <= EXACT_LIMIT) return m;
    bigints = true;
    return JSON.stringify(MARK + m);
  });
  return bigints ? JSON.parse(marked, reviver) : JSON.parse(text);
}

