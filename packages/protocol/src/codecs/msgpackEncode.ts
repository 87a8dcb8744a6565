import { PacketSource, type RPCErrorCode } from "../enums.js";
import { createResponse, nowTimestamp, type Packet } from "../packet.js";
import { orderedPacket } from "./codec.js";
import { copyBytes, viewBytes } from "./copyBytes.js";
import { byteAt, patternFrom, patternOf, wordsAt, type BytePattern } from "./msgpackBytes.js";
import { packMsgpack } from "./packMsgpack.js";
import { writeUtf8 } from "./utf8.js";

/*
 * A msgpack writer for the values packets carry most (null, booleans, numbers,
 * strings, bigints, bytes, arrays, plain objects) and for the packet envelope,
 * writing the bytes msgpackr writes with MSGPACK_OPTIONS except for integers: an
 * integer with |n| <= 2^53 - 1 takes the smallest int format (uint64/int64 beyond
 * 32 bits, as msgspec and Python's msgpack write it; msgpackr writes a float64), and
 * -0 stays a float64. Anything else (Date, Map, class instances, ...) is handed to
 * packMsgpack, which writes numbers the same way. Like msgpackr, it writes into a shared slab and returns views of it:
 * allocating a small ArrayBuffer per message costs more than the encoding.
 */

const SLAB = 64 * 1024;
// `var`, not `let`: V8 checks a module-level `let` for its temporal dead zone on every
// access from a function; on these hot paths that measured ~15% of the decode time.
var buf = new Uint8Array(SLAB);
/** `buf.length`, kept as a plain number: ensure() runs several times per message (see BytePattern). */
var cap = SLAB;
var view = new DataView(buf.buffer);
/** Where the message being written starts in `buf`. */
var start = 0;
var pos = 0;
var busy = false;

/** Values nested deeper than this are left to packMsgpack (which throws RangeError on a cycle). */
const MAX_NESTING = 500;
const INT64_MIN = -(2n ** 63n);
const INT64_END = 2n ** 63n;
const UINT64_END = 2n ** 64n;

/** Makes room for `n` more bytes: a new slab, holding the message written so far, when this one is full. */
function ensure(n: number): void {
  if (pos + n <= cap) return;
  const written = pos - start;
  let size = SLAB;
  while (size < 2 * (written + n)) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(start, pos));
  buf = next;
  cap = size;
  view = new DataView(next.buffer);
  start = 0;
  pos = written;
}

function writeBytes(bytes: Uint8Array): void {
  const n = bytes.length;
  ensure(n);
  copyBytes(buf, bytes, pos);
  pos += n;
}

function writeNumber(n: number): void {
  ensure(9);
  if (n >>> 0 === n) {
    if (n < 0x80) {
      if (n === 0 && 1 / n < 0) return writeFloat(n); // -0 stays a float, so it round-trips
      buf[pos++] = n;
    } else if (n < 0x100) (buf[pos++] = 0xcc), (buf[pos++] = n);
    else if (n < 0x10000) (buf[pos++] = 0xcd), view.setUint16(pos, n), (pos += 2);
    else (buf[pos++] = 0xce), view.setUint32(pos, n), (pos += 4);
  } else if (n >> 0 === n) {
    if (n >= -0x20) buf[pos++] = n & 0xff;
    else if (n >= -0x80) (buf[pos++] = 0xd0), (buf[pos++] = n & 0xff);
    else if (n >= -0x8000) (buf[pos++] = 0xd1), view.setInt16(pos, n), (pos += 2);
    else (buf[pos++] = 0xd2), view.setInt32(pos, n), (pos += 4);
  } else if (Number.isSafeInteger(n)) {
    // Beyond 32 bits: uint64 or int64, as msgspec and Python's msgpack write it (two's complement halves).
    buf[pos++] = n > 0 ? 0xcf : 0xd3;
    view.setUint32(pos, Math.floor(n / 0x100000000) >>> 0);
    view.setUint32(pos + 4, n >>> 0);
    pos += 8;
  } else writeFloat(n);
}

function writeFloat(n: number): void {
  buf[pos++] = 0xcb;
  view.setFloat64(pos, n);
  pos += 8;
}

function writeString(s: string): void {
  const len = s.length;
  ensure(5 + 3 * len);
  // Reserve the header the longest possible encoding needs; move the bytes if a shorter one fits.
  const max = 3 * len;
  const reserved = max < 0x20 ? 1 : max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
  const start = pos;
  const end = writeUtf8(s, buf, start + reserved);
  const size = end - start - reserved;
  const header = size < 0x20 ? 1 : size < 0x100 ? 2 : size < 0x10000 ? 3 : 5;
  if (header !== reserved) buf.copyWithin(start + header, start + reserved, end);
  if (header === 1) buf[start] = 0xa0 | size;
  else if (header === 2) (buf[start] = 0xd9), (buf[start + 1] = size);
  else if (header === 3) (buf[start] = 0xda), view.setUint16(start + 1, size);
  else (buf[start] = 0xdb), view.setUint32(start + 1, size);
  pos = start + header + size;
}

