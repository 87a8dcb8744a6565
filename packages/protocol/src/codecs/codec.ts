import type { RPCErrorCode } from "../enums.js";
import { fillPacket } from "../fillPacket.js";
import type { Packet, PacketInput, RPCRequest } from "../packet.js";
import type { DecodeResult } from "../validate.js";

/** Raw bytes or text as they come off a WebSocket. */
export type RawMessage = Uint8Array | ArrayBuffer | string;

/** One wire format. Both codecs write the same fields in the same order. */
export interface Codec {
  /** "msgpack" for framework clients, "json" for generic clients. */
  readonly name: "msgpack" | "json";
  /** Encodes a packet; fields are written in declaration order with `type` first inside `rpc`. */
  encode(packet: Packet): Uint8Array;
  /**
   * Encodes any value (no packet envelope).
   * @throws for values the format cannot carry: cycles; in msgpack also symbols and bigints outside [-2^63, 2^64).
   */
  encodeValue(value: unknown): Uint8Array;
  /**
   * Encodes an RPC response (or stream chunk): the same bytes as
   * `encode(createResponse(callId, response, { error, isStream, isEnd }))`, without building the packet.
   * @throws like encodeValue, for a response the format cannot carry.
   */
  encodeResponse(callId: string, response: unknown, error: RPCErrorCode | null, isStream: boolean, isEnd: boolean): Uint8Array;
  /** Decodes and validates. Never throws: bad input gives an UNKNOWN packet. */
  decode(raw: RawMessage): Packet;
  /** Like decode, and says why the input was not a valid packet. */
  decodeDetailed(raw: RawMessage): DecodeResult;
  /**
   * The fast path for the message a server receives most: when `raw` is a valid RPC
   * request packet in a layout this path reads (the usual one, as clients write it),
   * its request (`decode(raw).rpc`), without building the packet; otherwise
   * undefined, and decodeDetailed reads it. Never throws.
   */
  decodeRequest(raw: RawMessage): RPCRequest | undefined;
  /**
   * Decodes any value without packet validation.
   * @throws on malformed input, nesting deeper than MAX_DEPTH, or (msgpack) extension types other than the timestamp.
   */
  decodeValue(raw: RawMessage): unknown;
}

/** Leaves a request's missing `call_id` absent. */
const noId = (() => undefined) as unknown as () => string;

/** Writes a packet's fields in declaration order, as Python's msgspec does. */
export function orderedPacket(packet: Packet): Record<string, unknown> {
  // fillPacket's defaults are the encoder's: one copy of the field list in the bundle.
  return fillPacket(packet as PacketInput, noId) as unknown as Record<string, unknown>;
}

/** Views any raw message as bytes without copying. */
export function toBytes(raw: Uint8Array | ArrayBuffer): Uint8Array {
  return raw instanceof Uint8Array ? raw : new Uint8Array(raw);
}
