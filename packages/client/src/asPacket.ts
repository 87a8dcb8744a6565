import { createPacket, PacketSource, type Packet, type PacketFields } from "@webshocket/protocol";

const PACKET_KEYS = new Set(["source", "data", "rpc", "channel", "timestamp", "correlation_id"]);

/**
 * True for a plain object shaped like a packet: a known numeric `source` and no key a packet
 * does not have. Such objects are sent as they are by `send()`.
 */
export function isPacketLike(value: unknown): value is { source: PacketSource } & PacketFields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const source = (value as { source?: unknown }).source;
  // A member of PacketSource: a number the enum maps back to its name.
  if (typeof source !== "number" || typeof PacketSource[source] !== "string") return false;
  return Object.keys(value).every((key) => PACKET_KEYS.has(key));
}

/** What `send(data)` sends: a packet-shaped object as it is, anything else wrapped in a CUSTOM packet. */
export function asPacket(data: unknown): Packet {
  if (isPacketLike(data)) {
    const { source, ...fields } = data;
    return createPacket(source, fields);
  }
  return createPacket(PacketSource.CUSTOM, { data });
}
