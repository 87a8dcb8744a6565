import type { Packet } from "@webshocket/protocol";

const PACKET_KEYS = new Set(["source", "data", "rpc", "channel", "timestamp", "correlation_id"]);

/** True for a value shaped like a full Packet (as built by `createPacket` or decoded). */
export function isPacket(value: unknown): value is Packet {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === PACKET_KEYS.size &&
    keys.every((k) => PACKET_KEYS.has(k)) &&
    typeof (value as { source?: unknown }).source === "number"
  );
}
