import type { Packet } from "../packet.js";
import { MAX_DEPTH, toPacket, unknownPacket, type DecodeResult } from "../validate.js";
import { orderedPacket, toBytes, type Codec, type RawMessage } from "./codec.js";
import { exceedsJsonDepth } from "./jsonDepth.js";
import { wellFormedCopy } from "./wellFormed.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Marks a big integer while it passes through JSON.parse/stringify; random per process so input cannot forge it. */
const MARK = `\u0000bigint${Math.random().toString(36).slice(2, 10)}:`;
/** A run of 16+ digits outside a string: the only place an unsafe integer can hide. */
const LONG_INT = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

/** Cheap pre-check: without 16 digits in a row, no integer in the text can be beyond ±2^53. */
const SIXTEEN_DIGITS = /\d{16}/;

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
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === "function") return true;
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
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
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

function toText(raw: RawMessage): string {
  return typeof raw === "string" ? raw : decoder.decode(toBytes(raw));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The JSON codec, spoken by generic clients (any language's WebSocket + JSON). */
export const jsonCodec: Codec & { stringify(packet: Packet): string } = {
  name: "json",
  stringify(packet: Packet): string {
    return stringify(orderedPacket(packet));
  },
  encode(packet: Packet): Uint8Array {
    return encoder.encode(stringify(orderedPacket(packet)));
  },
  encodeValue(value: unknown): Uint8Array {
    return encoder.encode(stringify(value));
  },
  decodeValue(raw: RawMessage): unknown {
    return parse(toText(raw));
  },
  decodeDetailed(raw: RawMessage): DecodeResult {
    let text: string;
    try {
      text = toText(raw);
    } catch (err) {
      return { packet: unknownPacket(typeof raw === "string" ? raw : toBytes(raw)), error: `invalid UTF-8: ${describe(err)}` };
    }
    let value: unknown;
    try {
      value = parse(text);
    } catch (err) {
      return { packet: unknownPacket(text), error: `malformed JSON: ${describe(err)}` };
    }
    return toPacket(value);
  },
  decode(raw: RawMessage): Packet {
    // Not `this`: decode must keep its promise (never throw) when called unbound.
    return jsonCodec.decodeDetailed(raw).packet;
  },
};
