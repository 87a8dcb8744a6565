import type { RPCRequest } from "../packet.js";
import { cursorPosition, cursorReadAt, scratch, scratchView } from "./msgpackDecode.js";
import { msgpackStrAt, strLength } from "./msgpackStrAt.js";
import { decodeString, keyString } from "./msgpackStrings.js";

/*
 * The `rpc` map of a msgpack request packet, for msgpackRequest.ts: the same scheme (keys by length
 * and word compares, any header width, fields in any order, unknown ones read and ignored); `type`
 * must be "request" and `method` present. The schema's types are checked as the general path checks
 * them: `args` an array, `kwargs` a map (decoded by the general reader: a plain object), `call_id` a
 * string, `traceparent` a string of at most 256 UTF-16 units.
 *
 * Request fields are numbered by bits (for `seen`): type 1, method 2, args 4, kwargs 8, call_id 16,
 * traceparent 32; 64 an unknown field. Literals, as in msgpackRequest.ts.
 */

const EMPTY_MAP = 0x80;
/** The schema's limit on `traceparent` (UTF-16 units). */
const MAX_TRACEPARENT = 256;

/** The request field named by the `n` key bytes at `k`; 64 for any other key. */
function rpcKey(k: number, n: number): number {
  const v = scratchView;
  switch (n) {
    case 4: {
      const w = v.getInt32(k);
      return w === 0x74797065 ? 1 /* type */ : w === 0x61726773 ? 4 /* args */ : 64;
    }
    case 6: {
      const tail = v.getInt32(k + 2);
      const w = v.getInt32(k);
      return w === 0x6d657468 && tail === 0x74686f64 ? 2 /* method */ : w === 0x6b776172 && tail === 0x61726773 ? 8 /* kwargs */ : 64;
    }
    case 7: return v.getInt32(k) === 0x63616c6c && v.getInt32(k + 3) === 0x6c5f6964 ? 16 /* call_id */ : 64;
    case 11: return v.getInt32(k) === 0x74726163 && v.getInt32(k + 4) === 0x65706172 && v.getInt32(k + 7) === 0x72656e74 ? 32 /* traceparent */ : 64;
    default: return 64;
  }
}

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
/** The request readMsgpackRpc read; rpcRequest() builds it. */
var method = "";
var args: unknown[] | undefined;
var kwargs: Record<string, unknown> | undefined;
var callId: string | undefined;
var traceparent: string | undefined;

/**
 * Reads the map at `p` when it is a request: where it ends, or -1 for anything else (nil, a
 * response, a value of a type the schema refuses). Malformed values throw RangeError, as the
 * general reader does.
 */
export function readMsgpackRpc(p: number, end: number): number {
  const s = scratch;
  const v = scratchView;
  let n: number;
  const b0 = s[p] as number;
  if (b0 >= 0x80 && b0 < 0x90) (n = b0 & 0x0f), p++;
  else if (b0 === 0xde && p + 3 <= end) (n = v.getUint16(p + 1)), (p += 3);
  else if (b0 === 0xdf && p + 5 <= end) (n = v.getUint32(p + 1)), (p += 5);
  else return -1;
  let seen = 0;
  args = kwargs = callId = traceparent = undefined;
  for (; n > 0; n--) {
    if (p >= end) return -1;
    const b = s[p] as number;
    let k: number;
    let len: number;
    if (b >= 0xa0 && b < 0xc0) (len = b & 0x1f), (k = p + 1);
    else if ((k = msgpackStrAt(p, end)) >= 0) len = strLength();
    else return -1; // a non-string key
    p = k + len;
    if (p >= end) return -1;
    const field = rpcKey(k, len);
    if ((seen & field) !== 0) return -1;
    seen |= field & 63;
    const c = s[p] as number;
    switch (field) {
      case 1 /* type */:
        // "request" as a fixstr (a7 "requ" "uest"), or with a wider header through the general reader
        if (c === 0xa7 && p + 8 <= end && v.getInt32(p + 1) === 0x72657175 && v.getInt32(p + 4) === 0x75657374) p += 8;
        else if (cursorReadAt(p, 2) === "request") p = cursorPosition();
        else return -1; // a response, or not a request at all
        break;
      case 2 /* method */:
      case 16 /* call_id */:
      case 32 /* traceparent */: {
        let from: number;
        let size: number;
        if (c >= 0xa0 && c < 0xc0) (size = c & 0x1f), (from = p + 1);
        else if (c === 0xd9 && p + 2 <= end) (size = s[p + 1] as number), (from = p + 2);
        else if ((from = msgpackStrAt(p, end)) >= 0) size = strLength();
        else return -1;
        if (size > end - from) return -1;
        if (field === 2) method = keyString(s, from, size); // interned: the registry looks it up next
        else if (field === 16) callId = decodeString(s, from, size);
        else if ((traceparent = decodeString(s, from, size)).length > MAX_TRACEPARENT) return -1;
        p = from + size;
        break;
      }
      case 4 /* args */:
        if (!((c >= 0x90 && c <= 0x9f) || c === 0xdc || c === 0xdd)) return -1;
        args = cursorReadAt(p, 2) as unknown[];
        p = cursorPosition();
        break;
      case 8 /* kwargs */:
        if (c === EMPTY_MAP) (kwargs = {}), p++;
        else if (c === 0xde && p + 3 <= end && v.getUint16(p + 1) === 0) (kwargs = {}), (p += 3); // msgpackr's empty map
        else if ((c > 0x80 && c <= 0x8f) || c === 0xde || c === 0xdf) (kwargs = cursorReadAt(p, 2) as Record<string, unknown>), (p = cursorPosition());
        else return -1;
        break;
      default:
        cursorReadAt(p, 2);
        p = cursorPosition();
    }
  }
  return (seen & 3) === 3 /* type and method */ ? p : -1;
}

/** The request readMsgpackRpc read, defaults applied as fillPacket applies them (`newId` for an absent call id). */
export function rpcRequest(newId: () => string): RPCRequest {
  const request: RPCRequest = { type: "request", method, args: args ?? [], kwargs: kwargs ?? {}, call_id: callId ?? newId() };
  if (traceparent !== undefined) request.traceparent = traceparent;
  return request;
}

/** Drops the references to the last message's values. */
export function releaseMsgpackRpc(): void {
  args = kwargs = undefined;
}
