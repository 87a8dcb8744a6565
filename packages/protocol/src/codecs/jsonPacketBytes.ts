import type { BytePattern } from "./msgpackBytes.js";
import { PacketSource, type RPCErrorCode } from "../enums.js";
import { randomId } from "../ids.js";
import { isRPCErrorCode } from "../errorTable.js";
import type { Packet, RPCRequest, RPCResponse } from "../packet.js";
import { NOT_FAST, jsonExpect, jsonGiveUp, jsonKey, jsonKeys, jsonLiteral, jsonMatch, jsonNull, jsonPattern, jsonPeek, jsonString, jsonValue, readJsonBytes } from "./jsonBytes.js";

/*
 * The JSON codec's packet fast path: reads the envelope's fields by name, in any
 * order and with any whitespace, into one Packet, without building the
 * intermediate object the schema would check. It accepts what clients send —
 * source, data, rpc (null, a request or a response), channel, timestamp,
 * correlation_id, each at most once, with the schema's types — and gives up on
 * everything else (unknown or repeated fields, a type the schema would refuse,
 * whatever jsonBytes.ts gives up on), for the general path to decide. It builds
 * the same Packet as `toPacket(parse(text))`, defaults included.
 */

const PACKET_KEYS = jsonKeys(["source", "data", "rpc", "channel", "timestamp", "correlation_id", "position"]);
const RPC_KEYS = jsonKeys(["type", "method", "args", "kwargs", "call_id", "response", "error", "is_stream", "is_end"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `{ ... }` with each key read by `field(index)`; a key seen twice gives up. */
function fields(names: readonly BytePattern[], field: (index: number) => void): void {
  jsonExpect(0x7b);
  if (jsonPeek() === 0x7d) return jsonExpect(0x7d);
  let seen = 0;
  for (;;) {
    jsonExpect(0x22);
    const k = jsonKey(names);
    if (seen & (1 << k)) jsonGiveUp();
    seen |= 1 << k;
    jsonExpect(0x3a);
    field(k);
    const c = jsonPeek();
    jsonExpect(c === 0x2c ? 0x2c : 0x7d);
    if (c !== 0x2c) return;
  }
}

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see msgpackDecode.ts).
var type: string | undefined;
var method: string | undefined;
var args: unknown[] | undefined;
var kwargs: Record<string, unknown> | undefined;
var callId: string | undefined;
var result: unknown;
var error: unknown;
var isStream: unknown;
var isEnd: unknown;
/** Bit k set: RPC_KEYS[k] was present. */
var rpcSeen = 0;
/** The keys only a request (args, kwargs, method) or only a response (response, error, is_stream, is_end) has. */
const REQUEST_ONLY = (1 << 1) | (1 << 2) | (1 << 3);
const RESPONSE_ONLY = (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8);

function rpcField(k: number): void {
  rpcSeen |= 1 << k;
  switch (k) {
    case 0: type = jsonString(false); break;
    case 1: method = jsonString(true); break;
    case 2: {
      const v = jsonValue(2);
      if (!Array.isArray(v)) jsonGiveUp();
      args = v;
      break;
    }
    case 3: {
      const v = jsonValue(2);
      if (!isObject(v)) jsonGiveUp();
      kwargs = v;
      break;
    }
    case 4: callId = jsonString(false); break;
    case 5: result = jsonValue(2); break;
    case 6: error = jsonValue(2); break;
    case 7: isStream = jsonValue(2); break;
    default: isEnd = jsonValue(2);
  }
}

/** The `rpc` object: a request, or a response (what clients receive); keys of the other kind give up. */
function readRpc(): RPCRequest | RPCResponse {
  type = method = args = kwargs = callId = result = error = isStream = isEnd = undefined;
  rpcSeen = 0;
  fields(RPC_KEYS, rpcField);
  if (type === "request" && (rpcSeen & RESPONSE_ONLY) === 0 && method !== undefined) {
    return { type: "request", method, args: args ?? [], kwargs: kwargs ?? {}, call_id: callId ?? randomId() };
  }
  if (type !== "response" || (rpcSeen & REQUEST_ONLY) !== 0 || callId === undefined) return jsonGiveUp();
  if (error !== undefined && error !== null && !isRPCErrorCode(error)) jsonGiveUp();
  if ((isStream !== undefined && typeof isStream !== "boolean") || (isEnd !== undefined && typeof isEnd !== "boolean")) jsonGiveUp();
  const response: RPCResponse = { type: "response", call_id: callId, response: result ?? null, error: (error as RPCErrorCode | undefined) ?? null, is_stream: isStream ?? false, is_end: isEnd ?? false };
  result = undefined; // keep no reference to the message's values
  return response;
}

var source: unknown;
var data: unknown;
var rpc: RPCRequest | RPCResponse | null;
var channel: string | null;
var timestamp: number | null;
var correlationId: string | null;
var position: [string, number] | undefined;

/** `[epoch, offset]` (an offset a non-negative integer), or gives up. */
function readPosition(): [string, number] {
  const v = jsonValue(1);
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "string" || !(Number.isSafeInteger(v[1]) && (v[1] as number) >= 0)) jsonGiveUp();
  return v as [string, number];
}

