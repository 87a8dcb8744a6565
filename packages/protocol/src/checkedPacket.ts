import { fillPacket, unknownPacket } from "./fillPacket.js";
import type { Packet } from "./packet.js";
import { isPacketInput } from "./packetGuard.js";

/**
 * A decoded value as a packet, with defaults filled; an UNKNOWN packet carrying the value
 * when it is not one. toPacket's packet, checked by the generated guard (no TypeBox at run time).
 */
export function checkedPacket(value: unknown): Packet {
  return isPacketInput(value) ? fillPacket(value) : unknownPacket(value);
}
