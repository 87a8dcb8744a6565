import { PacketSource } from "../enums.js";
import { randomId } from "../ids.js";
import type { RPCRequest } from "../packet.js";
import { isArrayByte, isMapByte, patternFrom, type BytePattern } from "./msgpackBytes.js";
import { cursorClose, cursorOpen, cursorPosition, cursorReadAt, matchesAt, scratch, scratchView } from "./msgpackDecode.js";
import { readClientRequest } from "./msgpackClientRequest.js";
import { decodeString, keyString } from "./msgpackStrings.js";

/*
 * The server's commonest message, an RPC request, read in one pass over the cursor's scratch copy
 * with the position in a local variable: keys are told apart by their length and compared a word
 * at a time, nil and float64 values are taken in place, the method and call id read in place, and
 * every other value goes through the general reader (decodeMsgpack's), so it is checked exactly as
 * the general path checks it. Any layout: fields in any order, optional ones present or absent
 * (`call_id` absent gets a fresh id, as fillPacket gives it), unknown fields (read, then ignored),
 * any header width (map16/map32, str8/16/32 where a shorter one would do: msgpackr's default `pack`
 * writes `de 0006`), any number format for `source` and `timestamp`.
 *
 * It gives undefined, and the caller takes the general path, for a packet that is not an RPC
 * request, for anything the general path might refuse (malformed bytes, a type the schema refuses),
 * and for what it does not read itself: a non-string key, a field given twice, more than the
 * scratch buffer holds (4 KiB). So whatever it accepts, the general path accepts too, with the same
 * request. This library's own client layout is read first by msgpackClientRequest.ts, faster.
 */

const NIL = 0xc0;
const FLOAT64 = 0xcb;

const ascii = (s: string): BytePattern => patternFrom(Uint8Array.from(s, (c) => c.charCodeAt(0)));
const SOURCE = ascii("source");
const DATA = ascii("data");
const RPC = ascii("rpc");
const CHANNEL = ascii("channel");
const TIMESTAMP = ascii("timestamp");
const CORRELATION_ID = ascii("correlation_id");
const TYPE = ascii("type");
const METHOD = ascii("method");
const ARGS = ascii("args");
const KWARGS = ascii("kwargs");
const CALL_ID = ascii("call_id");
const TRACEPARENT = ascii("traceparent");
const REQUEST = ascii("request");

/** Field numbers: bits of `seen`. */
const F_SOURCE = 1, F_DATA = 2, F_RPC = 4, F_CHANNEL = 8, F_TIMESTAMP = 16, F_CORRELATION = 32;
const R_TYPE = 1, R_METHOD = 2, R_ARGS = 4, R_KWARGS = 8, R_CALL_ID = 16;
/** `traceparent` (optional): such requests are left to the general path, which keeps it. */
const R_TRACEPARENT = 32;
/** An unknown field: read, then ignored (the schema ignores it). */
const UNKNOWN = 0;

// `var`, not `let`: see msgpackDecode.ts. Outputs of the helpers below, read right after each call.
var strLength = 0;
var count = 0;

/** Where a str at `p` starts (any width), its length in `strLength`; -1 for anything else. */
function strAt(p: number, end: number): number {
  const b = scratch[p] as number;
  let from: number;
  if (b >= 0xa0 && b < 0xc0) (strLength = b & 0x1f), (from = p + 1);
  else if (b === 0xd9 && p + 2 <= end) (strLength = scratch[p + 1] as number), (from = p + 2);
  else if (b === 0xda && p + 3 <= end) (strLength = scratchView.getUint16(p + 1)), (from = p + 3);
  else if (b === 0xdb && p + 5 <= end) (strLength = scratchView.getUint32(p + 1)), (from = p + 5);
  else return -1;
  return strLength <= end - from ? from : -1;
}

/** Where the entries of a map at `p` start (any width), their number in `count`; -1 for anything else. */
function mapAt(p: number, end: number): number {
  const b = scratch[p] as number;
  if (b >= 0x80 && b < 0x90) return (count = b & 0x0f), p + 1;
  if (b === 0xde && p + 3 <= end) return (count = scratchView.getUint16(p + 1)), p + 3;
  if (b === 0xdf && p + 5 <= end) return (count = scratchView.getUint32(p + 1)), p + 5;
  return -1;
}

/** The packet field named by the `n` key bytes at `p`, or UNKNOWN. */
function packetField(p: number, n: number): number {
  switch (n) {
    case 6: return matchesAt(p, SOURCE) ? F_SOURCE : UNKNOWN;
    case 4: return matchesAt(p, DATA) ? F_DATA : UNKNOWN;
    case 3: return matchesAt(p, RPC) ? F_RPC : UNKNOWN;
    case 7: return matchesAt(p, CHANNEL) ? F_CHANNEL : UNKNOWN;
    case 9: return matchesAt(p, TIMESTAMP) ? F_TIMESTAMP : UNKNOWN;
    case 14: return matchesAt(p, CORRELATION_ID) ? F_CORRELATION : UNKNOWN;
    default: return UNKNOWN;
  }
}