function writeHeader(n: number, fix: number, b16: number): void {
  ensure(5);
  if (n < 0x10) buf[pos++] = fix | n;
  else if (n < 0x10000) (buf[pos++] = b16), view.setUint16(pos, n), (pos += 2);
  else (buf[pos++] = b16 + 1), view.setUint32(pos, n), (pos += 4);
}

/**
 * Hands a value to packMsgpack (msgpackr's bytes for Date, Map, Set, class instances, ..., with this
 * file's integers and lone surrogates as U+FFFD); a bigint it cannot carry throws msgpackr's RangeError.
 */
function writeFallback(value: unknown): void {
  writeBytes(packMsgpack(value));
}

function writeValue(value: unknown, depth: number): void {
  switch (typeof value) {
    case "string":
      return writeString(value);
    case "number":
      return writeNumber(value);
    case "boolean":
      ensure(1);
      buf[pos++] = value ? 0xc3 : 0xc2;
      return;
    case "undefined":
      ensure(1);
      buf[pos++] = 0xc0;
      return;
    case "bigint":
      if (value < INT64_MIN || value >= UINT64_END) return writeFallback(value); // msgpackr throws its RangeError
      ensure(9);
      buf[pos++] = value < INT64_END ? 0xd3 : 0xcf;
      if (value < INT64_END) view.setBigInt64(pos, value);
      else view.setBigUint64(pos, value);
      pos += 8;
      return;
    case "object":
      return writeObject(value, depth);
    default:
      return writeFallback(value);
  }
}

function writeObject(value: object | null, depth: number): void {
  if (value === null) {
    ensure(1);
    buf[pos++] = 0xc0;
    return;
  }
  if (depth > MAX_NESTING) return writeFallback(value);
  if (Array.isArray(value)) {
    const n = value.length;
    writeHeader(n, 0x90, 0xdc);
    for (let i = 0; i < n; i++) writeValue(value[i], depth + 1);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    const keys = Object.keys(value);
    const n = keys.length;
    writeHeader(n, 0x80, 0xde);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as string;
      writeString(key);
      writeValue((value as Record<string, unknown>)[key], depth + 1);
    }
    return;
  }
  if (proto === Uint8Array.prototype) {
    const bytes = value as Uint8Array;
    const n = bytes.length;
    ensure(5 + n);
    if (n < 0x100) (buf[pos++] = 0xc4), (buf[pos++] = n);
    else if (n < 0x10000) (buf[pos++] = 0xc5), view.setUint16(pos, n), (pos += 2);
    else (buf[pos++] = 0xc6), view.setUint32(pos, n), (pos += 4);
    copyBytes(buf, bytes, pos);
    pos += n;
    return;
  }
  writeFallback(value);
}

/** Runs a write into the scratch buffer and returns a copy of what it wrote. */
function run<T>(write: (value: T) => void, value: T): Uint8Array {
  busy = true;
  start = pos;
  try {
    write(value);
    return viewBytes(buf, start, pos);
  } catch (err) {
    pos = start;
    throw err;
  } finally {
    busy = false;
    // A slab grown for one huge message stays with that message; the next starts a fresh one.
    if (cap > SLAB) (buf = new Uint8Array(SLAB)), (cap = SLAB), (view = new DataView(buf.buffer)), (pos = 0);
  }
}

/** Encodes one value as msgpack (see the top of this file). */
export function encodeMsgpackValue(value: unknown): Uint8Array {
  if (busy) return fallbackValue(value); // re-entered from a getter: do not share the scratch buffer
  return run(writeValue0, value);
}

function writeValue0(value: unknown): void {
  writeValue(value, 0);
}

function fallbackValue(value: unknown): Uint8Array {
  return packMsgpack(value);
}

/** Copies a constant run: TypedArray#set (a memcpy) beyond 8 bytes, a byte loop below. */
function writeConst(k: BytePattern): void {
  const n = k.n;
  ensure(n);
  if (n > 8) {
    copyBytes(buf, k.bytes, pos);
    pos += n;
    return;
  }
  const target = buf;
  const bytes = k.bytes;
  const at = pos;
  for (let i = 0; i < n; i++) target[at + i] = bytes[i] as number;
  pos = at + n;
}

