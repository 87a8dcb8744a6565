import { PacketError, RPCError, RPCErrorCode, rpcErrorMessage } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";

/** Sends a successful response (or one stream chunk / the stream end). */
export function respond(conn: ClientConnection, callId: string, value: unknown, method = "", isStream = false, isEnd = false): void {
  let bytes: Uint8Array;
  try {
    bytes = conn.codec.encodeResponse(callId, value, null, isStream, isEnd);
  } catch (err) {
    // The method returned something the wire cannot carry (a function, a cycle, ...).
    const message = `RPC method '${method}' returned a value that cannot be encoded: ${err instanceof Error ? err.message : String(err)}`;
    respondError(conn, callId, RPCErrorCode.INTERNAL_SERVER_ERROR, message, isStream);
    return;
  }
  // Stream values are sent outside uWS callbacks, where nothing is corked: batched, they share writes.
  if (isStream) conn.sendBatched(bytes);
  else conn.sendReply(bytes);
}

/** Sends an error response; `message` travels in `rpc.response` (`data` is null). */
export function respondError(conn: ClientConnection, callId: string, code: RPCErrorCode, message: string, isStream = false): void {
  conn.sendReply(conn.codec.encodeResponse(callId, message, code, isStream, isStream));
}

/** How a thrown value is answered, and whether it is the server's fault (`internal`) or the client's. */
export interface ErrorReply {
  code: RPCErrorCode;
  message: string;
  /** A bug or outage: reported to `onError` (with its stack). */
  internal: boolean;
  /** The client sent something it may not (a bad channel name): one rate-limited log line. */
  clientFault: boolean;
}

/**
 * How a thrown value is reported to the caller: RPCErrors keep code and message; a PacketError
 * (e.g. a bad channel name passed on from the client) is INVALID_PARAMS with its message; others are hidden.
 */
export function errorReply(err: unknown, method: string): ErrorReply {
  if (err instanceof RPCError) return { code: err.rpcCode, message: err.message, internal: false, clientFault: false };
  if (err instanceof PacketError) {
    const message = `${rpcErrorMessage(RPCErrorCode.INVALID_PARAMS, method)} ${err.message}`;
    return { code: RPCErrorCode.INVALID_PARAMS, message, internal: false, clientFault: true };
  }
  const message = rpcErrorMessage(RPCErrorCode.INTERNAL_SERVER_ERROR, method);
  return { code: RPCErrorCode.INTERNAL_SERVER_ERROR, message, internal: true, clientFault: false };
}
