import type { RPCErrorCode } from "../enums.js";
import { nowTimestamp } from "../packet.js";
import { copyBytes } from "./copyBytes.js";
import { FLAGS, text, timestampText } from "./jsonPacket.js";
import { SLAB_SIZE, slabBytes, slabCommit, slabReserve, writeUtf8 } from "./utf8.js";

/*
 * JSON RPC responses written as bytes in one pass: the envelope's constant runs
 * are copied, the call id, result, error and timestamp written between them
 * (the result once, in `rpc.response`; `data` is null). The
 * bytes are those of `encodeUtf8(stringifyPacket(createResponse(...)))`; this
 * only skips building the packet, the text and the rope in between.
 */

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const HEAD = utf8(`{"source":5,"data":null,"rpc":{"type":"response","call_id":`);
const RESPONSE = utf8(`,"response":`);
const ERROR = utf8(`,"error":`);
/** `,"is_stream":b,"is_end":b},"channel":null,"timestamp":` by is_stream * 2 + is_end. */
const TAIL = FLAGS.map((flags) => utf8(`,${flags}null,"timestamp":`));
/** `,"error":null` and TAIL in one run: the usual case. */
const OK_TAIL = FLAGS.map((flags) => utf8(`,"error":null,${flags}null,"timestamp":`));
const END = utf8(`,"correlation_id":null}`);
/** Constant bytes in every response, at most. */
const FIXED = HEAD.length + RESPONSE.length + ERROR.length + Math.max(...TAIL.map((t) => t.length)) + END.length;

/** Copies `bytes` to `pos`: a byte loop for short runs, TypedArray#set (a memcpy) for long ones. */
function put(target: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n > 16) copyBytes(target, bytes, pos);
  else for (let i = 0; i < n; i++) target[pos + i] = bytes[i] as number;
  return pos + n;
}

/** Strings up to this long, of printable ASCII other than `"` and `\\`, are written as they are. */
const PLAIN_MAX = 64;
/** Bytes a plain value takes at most: a quoted plain string (an int32 or literal is shorter). */
const PLAIN_BYTES = PLAIN_MAX + 2;

function isPlainString(s: string): boolean {
  if (s.length > PLAIN_MAX) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Values written without making their JSON text first: null, booleans, int32s (not -0), plain strings. */
function isPlain(v: unknown): boolean {
  if (v === null || v === undefined || typeof v === "boolean") return true;
  if (typeof v === "number") return (v | 0) === v && !Object.is(v, -0);
  return typeof v === "string" && isPlainString(v);
}

const NULL = utf8("null");
const TRUE = utf8("true");
const FALSE = utf8("false");

/** Writes a plain value (see isPlain) at `pos`; returns the position after it. */
function writePlain(out: Uint8Array, pos: number, v: unknown): number {
  if (v === null || v === undefined) return put(out, pos, NULL);
  if (typeof v === "boolean") return put(out, pos, v ? TRUE : FALSE);
  if (typeof v === "number") {
    let n = v;
    if (n < 0) (out[pos++] = 0x2d), (n = -n); // -2^31 stays exact as a double
    const from = pos;
    do (out[pos++] = 0x30 + (n % 10)), (n = Math.floor(n / 10));
    while (n > 0);
    for (let i = from, j = pos - 1; i < j; i++, j--) {
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return pos;
  }
  const s = v as string;
  out[pos++] = 0x22;
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  out[pos++] = 0x22;
  return pos;
}

/**
 * A JSON RPC response (or stream chunk) as UTF-8 bytes: a view of a shared slab,
 * valid until the next encode.
 * @throws like stringify, for a response JSON cannot carry.
 */
export function encodeJsonResponse(callId: string, response: unknown, error: RPCErrorCode | null, isStream: boolean, isEnd: boolean): Uint8Array {
  const plainValue = isPlain(response);
  const plainId = isPlainString(callId);
  // Texts may run user code (toJSON): all made before the slab is reserved.
  const valueText = plainValue ? "" : text(response);
  const idText = plainId ? "" : text(callId);
  const errorText = error === null ? "null" : text(error);
  const ts = nowTimestamp();
  const tsText = timestampText(ts);
  const flags = (isStream ? 2 : 0) + (isEnd ? 1 : 0);
  const max = FIXED + 2 * PLAIN_BYTES + 3 * (valueText.length + idText.length + errorText.length + tsText.length);
  if (max > SLAB_SIZE) {
    const v = plainValue ? text(response ?? null) : valueText;
    const id = plainId ? text(callId) : idText;
    const big = `{"source":5,"data":null,"rpc":{"type":"response","call_id":${id},"response":${v},"error":${errorText},${FLAGS[flags] as string}null,"timestamp":${tsText},"correlation_id":null}`;
    return new TextEncoder().encode(big);
  }
  const start = slabReserve(max);
  const out = slabBytes();
  let pos = put(out, start, HEAD);
  pos = plainId ? writePlain(out, pos, callId) : writeUtf8(idText, out, pos);
  pos = put(out, pos, RESPONSE);
  pos = plainValue ? writePlain(out, pos, response) : writeUtf8(valueText, out, pos);
  if (error === null) {
    pos = put(out, pos, okTail(flags, ts, tsText));
  } else {
    (pos = put(out, pos, ERROR)), (pos = writeUtf8(errorText, out, pos)), (pos = put(out, pos, TAIL[flags] as Uint8Array));
    pos = writeUtf8(tsText, out, pos);
    pos = put(out, pos, END);
  }
  return slabCommit(start, pos);
}

/** The last tail after a successful result, by flags: OK_TAIL, the timestamp and END (see msgpackEncode.ts). */
const okTails = FLAGS.map(() => ({ timestamp: Number.NaN, bytes: new Uint8Array(0) }));

/** OK_TAIL[flags], the timestamp and END as one run: made again only when the held clock moves. */
function okTail(flags: number, timestamp: number, tsText: string): Uint8Array {
  const tail = okTails[flags] as { timestamp: number; bytes: Uint8Array };
  if (tail.timestamp !== timestamp) {
    const okTail = OK_TAIL[flags] as Uint8Array;
    const bytes = new Uint8Array(okTail.length + tsText.length + END.length);
    bytes.set(okTail);
    bytes.set(END, writeUtf8(tsText, bytes, okTail.length));
    tail.timestamp = timestamp;
    tail.bytes = bytes;
  }
  return tail.bytes;
}
