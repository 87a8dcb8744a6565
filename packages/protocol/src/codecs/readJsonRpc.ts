import type { RPCRequest } from "../packet.js";
import { jsonPosition, jsonScratch, jsonScratchView, jsonValueAt } from "./jsonBytes.js";
import { scannedEnd, skipSpace, stringAt, unknownKeyEnd } from "./jsonScan.js";

/*
 * The `rpc` object of a JSON request packet, for jsonRequest.ts: the same scheme (keys by their
 * first word and a closing word, values in place where they are simple), fields in any order,
 * unknown ones read and ignored; `type` must be "request" (written without escapes) and `method`
 * present. The schema's types are checked as the general path checks them: `args` a list, `kwargs`
 * an object, `call_id` a string, `traceparent` a string of at most 256 UTF-16 units.
 */

/*
 * Request fields are numbered by bits (for `seen`): type 1, method 2, args 4, kwargs 8, call_id 16,
 * traceparent 32; 64 is an unknown field (read, then ignored). Literals, as in jsonRequest.ts.
 */

const QUOTE = 0x22;
/** The schema's limit on `traceparent` (UTF-16 units). */
const MAX_TRACEPARENT = 256;

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var keyEnd = 0;
/** The request read by readJsonRpc; rpcRequest() builds it. */
var method = "";
var args: unknown[] | undefined;
var kwargs: Record<string, unknown> | undefined;
var callId: string | undefined;
var traceparent: string | undefined;

/** The request field whose key starts at `p` (after the opening quote); 64 (unknown) for others (see jsonRequest.ts' packetKey). */
function rpcKey(p: number, e: number): number {
  const v = jsonScratchView;
  switch (v.getInt32(p)) {
    case 0x74797065: // type|"
      if (p + 5 <= e && v.getInt32(p + 1) === 0x79706522) return (keyEnd = p + 5), 1 /* TYPE */;
      break;
    case 0x6d657468: // meth|od"
      if (p + 7 <= e && v.getInt32(p + 3) === 0x686f6422) return (keyEnd = p + 7), 2 /* METHOD */;
      break;
    case 0x61726773: // args|"
      if (p + 5 <= e && v.getInt32(p + 1) === 0x72677322) return (keyEnd = p + 5), 4 /* ARGS */;
      break;
    case 0x6b776172: // kwar|gs"
      if (p + 7 <= e && v.getInt32(p + 3) === 0x72677322) return (keyEnd = p + 7), 8 /* KWARGS */;
      break;
    case 0x63616c6c: // call|_id"
      if (p + 8 <= e && v.getInt32(p + 4) === 0x5f696422) return (keyEnd = p + 8), 16 /* CALL_ID */;
      break;
    case 0x74726163: // trac|epar|ent"
      if (p + 12 <= e && v.getInt32(p + 4) === 0x65706172 && v.getInt32(p + 8) === 0x656e7422) return (keyEnd = p + 12), 32 /* TRACEPARENT */;
      break;
  }
  keyEnd = unknownKeyEnd(p);
  return 64 /* UNKNOWN */;
}

/**
 * Reads the request's fields from `p` (after `{`) up to `e`: where the object ends, or -1 when it is
 * no request this path reads. Values it leaves to the general path give up by throwing.
 */
export function readJsonRpc(p: number, e: number): number {
  const s = jsonScratch;
  const v = jsonScratchView;
  let seen = 0;
  args = kwargs = callId = traceparent = undefined;
  if ((s[p] as number) <= 0x20) p = skipSpace(p); // whitespace: a call only when there is some
  for (;;) {
    if (s[p] !== QUOTE) return -1; // `{}` too: no type, no method
    const field = rpcKey(p + 1, e);
    if ((seen & field) !== 0) return -1; // given twice (an unknown field, 64, may repeat)
    seen |= field & 63;
    p = keyEnd;
    if (s[p] !== 0x3a && s[(p = skipSpace(p))] !== 0x3a) return -1;
    let c = s[++p] as number;
    if (c === 0x20) c = s[++p] as number; // json.dumps's `": "`
    if (c <= 0x20) c = s[(p = skipSpace(p))] as number;
    switch (field) {
      case 1 /* TYPE */:
        // "request" (requ|est"); anything else is a response, or not read here
        if (c !== QUOTE || p + 9 > e || v.getInt32(p + 1) !== 0x72657175 || v.getInt32(p + 5) !== 0x65737422) return -1;
        p += 9;
        break;
      case 2 /* METHOD */:
        if (c !== QUOTE) return -1;
        method = stringAt(p + 1, true); // interned: the registry looks it up next
        p = scannedEnd();
        break;
      case 16 /* CALL_ID */:
      case 32 /* TRACEPARENT */: {
        if (c !== QUOTE) return -1;
        const text = stringAt(p + 1, false);
        if (field === 16 /* CALL_ID */) callId = text;
        else if (text.length > MAX_TRACEPARENT) return -1;
        else traceparent = text;
        p = scannedEnd();
        break;
      }
      case 4 /* ARGS */:
        if (c !== 0x5b) return -1;
        args = jsonValueAt(p, 2) as unknown[];
        p = jsonPosition();
        break;
      case 8 /* KWARGS */: {
        if (c !== 0x7b) return -1;
        const q = skipSpace(p + 1);
        if (s[q] === 0x7d) (kwargs = {}), (p = q + 1);
        else (kwargs = jsonValueAt(p, 2) as Record<string, unknown>), (p = jsonPosition());
        break;
      }
      default:
        jsonValueAt(p, 2);
        p = jsonPosition();
    }
    c = s[p] as number;
    if (c <= 0x20) c = s[(p = skipSpace(p))] as number;
    if (c !== 0x2c) return c === 0x7d && (seen & 3) === 3 /* type and method */ ? p + 1 : -1;
    c = s[++p] as number;
    if (c === 0x20) c = s[++p] as number; // json.dumps's `", "`
    if (c <= 0x20) p = skipSpace(p);
  }
}

/** The request readJsonRpc read, defaults applied as fillPacket applies them (`newId` for an absent call id). */
export function rpcRequest(newId: () => string): RPCRequest {
  const request: RPCRequest = { type: "request", method, args: args ?? [], kwargs: kwargs ?? {}, call_id: callId ?? newId() };
  if (traceparent !== undefined) request.traceparent = traceparent;
  return request;
}

/** Drops the references to the last message's values. */
export function releaseJsonRpc(): void {
  args = kwargs = undefined;
}
