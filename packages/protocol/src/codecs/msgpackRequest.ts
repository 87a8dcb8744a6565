import { serverCallId } from "../serverCallId.js";
import type { RPCRequest } from "../packet.js";
import { cursorClose, cursorOpen, cursorPosition, cursorReadAt, scratch, scratchView } from "./msgpackDecode.js";
import { readMsgpackRpc, releaseMsgpackRpc, rpcRequest } from "./readMsgpackRpc.js";
import { msgpackStrAt, strLength } from "./msgpackStrAt.js";
import { readClientRequest } from "./msgpackClientRequest.js";

/*
 * The server's commonest message, an RPC request, read in one pass over the cursor's scratch copy
 * with the position in a local variable, whatever the layout: fields in any order, optional ones
 * present or absent (`call_id` absent gets a server-made id, as fillPacket gives it), unknown fields
 * (read, then ignored), any header width (map16/map32, str8/16/32 where a shorter one would do:
 * msgpackr's default `pack` writes `de 0006`), any number format for `source` and `timestamp`.
 *
 * A key is told by its length (a jump) and confirmed by one to four word compares of its bytes,
 * written as literals (`0x736f7572` is "sour"); nil, fixint sources, float64 timestamps and strings
 * that are only checked are taken in place; the `rpc` map is readMsgpackRpc.ts'; every other value
 * goes through the general reader (decodeMsgpack's), so it is checked exactly as the general path
 * checks it.
 *
 * It gives undefined, and the caller takes the general path, for a packet that is not an RPC
 * request, for anything the general path might refuse (malformed bytes, a type the schema refuses),
 * and for what it does not read itself: a non-string key, a field given twice, more than the
 * scratch buffer holds (4 KiB). So whatever it accepts, the general path accepts too, with the same
 * request.
 *
 * This library's own client layout is tried first as constant runs (msgpackClientRequest.ts): most of
 * the traffic, and ~1.4x faster read that way than by keys (in process, busy machine: 275 vs 398 ns),
 * since one 40-byte compare there stands for six keys and their values here. It fails at its first
 * word for any other layout.
 */

const NIL = 0xc0;
const FLOAT64 = 0xcb;

/*
 * Packet fields are numbered by bits (for `seen`): source 1, data 2, rpc 4, channel 8, timestamp 16,
 * correlation_id 32; 64 is an unknown field (read, then ignored: the schema ignores it). Written as
 * literals with the name in a comment: a module constant costs a context load and a hole check at
 * each use on this path, and a switch over literals compiles to a jump.
 */

/** The packet field named by the `n` key bytes at `k`; 64 for any other key. */
function packetKey(k: number, n: number): number {
  const v = scratchView;
  switch (n) {
    case 6: return v.getInt32(k) === 0x736f7572 && v.getInt32(k + 2) === 0x75726365 ? 1 /* source */ : 64;
    case 4: return v.getInt32(k) === 0x64617461 ? 2 /* data */ : 64;
    case 3: return v.getInt32(k) >>> 8 === 0x727063 ? 4 /* rpc */ : 64; // the word's last byte is past the key
    case 7: return v.getInt32(k) === 0x6368616e && v.getInt32(k + 3) === 0x6e6e656c ? 8 /* channel */ : 64;
    case 9: return v.getInt32(k) === 0x74696d65 && v.getInt32(k + 4) === 0x7374616d && v.getInt32(k + 5) === 0x74616d70 ? 16 /* timestamp */ : 64;
    case 14:
      return v.getInt32(k) === 0x636f7272 && v.getInt32(k + 4) === 0x656c6174 && v.getInt32(k + 8) === 0x696f6e5f && v.getInt32(k + 10) === 0x6e5f6964
        ? 32 /* correlation_id */
        : 64;
    default: return 64;
  }
}

/** A string or nil at `p` (any str width; a string is only skipped): where it ends, or -1. */
function stringOrNil(p: number, end: number): number {
  if (scratch[p] === NIL) return p + 1;
  const from = msgpackStrAt(p, end);
  return from < 0 ? -1 : from + strLength();
}

/** The request's packet from byte 0 to `end` of the scratch copy; undefined for anything else. */
function readRequest(end: number): RPCRequest | undefined {
  const s = scratch;
  let p: number;
  let n: number;
  const b0 = s[0] as number;
  if (b0 >= 0x80 && b0 < 0x90) (n = b0 & 0x0f), (p = 1);
  else if (b0 === 0xde && end >= 3) (n = scratchView.getUint16(1)), (p = 3);
  else if (b0 === 0xdf && end >= 5) (n = scratchView.getUint32(1)), (p = 5);
  else return undefined;
  let seen = 0;
  for (; n > 0; n--) {
    if (p >= end) return undefined;
    const b = s[p] as number;
    let k: number;
    let len: number;
    if (b >= 0xa0 && b < 0xc0) (len = b & 0x1f), (k = p + 1);
    else if ((k = msgpackStrAt(p, end)) >= 0) len = strLength();
    else return undefined; // a non-string key
    p = k + len;
    if (p >= end) return undefined;
    const field = packetKey(k, len);
    if ((seen & field) !== 0) return undefined; // given twice (an unknown field, 64, may repeat)
    seen |= field & 63;
    const c = s[p] as number;
    switch (field) {
      case 1 /* source */:
        if (c >= 1 && c <= 5) p++;
        else {
          const v = cursorReadAt(p, 1);
          if (v !== 1 && v !== 2 && v !== 3 && v !== 4 && v !== 5) return undefined;
          p = cursorPosition();
        }
        break;
      case 4 /* rpc */:
        if ((p = readMsgpackRpc(p, end)) < 0) return undefined; // nil, a response, or not read here
        break;
      case 8 /* channel */:
      case 32 /* correlation_id */:
        if ((p = stringOrNil(p, end)) < 0) return undefined;
        break;
      case 16 /* timestamp */:
        if (c === NIL) p++;
        else if (c === FLOAT64 && p + 9 <= end) {
          if (!Number.isFinite(scratchView.getFloat64(p + 1))) return undefined;
          p += 9;
        } else {
          const v = cursorReadAt(p, 1);
          if (typeof v !== "number" || !Number.isFinite(v)) return undefined;
          p = cursorPosition();
        }
        break;
      default: // data, or an unknown field
        if (c === NIL) p++;
        else cursorReadAt(p, 1), (p = cursorPosition());
    }
  }
  if (p !== end || (seen & 5) !== 5 /* source and rpc */) return undefined;
  return rpcRequest(serverCallId);
}

/**
 * The request in an RPC request packet, without building the packet: `decode(bytes).rpc` when that
 * is a request (see the top of this file); undefined (never throws) for anything else, which the
 * general path reads.
 */
export function decodePlainRequest(bytes: Uint8Array): RPCRequest | undefined {
  if (!cursorOpen(bytes)) return undefined;
  try {
    return readClientRequest(bytes.length) ?? readRequest(bytes.length);
  } catch {
    return undefined; // malformed values: the general path says exactly why
  } finally {
    cursorClose();
    releaseMsgpackRpc(); // keep no reference to the message's values
  }
}
