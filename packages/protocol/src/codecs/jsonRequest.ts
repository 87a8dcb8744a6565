import { serverCallId } from "../serverCallId.js";
import type { RPCRequest } from "../packet.js";
import { jsonClose, jsonOpen, jsonPosition, jsonScratch, jsonScratchView, jsonValueAt } from "./jsonBytes.js";
import { nullAt, scannedEnd, skipSpace, stringAt, unknownKeyEnd } from "./jsonScan.js";
import { jsonNumberEnd, readJsonNumber } from "./jsonNumber.js";
import { readJsonRpc, releaseJsonRpc, rpcRequest } from "./readJsonRpc.js";

/*
 * The JSON codec's request fast path (Codec.decodeRequest): an RPC request packet read from its
 * bytes in one pass, in any layout — fields in any order, any whitespace, optional fields present
 * or absent (`call_id` absent gets a server-made id, as fillPacket gives it), unknown fields (read,
 * then ignored, as the schema ignores them) — e.g. this library's compact declaration order, the
 * seed's browser snippet `{"rpc": {"type": "request", ...}, "source": 5}` or json.dumps's spacing.
 *
 * One reader for every layout, over the scratch copy (jsonBytes.ts, ≤ 4 KiB, a 0 byte after the
 * input) with the position in a local: a key is told by its first four bytes (one switch) and
 * confirmed by one to three more word compares that include its closing quote; null, small
 * integers, `"request"` and `{}` are taken in place, strings without escapes are scanned in place,
 * numbers read by jsonNumber.ts; only arguments and unknown fields' values go through the value
 * reader (jsonBytes.ts), which gives up on what it leaves to the general path.
 *
 * It gives undefined, and the caller decodes in full, for a packet that is not an RPC request and
 * for whatever it does not read itself: escapes (in keys too), 16+ digit integers, a byte-order
 * mark, deep nesting, a "__proto__" key inside a value, a field given twice, more than 4 KiB,
 * invalid input. So whatever it accepts, the general path accepts too, with the same request.
 */

/*
 * Packet fields are numbered by bits (for `seen`): source 1, data 2, rpc 4, channel 8, timestamp 16,
 * correlation_id 32; 64 is an unknown field (read, then ignored: the schema ignores it). Written as
 * literals with the name in a comment: a module constant costs a context load and a hole check at
 * each use on this path, and a switch over literals compiles to a jump.
 */

const QUOTE = 0x22;

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
/** Where the key read by packetKey ends (after its closing quote). */
var keyEnd = 0;

/**
 * The packet field whose key starts at `p` (after the opening quote); 64 (unknown) for others.
 * Keys are compared as big-endian words, written as literals (a jump on the first): `0x736f7572` is
 * "sour". Each word starts inside the input, and the byte after the input is 0, so a word that
 * matches lies within it: the length checks only make that plain.
 */
function packetKey(p: number, e: number): number {
  const v = jsonScratchView;
  switch (v.getInt32(p)) {
    case 0x736f7572: // sour|ce"
      if (p + 7 <= e && v.getInt32(p + 3) === 0x72636522) return (keyEnd = p + 7), 1 /* SOURCE */;
      break;
    case 0x72706322: // rpc"
      return (keyEnd = p + 4), 4 /* RPC */;
    case 0x64617461: // data|"
      if (p + 5 <= e && v.getInt32(p + 1) === 0x61746122) return (keyEnd = p + 5), 2 /* DATA */;
      break;
    case 0x74696d65: // time|stam|p"
      if (p + 10 <= e && v.getInt32(p + 4) === 0x7374616d && v.getInt32(p + 6) === 0x616d7022) return (keyEnd = p + 10), 16 /* TIMESTAMP */;
      break;
    case 0x6368616e: // chan|nel"
      if (p + 8 <= e && v.getInt32(p + 4) === 0x6e656c22) return (keyEnd = p + 8), 8 /* CHANNEL */;
      break;
    case 0x636f7272: // corr|elat|ion_|_id"
      if (p + 15 <= e && v.getInt32(p + 4) === 0x656c6174 && v.getInt32(p + 8) === 0x696f6e5f && v.getInt32(p + 11) === 0x5f696422) {
        return (keyEnd = p + 15), 32 /* CORRELATION */;
      }
      break;
  }
  keyEnd = unknownKeyEnd(p);
  return 64 /* UNKNOWN */;
}

