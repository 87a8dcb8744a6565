import { RPCError, RPCErrorCode, createResponse, rpcErrorMessage } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";

const NOT_STREAMING = {};

/** Sends a successful response (or one stream chunk / the stream end). */
export function respond(conn: ClientConnection, callId: string, value: unknown, method = "", isStream = false, isEnd = false): void {
  let bytes: Uint8Array;
  try {
    bytes = conn.codec.encode(createResponse(callId, value, isStream ? { isStream, isEnd } : NOT_STREAMING));
  } catch (err) {
    // The method returned something the wire cannot carry (a function, a cycle, ...).
    const message = `RPC method '${method}' returned a value that cannot be encoded: ${err instanceof Error ? err.message : String(err)}`;
    respondError(conn, callId, RPCErrorCode.INTERNAL_SERVER_ERROR, message, isStream);
    return;
  }
  conn.sendEncoded(bytes);
}

/** Sends an error response; `message` travels in `rpc.response` (and `data`). */
export function respondError(conn: ClientConnection, callId: string, code: RPCErrorCode, message: string, isStream = false): void {
  conn.sendPacket(createResponse(callId, message, { error: code, isStream, isEnd: isStream }));
}

/** How a thrown value is reported to the caller: RPCErrors keep code and message; others are hidden. */
export function errorReply(err: unknown, method: string): { code: RPCErrorCode; message: string; internal: boolean } {
  if (err instanceof RPCError) return { code: err.rpcCode, message: err.message, internal: false };
  return { code: RPCErrorCode.INTERNAL_SERVER_ERROR, message: rpcErrorMessage(RPCErrorCode.INTERNAL_SERVER_ERROR, method), internal: true };
}