function packetField(k: number): void {
  switch (k) {
    case 0: source = jsonValue(1); break;
    case 1: data = jsonValue(1); break;
    case 2: rpc = jsonNull() ? null : readRpc(); break;
    case 3: channel = jsonNull() ? null : jsonString(false); break;
    case 4: {
      const v = jsonValue(1);
      if (v !== null && typeof v !== "number") jsonGiveUp();
      timestamp = v;
      break;
    }
    case 5: correlationId = jsonNull() ? null : jsonString(false); break;
    default: position = readPosition();
  }
}

function readPacket(): Packet {
  source = undefined;
  data = rpc = channel = timestamp = correlationId = null;
  position = undefined;
  fields(PACKET_KEYS, packetField);
  if (typeof source !== "number" || !Number.isInteger(source) || source < PacketSource.BROADCAST || source > PacketSource.RPC) jsonGiveUp();
  const packet: Packet = { source, data, rpc, channel, timestamp, correlation_id: correlationId };
  if (position !== undefined) packet.position = position;
  data = null; // keep no reference to the message's values
  return packet;
}

/*
 * Quicker still: the layout this library and JSON.stringify of a packet in
 * declaration order write (every field, in order, no whitespace), read as
 * constant runs of bytes between the values.
 */
const C = {
  source: jsonPattern(`{"source":`),
  data: jsonPattern(`,"data":`),
  rpc: jsonPattern(`,"rpc":`),
  request: jsonPattern(`{"type":"request","method":`),
  args: jsonPattern(`,"args":`),
  kwargs: jsonPattern(`,"kwargs":`),
  callId: jsonPattern(`,"call_id":`),
  response: jsonPattern(`{"type":"response","call_id":`),
  result: jsonPattern(`,"response":`),
  error: jsonPattern(`,"error":`),
  isStream: jsonPattern(`,"is_stream":`),
  isEnd: jsonPattern(`,"is_end":`),
  channel: jsonPattern(`,"channel":`),
  timestamp: jsonPattern(`,"timestamp":`),
  correlationId: jsonPattern(`,"correlation_id":`),
  position: jsonPattern(`,"position":`),
  close: jsonPattern("}"),
};

/** A boolean value, or gives up. */
function flag(): boolean {
  const v = jsonValue(2);
  return typeof v === "boolean" ? v : jsonGiveUp();
}

/** A response in declaration order (what clients receive from this library). */
function readUsualResponse(): RPCResponse {
  jsonLiteral(C.response);
  const id = jsonString(false);
  jsonLiteral(C.result);
  const value = jsonValue(2);
  jsonLiteral(C.error);
  const code = jsonValue(2);
  if (code !== null && !isRPCErrorCode(code)) jsonGiveUp();
  jsonLiteral(C.isStream);
  const stream = flag();
  jsonLiteral(C.isEnd);
  const last = flag();
  jsonLiteral(C.close);
  return { type: "response", call_id: id, response: value, error: code as RPCErrorCode | null, is_stream: stream, is_end: last };
}

/** A request's values in the usual layout, from the method name (after `"method":`) to the call id; the closing brace is the caller's. */
export function readUsualRequestFields(): RPCRequest {
  const name = jsonString(true);
  jsonLiteral(C.args);
  const list = jsonValue(2);
  if (!Array.isArray(list)) jsonGiveUp();
  jsonLiteral(C.kwargs);
  const named = jsonValue(2);
  if (!isObject(named)) jsonGiveUp();
  jsonLiteral(C.callId);
  const id = jsonString(false);
  return { type: "request", method: name, args: list, kwargs: named, call_id: id };
}

function readUsualRpc(): RPCRequest | RPCResponse {
  if (!jsonMatch(C.request)) return readUsualResponse();
  const request = readUsualRequestFields();
  jsonLiteral(C.close);
  return request;
}

function readUsualPacket(): Packet {
  jsonLiteral(C.source);
  const from = jsonValue(1);
  if (typeof from !== "number" || !Number.isInteger(from) || from < PacketSource.BROADCAST || from > PacketSource.RPC) jsonGiveUp();
  jsonLiteral(C.data);
  const payload = jsonValue(1);
  jsonLiteral(C.rpc);
  const call = jsonNull() ? null : readUsualRpc();
  jsonLiteral(C.channel);
  const ch = jsonNull() ? null : jsonString(false);
  jsonLiteral(C.timestamp);
  const ts = jsonValue(1);
  if (ts !== null && typeof ts !== "number") jsonGiveUp();
  jsonLiteral(C.correlationId);
  const correlation = jsonNull() ? null : jsonString(false);
  const packet: Packet = { source: from, data: payload, rpc: call, channel: ch, timestamp: ts, correlation_id: correlation };
  if (jsonMatch(C.position)) packet.position = readPosition();
  jsonLiteral(C.close);
  return packet;
}

/** Decodes a packet written as plain JSON with the usual fields, or returns undefined (never throws) for the general path. */
export function decodeJsonPacket(bytes: Uint8Array): Packet | undefined {
  let packet = readJsonBytes(bytes, readUsualPacket);
  if (packet === NOT_FAST) packet = readJsonBytes(bytes, readPacket);
  return packet === NOT_FAST ? undefined : packet;
}
