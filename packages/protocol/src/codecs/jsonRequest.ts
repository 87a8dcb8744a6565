import { PacketSource } from "../enums.js";
import type { RPCRequest } from "../packet.js";
import { NOT_FAST, jsonGiveUp, jsonLiteral, jsonPattern, jsonValue, readJsonBytes } from "./jsonBytes.js";
import { decodeJsonPacket, readUsualRequestFields } from "./jsonPacketBytes.js";

/*
 * The JSON codec's request fast path (Codec.decodeRequest): a plain RPC request
 * packet as this library's clients write it — source RPC, no data, no channel, no
 * correlation id, compact, fields in declaration order — read as three long
 * constant runs around the request's values. Requests written otherwise go
 * through decodeJsonPacket (any order and spacing); other packets are left to
 * the caller, told apart by their first 12 bytes.
 */

/** `{"source":5,`: how every request packet this path reads starts. */
const SOURCE_RPC = new TextEncoder().encode(`{"source":${PacketSource.RPC},`);
const PLAIN_REQUEST = jsonPattern(`{"source":${PacketSource.RPC},"data":null,"rpc":{"type":"request","method":`);
const PLAIN_TAIL = jsonPattern(`},"channel":null,"timestamp":`);
const NO_CORRELATION = jsonPattern(`,"correlation_id":null}`);

function readPlainRequest(): RPCRequest {
  jsonLiteral(PLAIN_REQUEST);
  const request = readUsualRequestFields();
  jsonLiteral(PLAIN_TAIL);
  const timestamp = jsonValue(1);
  if (timestamp !== null && typeof timestamp !== "number") jsonGiveUp();
  jsonLiteral(NO_CORRELATION);
  return request;
}

/**
 * The request in an RPC request packet written as plain JSON (see
 * Codec.decodeRequest); undefined (never throws) for anything else, which the
 * caller decodes in full.
 */
export function decodeJsonRequest(bytes: Uint8Array): RPCRequest | undefined {
  if (bytes.length < 12 || bytes[10] !== SOURCE_RPC[10] || bytes[11] !== SOURCE_RPC[11]) return undefined;
  for (let i = 0; i < 10; i++) if (bytes[i] !== SOURCE_RPC[i]) return undefined;
  const plain = readJsonBytes(bytes, readPlainRequest);
  if (plain !== NOT_FAST) return plain;
  const rpc = decodeJsonPacket(bytes)?.rpc;
  return rpc?.type === "request" ? rpc : undefined;
}
