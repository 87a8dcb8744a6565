import type { Static } from "@sinclair/typebox";
import { PacketSource, type RPCErrorCode } from "./enums.js";
import type { PacketSchema } from "./packetSchema.js";

export { PacketSchema, RPCRequestSchema, RPCResponseSchema } from "./packetSchema.js";

/** A packet as a sender may write it (optional fields may be missing). */
export type PacketInput = Static<typeof PacketSchema>;

/** An RPC request with every default applied. */
export interface RPCRequest {
  type: "request";
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  call_id: string;
  /** Optional: the caller's W3C trace context (`00-<trace id>-<span id>-<flags>`), sent only when the app traces. */
  traceparent?: string;
}

/** An RPC response with every default applied. */
export interface RPCResponse<T = unknown> {
  type: "response";
  call_id: string;
  response: T;
  error: RPCErrorCode | null;
  is_stream: boolean;
  is_end: boolean;
}

/** A packet with every default applied: what decoders return and encoders take. */
export interface Packet<R extends RPCRequest | RPCResponse | null = RPCRequest | RPCResponse | null, D = unknown> {
  source: PacketSource;
  data: D;
  rpc: R;
  channel: string | null;
  timestamp: number | null;
  correlation_id: string | null;
  /**
   * Optional: `[epoch, offset]` of a channel message in its channel's history, sent only to clients that
   * opted in with `?positions` (PROTOCOL.md § 12). Absent (not null) when there is none.
   */
  position?: [epoch: string, offset: number];
}

/** Fields of a packet other than `source`, all optional. */
export type PacketFields<R extends RPCRequest | RPCResponse | null = RPCRequest | RPCResponse | null> = Partial<
  Omit<Packet<R>, "source">
>;

// `var`: module-level `let` costs a temporal-dead-zone check on every access (see codecs/msgpackDecode.ts).
var held = false;
var heldTimestamp = 0;

/**
 * The current time as the wire's `timestamp`: seconds since the epoch, as a
 * float (millisecond resolution). While a server holds the clock (see
 * holdTimestamp), the time it was held.
 */
export function nowTimestamp(): number {
  return held ? heldTimestamp : Date.now() / 1000;
}

/**
 * Reads the clock once for everything stamped until releaseTimestamp(). A server
 * holds it for one event-loop turn, so the packets it answers in one go share a
 * timestamp (reading the clock cost ~4% of the server's CPU per RPC call).
 */
export function holdTimestamp(): void {
  heldTimestamp = Date.now() / 1000;
  held = true;
}

/** Lets nowTimestamp() read the clock again. */
export function releaseTimestamp(): void {
  held = false;
}

/** Builds a packet, filling every missing field with its default. */
export function createPacket<R extends RPCRequest | RPCResponse | null = null>(
  source: PacketSource,
  fields: PacketFields<R> = {},
): Packet<R> {
  const packet: Packet<R> = {
    source,
    data: fields.data ?? null,
    rpc: (fields.rpc ?? null) as R,
    channel: fields.channel ?? null,
    timestamp: fields.timestamp === undefined ? nowTimestamp() : fields.timestamp,
    correlation_id: fields.correlation_id ?? null,
  };
  if (fields.position !== undefined) packet.position = fields.position;
  return packet;
}

/** Builds an RPC request packet. */
export function createRequest(
  method: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
  callId: string,
  traceparent?: string,
): Packet<RPCRequest> {
  const rpc: RPCRequest = { type: "request", method, args, kwargs, call_id: callId };
  if (traceparent !== undefined) rpc.traceparent = traceparent;
  return createPacket(PacketSource.RPC, { rpc });
}

/**
 * Builds an RPC response packet. The result (or error message) is carried once,
 * in `rpc.response`; `data` is null, as the Python server sends it (clients fill
 * `data` from `rpc.response` on receipt).
 */
export function createResponse(
  callId: string,
  response: unknown,
  options: { error?: RPCErrorCode | null; isStream?: boolean; isEnd?: boolean } = {},
): Packet<RPCResponse> {
  return createPacket(PacketSource.RPC, {
    rpc: {
      type: "response",
      call_id: callId,
      response,
      error: options.error ?? null,
      is_stream: options.isStream ?? false,
      is_end: options.isEnd ?? false,
    },
  });
}

/** True when the packet carries an RPC request. */
export function isRequestPacket(packet: Packet): packet is Packet<RPCRequest> {
  return packet.rpc !== null && packet.rpc.type === "request";
}

/** True when the packet carries an RPC response. */
export function isResponsePacket(packet: Packet): packet is Packet<RPCResponse> {
  return packet.rpc !== null && packet.rpc.type === "response";
}
