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
  readonly pending: PendingCalls;
}

/** Calls awaiting responses, by call id. */
export class PendingCalls {
  readonly #calls = new Map<string, CallSink>();

  /** Number of calls awaiting responses. */
  get size(): number {
    return this.#calls.size;
  }

  add(callId: string, sink: CallSink): void {
    this.#calls.set(callId, sink);
  }

  delete(callId: string): void {
    this.#calls.delete(callId);
  }

  has(callId: string): boolean {
    return this.#calls.has(callId);
  }

  /** Hands a response to its call. False when no call waits for it (late or unknown): it is dropped. */
  deliver(packet: Packet<RPCResponse>): boolean {
    const sink = this.#calls.get(packet.rpc.call_id);
    if (!sink) return false;
    sink.deliver(packet);
    return true;
  }

  /** Fails every call at once and empties the table. */
  failAll(error: Error): void {
    const sinks = [...this.#calls.values()];
    this.#calls.clear();
    for (const sink of sinks) sink.fail(error);
  }
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
