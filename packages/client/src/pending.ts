import { createRequest, randomId, type Packet, type RPCResponse } from "@webshocket/protocol";

/** The RPC method the server runs to cancel a call: `args: [callIdToCancel]`. */
export const CANCEL_METHOD = "$cancel";
/** The RPC method that lets a stream send more chunks: `args: [streamCallId, chunks]` (PROTOCOL.md, flow control). */
export const CREDIT_METHOD = "$credit";

/** Receives the responses of one call. */
export interface CallSink {
  /** One response packet for this call. */
  _deliver(packet: Packet<RPCResponse>): void;
  /** The call can get no more responses (the connection dropped, the client closed). */
  _fail(error: Error): void;
}

/** What calls need from the client: a way to send, and the table of calls awaiting responses. */
export interface CallHost {
  /** Encodes and sends a packet; throws ConnectionClosedError when not connected. */
  _send(packet: Packet): void;
  /** The calls awaiting responses, by call id. */
  readonly _pending: Map<string, CallSink>;
  /** The client's `streamWindow` option (undefined: the default). */
  readonly _window?: number | null | undefined;
  /** The client's `traceparent` option: the W3C trace context to send with each call (undefined: none). */
  readonly _trace?: (() => string | undefined) | undefined;
}

/**
 * Sends a protocol request (`$cancel`, `$credit`) under a new call id whose answer is ignored.
 * Never throws: when not connected, the server has dropped the call with the connection.
 */
export function sendControl(host: CallHost, method: string, args: unknown[]): void {
  try {
    host._send(createRequest(method, args, {}, randomId()));
  } catch {}
}

/** Asks the server to stop a call: `$cancel(callId)`. Never throws. */
export const sendCancel = (host: CallHost, callId: string): void => sendControl(host, CANCEL_METHOD, [callId]);
