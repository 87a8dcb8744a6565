import { PacketSource } from "./enums.js";
import { randomId } from "./ids.js";
import type { Packet, PacketInput, RPCRequest, RPCResponse } from "./packet.js";

/** A packet of source UNKNOWN that carries what could not be understood. */
export function unknownPacket(data: unknown): Packet {
  return { source: PacketSource.UNKNOWN, data, rpc: null, channel: null, timestamp: null, correlation_id: null };
}

function normalizeRpc(rpc: NonNullable<PacketInput["rpc"]>, newId: () => string): RPCRequest | RPCResponse {
  if (rpc.type === "request") {
    return {
      type: "request",
      method: rpc.method,
      args: rpc.args ?? [],
      kwargs: rpc.kwargs ?? {},
      call_id: rpc.call_id ?? newId(),
      ...(rpc.traceparent === undefined ? {} : { traceparent: rpc.traceparent }),
    };
  }
  return {
    type: "response",
    call_id: rpc.call_id,
    response: rpc.response ?? null,
    error: rpc.error ?? null,
    is_stream: rpc.is_stream ?? false,
    is_end: rpc.is_end ?? false,
  };
}

/**
 * A valid packet (checked against PacketSchema) with every default applied, its fields in
 * declaration order. `newId` gives a request without `call_id` its id (orderedPacket passes
 * one that returns undefined: the field stays absent).
 */
export function fillPacket(value: PacketInput, newId: () => string = randomId): Packet {
  const rpc = value.rpc ?? null;
  const packet: Packet = {
    source: value.source,
    data: value.data ?? null,
    rpc: rpc === null ? null : normalizeRpc(rpc, newId),
    channel: value.channel ?? null,
    timestamp: value.timestamp ?? null,
    correlation_id: value.correlation_id ?? null,
  };
  if (value.position !== undefined) packet.position = [value.position[0], value.position[1]];
  return packet;
}