/** The request field named by the `n` key bytes at `p`, or UNKNOWN. */
function rpcField(p: number, n: number): number {
  switch (n) {
    case 4: return matchesAt(p, TYPE) ? R_TYPE : matchesAt(p, ARGS) ? R_ARGS : UNKNOWN;
    case 6: return matchesAt(p, METHOD) ? R_METHOD : matchesAt(p, KWARGS) ? R_KWARGS : UNKNOWN;
    case 7: return matchesAt(p, CALL_ID) ? R_CALL_ID : UNKNOWN;
    case 11: return matchesAt(p, TRACEPARENT) ? R_TRACEPARENT : UNKNOWN;
    default: return UNKNOWN;
  }
}

/** The request read by readRpc, and where it ended. */
var method = "";
var args: unknown[] | undefined;
var kwargs: Record<string, unknown> | undefined;
var callId: string | undefined;
var rpcEnd = 0;

/** Reads the `rpc` map at `p` when it is a request; false for anything else. */
function readRpc(p: number, end: number): boolean {
  if ((p = mapAt(p, end)) < 0) return false;
  let n = count;
  let seen = 0;
  args = kwargs = callId = undefined;
  for (; n > 0; n--) {
    if (p >= end || (p = strAt(p, end)) < 0) return false;
    const field = rpcField(p, strLength);
    p += strLength;
    if ((seen & field) !== 0 || p >= end || field === R_TRACEPARENT) return false;
    seen |= field;
    if (field === R_TYPE) {
      if (scratch[p] !== 0xa7 || p + 8 > end || !matchesAt(p + 1, REQUEST)) {
        const v = cursorReadAt(p, 2); // "request" written with a wider header, or not a request at all
        if (v !== "request") return false;
        p = cursorPosition();
      } else p += 8;
    } else if (field === R_METHOD || field === R_CALL_ID) {
      if ((p = strAt(p, end)) < 0) return false;
      // The method is interned (the registry looks it up next).
      const s = field === R_METHOD ? keyString(scratch, p, strLength) : decodeString(scratch, p, strLength);
      if (field === R_METHOD) method = s;
      else callId = s;
      p += strLength;
    } else if (field === R_ARGS) {
      if (!isArrayByte(scratch[p] as number)) return false;
      args = cursorReadAt(p, 2) as unknown[];
      p = cursorPosition();
    } else if (field === R_KWARGS) {
      if (!isMapByte(scratch[p] as number)) return false; // a map decodes to a plain object, as the schema wants
      kwargs = cursorReadAt(p, 2) as Record<string, unknown>;
      p = cursorPosition();
    } else {
      cursorReadAt(p, 2);
      p = cursorPosition();
    }
  }
  rpcEnd = p;
  return (seen & (R_TYPE | R_METHOD)) === (R_TYPE | R_METHOD);
}

/** A string or nil at `p` (read by the general reader when not nil): where it ends, or -1. */
function stringOrNil(p: number): number {
  if (scratch[p] === NIL) return p + 1;
  return typeof cursorReadAt(p, 1) === "string" ? cursorPosition() : -1;
}

function readRequest(end: number): RPCRequest | undefined {
  let p = mapAt(0, end);
  if (p < 0) return undefined;
  let n = count;
  let seen = 0;
  let request = false;
  for (; n > 0; n--) {
    if (p >= end || (p = strAt(p, end)) < 0) return undefined;
    const field = packetField(p, strLength);
    p += strLength;
    if ((seen & field) !== 0 || p >= end) return undefined;
    seen |= field;
    const b = scratch[p] as number;
    switch (field) {
      case F_SOURCE:
        if (b >= PacketSource.BROADCAST && b <= PacketSource.RPC) p++;
        else {
          const v = cursorReadAt(p, 1);
          if (v !== 1 && v !== 2 && v !== 3 && v !== 4 && v !== 5) return undefined;
          p = cursorPosition();
        }
        break;
      case F_RPC:
        if (!readRpc(p, end)) return undefined; // nil, a response, or not read here
        request = true;
        p = rpcEnd;
        break;
      case F_CHANNEL:
      case F_CORRELATION:
        if ((p = stringOrNil(p)) < 0) return undefined;
        break;
      case F_TIMESTAMP:
        if (b === NIL) p++;
        else if (b === FLOAT64 && p + 9 <= end) {
          if (!Number.isFinite(scratchView.getFloat64(p + 1))) return undefined;
          p += 9;
        } else {
          const v = cursorReadAt(p, 1);
          if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
          p = cursorPosition();
        }
        break;
      default: // data, or an unknown field
        if (b === NIL) p++;
        else cursorReadAt(p, 1), (p = cursorPosition());
    }
  }
  if (p !== end || !request || (seen & F_SOURCE) === 0) return undefined;
  return { type: "request", method, args: args ?? [], kwargs: kwargs ?? {}, call_id: callId ?? randomId() };
}

/**
 * The request in an RPC request packet, without building the packet: `decode(bytes).rpc` when that
 * is a request (see the top of this file); undefined (never throws) for anything else, which the
 * general path reads.
 */
export function decodePlainRequest(bytes: Uint8Array): RPCRequest | undefined {
  if (!cursorOpen(bytes)) return undefined;
  const n = bytes.length;
  try {
    return readClientRequest(n) ?? readRequest(n);
  } catch {
    return undefined; // malformed values: the general path says exactly why
  } finally {
    cursorClose();
    args = kwargs = undefined; // keep no reference to the message's values
  }
}