const NIL = 0xc0;
const FALSE = 0xc2;
const TRUE = 0xc3;
/** Constant runs of the envelope, written with one copy each. */
const K = {
  /** `{ "source": n, "data":` for the sources 0..15 (fixint). */
  head: Array.from({ length: 16 }, (_, source) => patternOf(0x86, "source", source, "data")),
  source: patternOf(0x86, "source"),
  data: patternOf("data"),
  rpcNull: patternOf("rpc", NIL, "channel"),
  request: patternOf("rpc", 0x85, "type", "request", "method"),
  args: patternOf("args"),
  kwargs: patternOf("kwargs"),
  callId: patternOf("call_id"),
  response: patternOf("rpc", 0x86, "type", "response", "call_id"),
  result: patternOf("response"),
  error: patternOf("error"),
  /** `"is_stream": b, "is_end": b, "channel":`, indexed by is_stream * 2 + is_end. */
  flags: [FALSE, TRUE].flatMap((s) => [FALSE, TRUE].map((e) => patternOf("is_stream", s, "is_end", e, "channel"))),
  /** `"error": nil, "is_stream": b, "is_end": b, "channel": nil, "timestamp":`: the usual end of a response. */
  okTail: [FALSE, TRUE].flatMap((s) => [FALSE, TRUE].map((e) => patternOf("error", NIL, "is_stream", s, "is_end", e, "channel", NIL, "timestamp"))),
  /** `"correlation_id": nil}`. */
  noCorrelation: patternOf("correlation_id", NIL),
  isStream: patternOf("is_stream"),
  isEnd: patternOf("is_end"),
  channel: patternOf("channel"),
  timestamp: patternOf("timestamp"),
  correlationId: patternOf("correlation_id"),
  position: patternOf("position", 0x92),
};

/** Shorter than this, a value is written again rather than copied (not worth the copy). */
const COPY_FROM = 16;

function writePacket(packet: Packet): void {
  const source = packet.source;
  if (typeof source === "number" && source >>> 0 === source && source < 16) writeConst(K.head[source] as BytePattern);
  else writeConst(K.source), writeValue(source, 0), writeConst(K.data);
  const data = packet.data ?? null;
  const dataStart = pos - start; // offsets from `start`: a new slab moves the message
  writeValue(data, 0);
  const dataSize = pos - start - dataStart;
  const rpc = packet.rpc;
  if (rpc === null || rpc === undefined) {
    writeConst(K.rpcNull);
  } else if (rpc.type === "request") {
    writeConst(K.request);
    writeValue(rpc.method, 0);
    writeConst(K.args);
    writeValue(rpc.args ?? [], 0);
    writeConst(K.kwargs);
    writeValue(rpc.kwargs ?? {}, 0);
    writeConst(K.callId);
    writeValue(rpc.call_id, 0);
    writeConst(K.channel);
  } else {
    writeConst(K.response);
    writeValue(rpc.call_id, 0);
    writeConst(K.result);
    const response = rpc.response ?? null;
    if (response === data && dataSize >= COPY_FROM) {
      // The result mirrored in `data`: copy its bytes instead of encoding it twice.
      ensure(dataSize);
      buf.copyWithin(pos, start + dataStart, start + dataStart + dataSize);
      pos += dataSize;
    } else writeValue(response, 0);
    const error = rpc.error ?? null;
    const isStream = rpc.is_stream ?? false;
    const isEnd = rpc.is_end ?? false;
    const flags = typeof isStream === "boolean" && typeof isEnd === "boolean" ? (isStream ? 2 : 0) + (isEnd ? 1 : 0) : -1;
    if (error === null && flags >= 0 && (packet.channel ?? null) === null) {
      writeConst(K.okTail[flags] as BytePattern); // one copy up to "timestamp"
      return writeEnd(packet);
    }
    writeConst(K.error);
    writeValue(error, 0);
    if (flags >= 0) writeConst(K.flags[flags] as BytePattern);
    else writeConst(K.isStream), writeValue(isStream, 0), writeConst(K.isEnd), writeValue(isEnd, 0), writeConst(K.channel);
  }
  writeValue(packet.channel ?? null, 0);
  writeConst(K.timestamp);
  writeEnd(packet);
}

/** The timestamp's value, the correlation id and the optional position. */
function writeEnd(packet: Packet): void {
  writeValue(packet.timestamp ?? null, 0);
  const correlation = packet.correlation_id ?? null;
  if (correlation === null) writeConst(K.noCorrelation);
  else writeConst(K.correlationId), writeValue(correlation, 0);
  const position = packet.position;
  if (position === undefined) return;
  buf[start] = 0x87; // a seventh field: the map header the head patterns wrote said six
  writeConst(K.position);
  writeValue(position[0], 0);
  writeValue(position[1], 0);
}

