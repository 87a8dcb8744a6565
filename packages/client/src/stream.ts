import {
  createRequest,
  randomId,
  RPCErrorCode,
  RPCTimeoutError,
  StreamOverflowError,
  type Packet,
  type RPCResponse,
} from "@webshocket/protocol";
import { after, DEFAULTS, toMs, type StreamOptions } from "./options.js";
import { CREDIT_METHOD, sendCancel, sendControl, type CallHost, type CallSink } from "./pending.js";
import { errorFromResponse, normalizeResponse } from "./rpcErrors.js";

type Chunk<T> = Packet<RPCResponse<T>, T>;

interface Waiter<T> {
  _resolve(result: IteratorResult<Chunk<T>, undefined>): void;
  _reject(error: unknown): void;
}

/**
 * The response packets of one streaming call, as an async iterator. The request is sent on
 * the first `next()` (or `start()`). Chunks arrive in order; the final `is_end` packet ends the
 * loop and is not yielded. An error response throws (see `StreamOptions.raiseOnRateLimit`).
 * Leaving the loop early, `cancel()`, an abort or a timeout cancels the call on the server.
 *
 * Flow control (`window`, default 64): the server may send `window` chunks ahead of the loop,
 * and is granted more (`$credit`) each time the loop has read half of that; a server sending
 * more unread chunks than `window` ends the stream with StreamOverflowError (after the
 * chunks held).
 */
export class RpcStream<T = unknown> implements AsyncIterableIterator<Chunk<T>, undefined>, CallSink {
  /** The call id of this call. */
  readonly callId: string = randomId();
  readonly #host: CallHost;
  readonly #request: Packet;
  readonly #method: string;
  readonly #options: StreamOptions;
  readonly #timeoutMs: number;
  /** Most chunks held unread; 0: no flow control. */
  readonly #window: number;
  /** Chunks read since the last grant. */
  #read = 0;
  readonly #buffer: Chunk<T>[] = [];
  /** Pending `next()` calls, oldest first (there is a chunk for none of them yet). */
  readonly #waiters: Waiter<T>[] = [];
  #started = false;
  /** The server sent its last packet (or the call was given up): nothing more will come. */
  #ended = false;
  /** Thrown once the buffer is drained. */
  #error: unknown;
  #done = false;

  constructor(host: CallHost, method: string, args: unknown[], options: StreamOptions = {}) {
    this.#host = host;
    this.#method = method;
    this.#options = options;
    this.#timeoutMs = toMs(options.timeout, null);
    const window = options.window === undefined ? host._window : options.window;
    this.#window = window === null ? 0 : (window ?? DEFAULTS.streamWindow);
    if (!(this.#window >= +(window !== null) && this.#window % 1 === 0)) throw new RangeError("window");
    this.#request = createRequest(method, args, options.kwargs ?? {}, this.callId, host._trace?.());
  }

  /** Sends the request now (idempotent). Failures surface on the next `next()`. */
  start(): void {
    if (this.#started || this.#ended) return;
    this.#started = true;
    const signal = this.#options.signal;
    if (signal?.aborted) return this.#end(signal.reason);
    this.#host._pending.set(this.callId, this);
    try {
      // The initial window goes just ahead of the request; a server without flow control answers METHOD_NOT_FOUND (ignored).
      if (this.#window) sendControl(this.#host, CREDIT_METHOD, [this.callId, this.#window]);
      this.#host._send(this.#request);
    } catch (error) {
      this.#host._pending.delete(this.callId);
      return this.#end(error);
    }
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** @internal Delivery from the pending-call table. */
  _deliver(raw: Packet<RPCResponse>): void {
    const packet = normalizeResponse<T>(raw);
    const rpc = packet.rpc;
    const error = errorFromResponse(packet, this.#method);
    if (error) {
      const yieldIt = rpc.error === RPCErrorCode.RATE_LIMIT_EXCEEDED && this.#options.raiseOnRateLimit === false;
      if (yieldIt) this.#push(packet);
      return this.#end(yieldIt ? undefined : error);
    }
    if (!rpc.is_stream) {
      // A plain (non-streaming) answer: a one-item stream.
      this.#push(packet);
      return this.#end();
    }
    if (rpc.is_end) return this.#end();
    this.#push(packet);
  }

  /** Chunks received and not yet read: at most `window` (flow control). */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** @internal The connection dropped or the client closed. */
  _fail(error: Error): void {
    this.#end(error);
  }

  async next(): Promise<IteratorResult<Chunk<T>, undefined>> {
    this.start();
    const chunk = this.#buffer.shift();
    if (chunk) return this.#took(chunk);
    if (this.#ended || this.#done) {
      this.#done = true;
      if (this.#error !== undefined) {
        const error = this.#error;
        this.#error = undefined;
        throw error;
      }
      return { value: undefined, done: true };
    }
    return new Promise((resolve, reject) => {
      const timer = after(this.#timeoutMs, () => {
        this.cancel(new RPCTimeoutError(`No chunk of '${this.#method}' within ${this.#timeoutMs} ms`));
      });
      this.#waiters.push({
        _resolve: (r) => (clearTimeout(timer), resolve(r)),
        _reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  /** Leaves the loop early (`break`): cancels the call on the server when it is still running. */
  async return(): Promise<IteratorResult<Chunk<T>, undefined>> {
    this.cancel();
    this.#done = true;
    this.#buffer.length = 0;
    this.#error = undefined;
    return { value: undefined, done: true };
  }

  /**
   * Cancels the call: the server is sent `$cancel` (when the call still runs) and the loop ends,
   * throwing `reason` when one is given.
   */
  cancel(reason?: unknown): void {
    const running = this.#started && !this.#ended;
    this.#end(reason);
    if (running) sendCancel(this.#host, this.callId);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  readonly #onAbort = (): void => this.cancel(this.#options.signal?.reason);

  #push(packet: Chunk<T>): void {
    if (this.#done) return;
    const waiter = this.#waiters.shift();
    if (waiter) waiter._resolve(this.#took(packet));
    else if (this.#window && this.#buffer.length >= this.#window) {
      this.cancel(new StreamOverflowError(`${this.#method}: over ${this.#window} unread chunks`));
    } else this.#buffer.push(packet);
  }

  /** A chunk goes to the loop: after half a window of them, the server may send that many more. */
  #took(chunk: Chunk<T>): IteratorResult<Chunk<T>, undefined> {
    if (this.#window && ++this.#read * 2 >= this.#window && !this.#ended) {
      sendControl(this.#host, CREDIT_METHOD, [this.callId, this.#read]);
      this.#read = 0;
    }
    return { value: chunk, done: false };
  }

  /** No more packets will come; `error` (if any) is thrown after the buffered chunks. */
  #end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#host._pending.delete(this.callId);
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    if (this.#done) return;
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) {
      this.#error = error;
      return;
    }
    // As an async generator: the first pending next() gets the error, the others are done.
    this.#done = true;
    waiters.forEach((waiter, i) => {
      if (i === 0 && error !== undefined) waiter._reject(error);
      else waiter._resolve({ value: undefined, done: true });
    });
  }
}