/** The packet's fields from `p` (after `{`): where the packet ends, or -1 when it is no request this path reads. */
function readPacket(p: number, e: number): number {
  const s = jsonScratch;
  let seen = 0;
  if ((s[p] as number) <= 0x20) p = skipSpace(p); // whitespace: a call only when there is some
  for (;;) {
    if (s[p] !== QUOTE) return -1; // `{}` too: no source, no rpc
    const field = packetKey(p + 1, e);
    if ((seen & field) !== 0) return -1; // given twice (an unknown field, 64, may repeat)
    seen |= field & 63;
    p = keyEnd;
    if (s[p] !== 0x3a && s[(p = skipSpace(p))] !== 0x3a) return -1;
    let c = s[++p] as number;
    if (c === 0x20) c = s[++p] as number; // json.dumps's `": "`
    if (c <= 0x20) c = s[(p = skipSpace(p))] as number;
    switch (field) {
      case 4 /* RPC */:
        if (c !== 0x7b || (p = readJsonRpc(p + 1, e)) < 0) return -1; // null, a response, or not read here
        break;
      case 1 /* SOURCE */: {
        const next = s[p + 1] as number;
        if (c >= 0x31 && c <= 0x35 && (next === 0x2c || next === 0x7d || next <= 0x20)) p++; // 1..5, then a delimiter
        else {
          const n = readJsonNumber(s, p, e); // 5.0, 5e0: the general path takes them as 5 too
          if (n !== 1 && n !== 2 && n !== 3 && n !== 4 && n !== 5) return -1;
          p = jsonNumberEnd();
        }
        break;
      }
      case 16 /* TIMESTAMP */:
        if (c === 0x6e) p = nullAt(p, e);
        else {
          const n = readJsonNumber(s, p, e); // undefined for anything but a number (and for 16+ digit integers)
          if (n === undefined || !Number.isFinite(n)) return -1;
          p = jsonNumberEnd();
        }
        break;
      case 8 /* CHANNEL */:
      case 32 /* CORRELATION */:
        p = c === QUOTE ? (stringAt(p + 1, false), scannedEnd()) : nullAt(p, e);
        break;
      default: // data, or an unknown field
        if (c === 0x6e) p = nullAt(p, e);
        else jsonValueAt(p, 1), (p = jsonPosition());
    }
    if (p < 0) return -1;
    c = s[p] as number;
    if (c <= 0x20) c = s[(p = skipSpace(p))] as number;
    if (c !== 0x2c) return c === 0x7d && (seen & 5) === 5 /* source and rpc */ ? p + 1 : -1;
    c = s[++p] as number;
    if (c === 0x20) c = s[++p] as number; // json.dumps's `", "`
    if (c <= 0x20) p = skipSpace(p);
  }
}

/**
 * The request in an RPC request packet written as JSON (see the top of this file); undefined
 * (never throws) for anything else, which the caller decodes in full.
 */
export function decodeJsonRequest(bytes: Uint8Array): RPCRequest | undefined {
  if (!jsonOpen(bytes)) return undefined;
  const e = bytes.length;
  try {
    let p = skipSpace(0);
    if (jsonScratch[p] !== 0x7b || (p = readPacket(p + 1, e)) < 0 || skipSpace(p) !== e) return undefined;
    return rpcRequest(serverCallId);
  } catch {
    return undefined; // what the value reader leaves to the general path
  } finally {
    jsonClose();
    releaseJsonRpc();
  }
}