/**
 * Encodes a packet: fields in declaration order (`type` first inside `rpc`), the
 * same bytes as encodeMsgpackValue writes for `orderedPacket(packet)`; a result also put
 * in `data` (packets from before responses left `data` null) is encoded once and copied.
 */
export function encodeMsgpackPacket(packet: Packet): Uint8Array {
  // A request with the optional traceparent is written by the general encoder (the layout below has no room for it).
  if (busy || (packet.rpc as { traceparent?: unknown } | null)?.traceparent !== undefined) return fallbackValue(orderedPacket(packet));
  return run(writePacket, packet);
}

/** Writes an RPC response (see encodeMsgpackResponse); the arguments besides the call id travel in module state, like the slab. */
var rValue: unknown = null;
var rError: RPCErrorCode | null = null;
var rFlags = 0;

/*
 * The constant runs every response starts with, as constant words written unrolled: cheaper than a
 * TypedArray#set call each (apps/bench 64×16, paired). `data` is nil: the result goes once, in `rpc.response`.
 */
const HEAD_RPC = K.head[PacketSource.RPC] as BytePattern; // 14 bytes: 3 words + 2 bytes
const [HR0, HR1, HR2] = wordsAt(HEAD_RPC, 3) as [number, number, number];
const HR3 = (byteAt(HEAD_RPC, 12) << 8) | byteAt(HEAD_RPC, 13);
const [RS0, RS1, RS2, RS3, RS4, RS5] = wordsAt(K.response, 6) as [number, number, number, number, number, number];
const RS6 = (byteAt(K.response, 24) << 8) | byteAt(K.response, 25); // 27 bytes: 6 words + 3 bytes
const RS7 = byteAt(K.response, 26);
const [RT0, RT1] = wordsAt(K.result, 2) as [number, number]; // 9 bytes: 2 words + 1 byte
const RT2 = byteAt(K.result, 8);

function writeResponse(callId: string): void {
  ensure(42);
  const v = view;
  const p = pos;
  v.setInt32(p, HR0), v.setInt32(p + 4, HR1), v.setInt32(p + 8, HR2), v.setUint16(p + 12, HR3);
  buf[p + 14] = NIL;
  v.setInt32(p + 15, RS0), v.setInt32(p + 19, RS1), v.setInt32(p + 23, RS2), v.setInt32(p + 27, RS3), v.setInt32(p + 31, RS4), v.setInt32(p + 35, RS5);
  v.setUint16(p + 39, RS6), v.setUint8(p + 41, RS7);
  pos = p + 42;
  writeValue(callId, 0);
  ensure(9);
  const w = view;
  const q = pos;
  w.setInt32(q, RT0), w.setInt32(q + 4, RT1), w.setUint8(q + 8, RT2);
  pos = q + 9;
  writeValue(rValue, 0);
  if (rError !== null) {
    writeConst(K.error), writeValue(rError, 0), writeConst(K.flags[rFlags] as BytePattern), writeValue(null, 0), writeConst(K.timestamp);
    writeNumber(nowTimestamp());
    return writeConst(K.noCorrelation);
  }
  // The tail after a successful result only changes with the flags and the timestamp (one per event-loop turn while
  // the server holds the clock): written once, then copied whole.
  const timestamp = nowTimestamp();
  const tail = okTails[rFlags] as OkTail;
  if (tail.timestamp === timestamp) return writeConst(tail.bytes);
  const from = pos - start;
  writeConst(K.okTail[rFlags] as BytePattern);
  writeNumber(timestamp);
  writeConst(K.noCorrelation);
  tail.timestamp = timestamp;
  tail.bytes = patternFrom(buf.slice(start + from, pos));
}

/** The last tail written for each flags value: `"error": nil, …, "timestamp": t, "correlation_id": nil}`. */
interface OkTail {
  timestamp: number;
  bytes: BytePattern;
}
const okTails: OkTail[] = [0, 1, 2, 3].map(() => ({ timestamp: Number.NaN, bytes: patternFrom(new Uint8Array(0)) }));

/**
 * An RPC response (or stream chunk): the bytes of
 * `encodeMsgpackPacket(createResponse(callId, response, { error, isStream, isEnd }))`,
 * written without building the packet.
 */
export function encodeMsgpackResponse(callId: string, response: unknown, error: RPCErrorCode | null, isStream: boolean, isEnd: boolean): Uint8Array {
  if (busy) return encodeMsgpackPacket(createResponse(callId, response, { error, isStream, isEnd }));
  rValue = response ?? null;
  rError = error;
  rFlags = (isStream ? 2 : 0) + (isEnd ? 1 : 0);
  try {
    return run(writeResponse, callId);
  } finally {
    rValue = null; // keep no reference to the result
  }
}
