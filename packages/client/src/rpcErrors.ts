import {
  isRPCErrorCode,
  RateLimitError,
  RPCError,
  RPCErrorCode,
  rpcErrorMessage,
  RPCMethodNotFoundError,
  type Packet,
  type RPCResponse,
} from "@webshocket/protocol";

/** The message an error response carries, or the standard text for its code. */
function messageOf(packet: Packet<RPCResponse>, method: string): string {
  const r = packet.rpc.response ?? packet.data;
  if (typeof r === "string" && r) return r;
  const code = packet.rpc.error;
  return rpcErrorMessage(isRPCErrorCode(code) ? code : RPCErrorCode.APPLICATION_ERROR, method);
}

/**
 * The error an error response stands for: RateLimitError for RATE_LIMIT_EXCEEDED,
 * RPCMethodNotFoundError for METHOD_NOT_FOUND, RPCError (with `rpcCode`) otherwise.
 * Undefined when the packet carries no error.
 */
export function errorFromResponse(packet: Packet<RPCResponse>, method: string): RPCError | undefined {
  const code = packet.rpc.error;
  if (code === null || code === undefined) return undefined;
  const message = messageOf(packet, method);
  if (code === RPCErrorCode.RATE_LIMIT_EXCEEDED) return new RateLimitError(message);
  if (code === RPCErrorCode.METHOD_NOT_FOUND) return new RPCMethodNotFoundError(message);
  return new RPCError(message, { rpcCode: code });
}

/** Makes `data` carry the result: servers put it in `rpc.response` and may leave `data` empty. */
export function normalizeResponse<T>(packet: Packet<RPCResponse>): Packet<RPCResponse<T>, T> {
  if ((packet.data === null || packet.data === undefined) && packet.rpc.response !== null) {
    packet.data = packet.rpc.response;
  }
  return packet as Packet<RPCResponse<T>, T>;
}
