import {
  createRequest,
  randomId,
  RPCErrorCode,
  RPCTimeoutError,
  type Packet,
  type RPCResponse,
} from "@webshocket/protocol";
import { after, toMs, type CallOptions, type Duration } from "./options.js";
import { sendCancel, type CallHost } from "./pending.js";
import { errorFromResponse, normalizeResponse } from "./rpcErrors.js";

/**
 * One request/response call. Resolves with the response packet (`data` = result, `rpc.error`
 * = error code); rejects with RPCTimeoutError, ConnectionClosedError (at once, when the
 * connection drops), `signal.reason`, or an RPCError when `raiseOnRateLimit`/`raiseOnError` ask.
 * A timeout or abort cancels the call on the server. If the method turns out to stream, the
 * first chunk is the answer and the rest of the stream is cancelled.
 */
export function unaryCall<T>(
  host: CallHost,
  method: string,
  args: unknown[],
  options: CallOptions,
  defaultTimeout: Duration | null,
): Promise<Packet<RPCResponse<T>, T>> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(signal.reason);
    const timeoutMs = toMs(options.timeout, defaultTimeout);
    const callId = randomId();
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      host._pending.delete(callId);
    };
    const abandon = (error: unknown): void => {
      cleanup();
      sendCancel(host, callId);
      reject(error);
    };
    const onAbort = (): void => abandon(signal?.reason);
    host._pending.set(callId, {
      _deliver(raw: Packet<RPCResponse>) {
        cleanup();
        const packet = normalizeResponse<T>(raw);
        if (packet.rpc.is_stream && !packet.rpc.is_end && packet.rpc.error === null) sendCancel(host, callId);
        const error = errorFromResponse(packet, method);
        const raise =
          options.raiseOnError === true ||
          (options.raiseOnRateLimit === true && packet.rpc.error === RPCErrorCode.RATE_LIMIT_EXCEEDED);
        if (error && raise) reject(error);
        else resolve(packet);
      },
      _fail(error: Error) {
        cleanup();
        reject(error);
      },
    });
    const timer = after(timeoutMs, () => abandon(new RPCTimeoutError(`RPC '${method}' got no response within ${timeoutMs} ms`)));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      host._send(createRequest(method, args, options.kwargs ?? {}, callId, host._trace?.()));
    } catch (error) {
      cleanup();
      reject(error);
    }
  });
}
