import type { Packet } from "../packet.js";
import { exceedsDepth, MAX_DEPTH, toPacket, unknownPacket, type DecodeResult } from "../validate.js";
import { orderedPacket, toBytes, type Codec, type RawMessage } from "./codec.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Marks a big integer while it passes through JSON.parse/stringify; random per process so input cannot forge it. */
const MARK = `\u0000bigint${Math.random().toString(36).slice(2, 10)}:`;
/** A run of 16+ digits outside a string: the only place an unsafe integer can hide. */
const LONG_INT = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** bigint → exact integer text; bytes → base64 (as msgspec writes bytes in JSON). */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  if (typeof value === "bigint") return MARK + value.toString();
  const raw = this[key];
  if (raw instanceof Uint8Array) return base64(raw);
  return value;
}
const MARKED = new RegExp(`"${MARK.replace("\u0000", "\\\\u0000")}(-?\\d+)"`, "g");

/** JSON text for any value; integers beyond 2^53 (bigint) are written exactly. */
export function stringify(value: unknown): string {
  const text = JSON.stringify(value, replacer) ?? "null";
  return text.includes(MARK.slice(1)) ? text.replace(MARKED, "$1") : text;
}

function reviver(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value;
}

/** Parses JSON text; integers beyond 2^53 come back as bigint, exactly. */
export function parse(text: string): unknown {
  let bigints = false;
  const marked = text.replace(LONG_INT, (m) => {
    if (m.charCodeAt(0) === 34 /* " */) return m;
    const n = BigInt(m);
    if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return m;
    bigints = true;
    return JSON.stringify(MARK + m);
  });
  const value: unknown = bigints ? JSON.parse(marked, reviver) : JSON.parse(text);
  if (text.length > MAX_DEPTH && exceedsDepth(value)) throw new RangeError(`nesting deeper than ${MAX_DEPTH}`);
  return value;
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
    return this.decodeDetailed(raw).packet;
  },
};
