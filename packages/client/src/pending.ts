import { createRequest, randomId, type Packet, type RPCResponse } from "@webshocket/protocol";

/** The RPC method the server runs to cancel a call: `args: [callIdToCancel]`. */
export const CANCEL_METHOD = "$cancel";

/** Receives the responses of one call. */
export interface CallSink {
  /** One response packet for this call. */
  deliver(packet: Packet<RPCResponse>): void;
  /** The call can get no more responses (the connection dropped, the client closed). */
  fail(error: Error): void;
}

/** What calls need from the client: a way to send, and the table of calls awaiting responses. */
export interface CallHost {
  /** Encodes and sends a packet; throws ConnectionClosedError when not connected. */
  sendPacket(packet: Packet): void;
  /** The calls awaiting responses, by call id. */
  readonly pending: Map<string, CallSink>;
}

/**
 * Asks the server to stop a call: an RPC request to `$cancel` with the call id as only
 * argument, under a new call id whose answer (if any) is ignored. Never throws.
 */
export function sendCancel(host: CallHost, callId: string): void {
  try {
    host.sendPacket(createRequest(CANCEL_METHOD, [callId], {}, randomId()));
  } catch {
    // Not connected: the server has dropped the call with the connection.
  }
}
