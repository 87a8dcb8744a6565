import type { Packet } from "../packet.js";
import type { RawMessage } from "./codec.js";

/**
 * A client's side of one wire format: encode what it sends, decode and validate what it
 * receives. Small on purpose (no schema compiler, no msgpackr): see jsonWire and msgpackWire.
 * Servers use the full Codec.
 */
export interface WireCodec {
  /** "msgpack" for framework clients, "json" for generic ones. */
  readonly name: "msgpack" | "json";
  /** Encodes a packet as a frame: text for JSON, bytes for msgpack. Fields in declaration order. */
  encode(packet: Packet): string | Uint8Array;
  /** Decodes and validates a frame. Never throws: bad input gives an UNKNOWN packet. */
  decode(raw: RawMessage): Packet;
}
