import { PacketSource } from "../enums.js";
import type { Packet, RPCRequest } from "../packet.js";
import { isArrayByte, isMapByte, isStringByte, patternOf } from "./msgpackBytes.js";
import { cursorClose, cursorDone, cursorFloat64, cursorMatch, cursorNil, cursorOpen, cursorPeek, cursorRead, cursorString } from "./msgpackDecode.js";

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

const HEAD = patternOf(0x86, "source");
/** A seventh field, `position` (last), on channel messages to clients that opted in. */
const HEAD_POSITIONED = patternOf(0x87, "source");
const POSITION = patternOf("position", 0x92);
const DATA = patternOf("data");
const RPC = patternOf("rpc");
const REQUEST = patternOf(0x85, "type", "request", "method");
const ARGS = patternOf("args");
const KWARGS = patternOf("kwargs");
const CALL_ID = patternOf("call_id");
const CHANNEL = patternOf("channel");
const TIMESTAMP = patternOf("timestamp");
const CORRELATION_ID = patternOf("correlation_id");
const EMPTY_MAP = 0x80;
const NIL = 0xc0;
/** `{"source": RPC, "data": nil, "rpc": {"type": "request", "method":` (40 bytes, compared at once). */
const PLAIN_REQUEST = patternOf(0x86, "source", PacketSource.RPC, "data", NIL, "rpc", 0x85, "type", "request", "method");
/** `, "channel": nil, "timestamp":` after the request. */
const PLAIN_TAIL = patternOf("channel", NIL, "timestamp");
/** `, "correlation_id": nil}`. */
const NO_CORRELATION = patternOf("correlation_id", NIL);


/** Reads a string or nil; undefined when the next value is something else. */
function stringOrNull(): string | null | undefined {
  if (cursorNil()) return null;
  const fast = cursorString(false);
  if (fast !== undefined) return fast;
  return isStringByte(cursorPeek()) ? (cursorRead(1) as string) : undefined;
}

/** A string value (a method name is read as an interned key: the registry looks it up next). */
function stringValue(name: boolean, depth: number): string | undefined {
  const fast = cursorString(name);
  if (fast !== undefined) return fast;
  return isStringByte(cursorPeek()) ? (cursorRead(depth) as string) : undefined;
}

function readRequest(): RPCRequest | undefined {
  if (!cursorMatch(REQUEST)) return undefined;
  const method = stringValue(true, 2);
  return method === undefined ? undefined : readRequestRest(method);
}

/** The rest of an RPC request after its method, in the usual layout; undefined when it is not that. */
function readRequestRest(method: string): RPCRequest | undefined {
  if (!cursorMatch(ARGS) || !isArrayByte(cursorPeek())) return undefined;
  const args = cursorRead(2) as unknown[];
  if (!cursorMatch(KWARGS)) return undefined;
  let kwargs: Record<string, unknown>;
  if (cursorPeek() === EMPTY_MAP) cursorRead(2), (kwargs = {});
  else if (isMapByte(cursorPeek())) kwargs = cursorRead(2) as Record<string, unknown>;
  else return undefined;
  if (!cursorMatch(CALL_ID)) return undefined;
  const callId = stringValue(false, 2);
  if (callId === undefined) return undefined;
  return { type: "request", method, args, kwargs, call_id: callId };
}

/** The timestamp of the last request readPlainRequest read. */
var plainTimestamp: number | null = null;

/**
 * The commonest packet of all, a client's RPC request (source RPC, no data, no
 * channel, no correlation id), after PLAIN_REQUEST: read with two long compares
 * around the request. Returns the request; the timestamp is left in plainTimestamp.
 * (The server reads these through msgpackRequest.ts, without the packet.)
 */
function readPlainRequest(): RPCRequest | undefined {
  const method = stringValue(true, 2);
  if (method === undefined) return undefined;
  const rpc = readRequestRest(method);
  if (rpc === undefined || !cursorMatch(PLAIN_TAIL)) return undefined;
  const timestamp = cursorFloat64() ?? cursorRead(1);
  if (timestamp !== null && !(typeof timestamp === "number" && Number.isFinite(timestamp))) return undefined;
  if (!cursorMatch(NO_CORRELATION) || !cursorDone()) return undefined;
  plainTimestamp = timestamp;
  return rpc;
}

function readPacket(): Packet | undefined {
  if (cursorMatch(PLAIN_REQUEST)) {
    const rpc = readPlainRequest();
    return rpc && { source: PacketSource.RPC, data: null, rpc, channel: null, timestamp: plainTimestamp, correlation_id: null };
  }
  const positioned = !cursorMatch(HEAD);
  if (positioned && !cursorMatch(HEAD_POSITIONED)) return undefined;
  const source = cursorPeek(); // a positive fixint
  if (source < PacketSource.BROADCAST || source > PacketSource.RPC) return undefined;
  cursorRead(1);
  if (!cursorMatch(DATA)) return undefined;
  const data = cursorNil() ? null : cursorRead(1);
  if (!cursorMatch(RPC)) return undefined;
  let rpc: RPCRequest | null = null;
  if (!cursorNil() && (rpc = readRequest() ?? null) === null) return undefined;
  if (!cursorMatch(CHANNEL)) return undefined;
  const channel = stringOrNull();
  if (channel === undefined || !cursorMatch(TIMESTAMP)) return undefined;
  const timestamp = cursorFloat64() ?? cursorRead(1);
  if (timestamp !== null && !(typeof timestamp === "number" && Number.isFinite(timestamp))) return undefined;
  if (!cursorMatch(CORRELATION_ID)) return undefined;
  const correlationId = stringOrNull();
  if (correlationId === undefined) return undefined;
  const packet: Packet = { source, data, rpc, channel, timestamp, correlation_id: correlationId };
  if (positioned) {
    if (!cursorMatch(POSITION)) return undefined;
    const epoch = stringOrNull();
    const offset = cursorRead(1);
    if (typeof epoch !== "string" || !(Number.isSafeInteger(offset) && (offset as number) >= 0)) return undefined;
    packet.position = [epoch, offset as number];
  }
  return cursorDone() ? packet : undefined;
}

/**
 * Decodes a packet written in the usual layout, or returns undefined (never
 * throws) for the caller to take the general path.
 */
export function decodeUsualPacket(bytes: Uint8Array): Packet | undefined {
  if (!cursorOpen(bytes)) return undefined; // larger than the scratch buffer: the general path
  try {
    return readPacket();
  } catch {
    return undefined; // malformed: the general path says exactly why
  } finally {
    cursorClose();
  }
}

