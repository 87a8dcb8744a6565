import { PacketSource } from "../enums.js";
import type { Packet, RPCRequest } from "../packet.js";
import { cursorClose, cursorDone, cursorMatch, cursorOpen, cursorPeek, cursorRead } from "./msgpackDecode.js";

/*
 * The fast path for the packets clients send most: the six fields in declaration
 * order (as this library and Python's msgspec write them), `rpc` null or a request
 * with its five fields in order. The keys are compared as bytes, the values read
 * by the validating decoder and type-checked here, and the Packet is built in one
 * step. Anything else — other orders, missing or extra fields, a type the schema
 * would refuse, malformed bytes — returns undefined, and the caller takes the
 * general path (decode, then the compiled schema), which gives the exact error.
 * So this path accepts a subset of what the schema accepts and builds the same
 * Packet the general path would.
 */

function fixstr(s: string): Uint8Array {
  return Uint8Array.from([0xa0 | s.length, ...Array.from(s, (c) => c.charCodeAt(0))]);
}

const HEAD = Uint8Array.from([0x86, ...fixstr("source")]);
const DATA = fixstr("data");
const RPC = fixstr("rpc");
const REQUEST = Uint8Array.from([0x85, ...fixstr("type"), ...fixstr("request"), ...fixstr("method")]);
const ARGS = fixstr("args");
const KWARGS = fixstr("kwargs");
const CALL_ID = fixstr("call_id");
const CHANNEL = fixstr("channel");
const TIMESTAMP = fixstr("timestamp");
const CORRELATION_ID = fixstr("correlation_id");
const NIL = 0xc0;

const isArrayByte = (b: number): boolean => (b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd;
const isMapByte = (b: number): boolean => (b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf;
const isStringByte = (b: number): boolean => (b >= 0xa0 && b <= 0xbf) || b === 0xd9 || b === 0xda || b === 0xdb;

/** Reads a string or nil; undefined when the next value is something else. */
function stringOrNull(): string | null | undefined {
  const b = cursorPeek();
  if (b === NIL) return cursorRead(1) as null;
  return isStringByte(b) ? (cursorRead(1) as string) : undefined;
}

function readRequest(): RPCRequest | undefined {
  if (!cursorMatch(REQUEST) || !isStringByte(cursorPeek())) return undefined;
  const method = cursorRead(2) as string;
  if (!cursorMatch(ARGS) || !isArrayByte(cursorPeek())) return undefined;
  const args = cursorRead(2) as unknown[];
  if (!cursorMatch(KWARGS) || !isMapByte(cursorPeek())) return undefined;
  const kwargs = cursorRead(2) as Record<string, unknown>;
  if (!cursorMatch(CALL_ID) || !isStringByte(cursorPeek())) return undefined;
  const callId = cursorRead(2) as string;
  return { type: "request", method, args, kwargs, call_id: callId };
}

function readPacket(): Packet | undefined {
  if (!cursorMatch(HEAD)) return undefined;
  const source = cursorPeek(); // a positive fixint
  if (source < PacketSource.BROADCAST || source > PacketSource.RPC) return undefined;
  cursorRead(1);
  if (!cursorMatch(DATA)) return undefined;
  const data = cursorRead(1);
  if (!cursorMatch(RPC)) return undefined;
  let rpc: RPCRequest | null = null;
  if (cursorPeek() === NIL) cursorRead(1);
  else if ((rpc = readRequest() ?? null) === null) return undefined;
  if (!cursorMatch(CHANNEL)) return undefined;
  const channel = stringOrNull();
  if (channel === undefined || !cursorMatch(TIMESTAMP)) return undefined;
  const timestamp = cursorRead(1);
  if (timestamp !== null && !(typeof timestamp === "number" && Number.isFinite(timestamp))) return undefined;
  if (!cursorMatch(CORRELATION_ID)) return undefined;
  const correlationId = stringOrNull();
  if (correlationId === undefined || !cursorDone()) return undefined;
  return { source, data, rpc, channel, timestamp, correlation_id: correlationId };
}

/**
 * Decodes a packet written in the usual layout, or returns undefined (never
 * throws) for the caller to take the general path.
 */
export function decodeUsualPacket(bytes: Uint8Array): Packet | undefined {
  cursorOpen(bytes);
  try {
    return readPacket();
  } catch {
    return undefined; // malformed: the general path says exactly why
  } finally {
    cursorClose();
  }
}

