import { PacketSource } from "../enums.js";
import type { RPCRequest } from "../packet.js";
import { byteAt, isArrayByte, isMapByte, patternOf, wordAt, wordsAt } from "./msgpackBytes.js";
import { cursorPosition, cursorReadAt, matchesAt, scratch, scratchView } from "./msgpackDecode.js";
import { decodeString, keyString } from "./msgpackStrings.js";

/*
 * The layout this library's clients write (and Python's msgspec, field for field), tried before the
 * general reader (msgpackRequest.ts) because it is most of the traffic and is read here faster than
 * the general reader reads it (see there): the constant runs compared a word at a time, the method
 * and call id read in place, only the arguments through the general value reader.
 *
 *   {"source": RPC, "data": nil, "rpc": {"type": "request", "method": m, "args": [...],
 *    "kwargs": {...}, "call_id": id}, "channel": nil, "timestamp": t, "correlation_id": nil}
 *
 * Anything else gives undefined (the general reader then reads it); may throw RangeError on malformed
 * arguments, as the general reader would.
 */

const NIL = 0xc0;
const FLOAT64 = 0xcb;
const EMPTY_MAP = 0x80;
/** `{"source": RPC, "data": nil, "rpc": {"type": "request", "method":` (40 bytes: 10 words). */
const HEAD = patternOf(0x86, "source", PacketSource.RPC, "data", NIL, "rpc", 0x85, "type", "request", "method");
/** `"args":` (5 bytes: a word and a byte). */
const ARGS = patternOf("args");
/** `"kwargs": {}, "call_id":` (16 bytes: 4 words), the usual case. */
const NO_KWARGS = patternOf("kwargs", EMPTY_MAP, "call_id");
const KWARGS = patternOf("kwargs");
const CALL_ID = patternOf("call_id");
/** `"channel": nil, "timestamp":` and the timestamp's first byte, float64 or nil (20 bytes: 5 words). */
const TAIL_FLOAT = patternOf("channel", NIL, "timestamp", FLOAT64);
const TAIL_NIL = patternOf("channel", NIL, "timestamp", NIL);
/** `"correlation_id": nil}` (16 bytes: 4 words), the last bytes. */
const END = patternOf("correlation_id", NIL);

/** The words compared below as unrolled constants: HEAD's ten, NO_KWARGS's and END's four, ARGS's one and a byte. */
const [H0, H1, H2, H3, H4, H5, H6, H7, H8, H9] = wordsAt(HEAD, 10);
const [K0, K1, K2, K3] = wordsAt(NO_KWARGS, 4);
const [E0, E1, E2, E3] = wordsAt(END, 4);
const A0 = wordAt(ARGS, 0);
const A4 = byteAt(ARGS, 4);
/** The tails' first four words (the same in both) and their last words. */
const [T0, T1, T2, T3, TF] = wordsAt(TAIL_FLOAT, 5);
const TN = wordAt(TAIL_NIL, 4);

function atHead(v: DataView): boolean {
  return v.getInt32(0) === H0 && v.getInt32(4) === H1 && v.getInt32(8) === H2 && v.getInt32(12) === H3 && v.getInt32(16) === H4 &&
    v.getInt32(20) === H5 && v.getInt32(24) === H6 && v.getInt32(28) === H7 && v.getInt32(32) === H8 && v.getInt32(36) === H9;
}

/** Where a fixstr or str8 at `p` starts, with its length in `strLength`; -1 for anything else. */
// `var`, not `let`: see msgpackDecode.ts.
var strLength = 0;
function strAt(p: number, end: number): number {
  const b = scratch[p] as number;
  let from: number;
  if (b >= 0xa0 && b < 0xc0) (strLength = b & 0x1f), (from = p + 1);
  else if (b === 0xd9 && p + 1 < end) (strLength = scratch[p + 1] as number), (from = p + 2);
  else return -1;
  return strLength <= end - from ? from : -1;
}


/**
 * The request of a packet in this library's client layout (see the top of this file), read from the
 * cursor's scratch copy (opened by the caller) of `end` bytes; undefined for any other layout.
 */
export function readClientRequest(end: number): RPCRequest | undefined {
  const v = scratchView;
  if (end < HEAD.n + 2 || !atHead(v)) return undefined;
  let p = strAt(HEAD.n, end);
  if (p < 0) return undefined;
  const method = keyString(scratch, p, strLength); // interned: the registry looks it up next
  p += strLength;
  if (p + 5 >= end || v.getInt32(p) !== A0 || scratch[p + 4] !== A4 || !isArrayByte(scratch[p + 5] as number)) return undefined;
  const args = cursorReadAt(p + 5, 2) as unknown[];
  p = cursorPosition();
  let kwargs: Record<string, unknown>;
  if (p + 16 <= end && v.getInt32(p) === K0 && v.getInt32(p + 4) === K1 && v.getInt32(p + 8) === K2 && v.getInt32(p + 12) === K3) (kwargs = {}), (p += 16);
  else {
    if (p + KWARGS.n >= end || !matchesAt(p, KWARGS) || !isMapByte(scratch[p + KWARGS.n] as number)) return undefined;
    kwargs = cursorReadAt(p + KWARGS.n, 2) as Record<string, unknown>;
    p = cursorPosition();
    if (p + CALL_ID.n > end || !matchesAt(p, CALL_ID)) return undefined;
    p += CALL_ID.n;
  }
  if (p >= end || (p = strAt(p, end)) < 0) return undefined;
  const callId = decodeString(scratch, p, strLength);
  p += strLength;
  // The tail: a float64 or nil timestamp, END, and nothing after.
  if (p + 20 > end || v.getInt32(p) !== T0 || v.getInt32(p + 4) !== T1 || v.getInt32(p + 8) !== T2 || v.getInt32(p + 12) !== T3) return undefined;
  const last = v.getInt32(p + 16);
  if (last === TF) {
    if (p + 28 > end || !Number.isFinite(v.getFloat64(p + 20))) return undefined;
    p += 28;
  } else if (last === TN) p += 20;
  else return undefined;
  if (p + 16 !== end || v.getInt32(p) !== E0 || v.getInt32(p + 4) !== E1 || v.getInt32(p + 8) !== E2 || v.getInt32(p + 12) !== E3) return undefined;
  return { type: "request", method, args, kwargs, call_id: callId };
}
