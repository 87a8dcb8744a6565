import {
  CloseCode,
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionState,
  InvalidURIError,
  isResponsePacket,
  jsonCodec,
  msgpackCodec,
  SUBPROTOCOL,
  WebSocketError,
  type Packet,
  type RawMessage,
  type RPCResponse,
} from "@webshocket/protocol";
import type { ClientEvents } from "./clientEvents.js";
import { Emitter, type Listener } from "./emitter.js";
import { closeSocket, openSocket } from "./openSocket.js";
import { DEFAULTS, resolveBackoff, toMs, type ClientOptions, type ConnectOptions, type Duration } from "./options.js";
import { PacketQueue } from "./packetQueue.js";
import { asPacket } from "./asPacket.js";
import { PendingCalls, type CallHost } from "./pending.js";
import { withRetry } from "./retry.js";
import { RpcStream } from "./stream.js";
import { OPEN, type Transport, type WebSocketLike } from "./transport/types.js";
import { createTypedApi, type RemoteApi, type TypedOptions } from "./typed.js";
import { unaryCall } from "./unaryCall.js";
import type { CallOptions, StreamOptions } from "./options.js";

function checkUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InvalidURIError(`Invalid URI ${JSON.stringify(uri)}: expected ws://host[:port][/path] or wss://…`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new InvalidURIError(`Invalid URI ${JSON.stringify(uri)}: the scheme must be ws:// or wss://`);
  }
  if (url.hash) throw new InvalidURIError(`Invalid URI ${JSON.stringify(uri)}: a WebSocket URI has no #fragment`);
  return uri;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The platform-neutral client. Use `WebSocketClient`, which binds it to the platform's WebSocket
 * (browsers: the native one; Node: the global one or the `ws` package).
 */
export class BaseClient implements AsyncDisposable {
  /** The server's URI, as given. */
  readonly uri: string;
  /** The wire format: "msgpack" (subprotocol `webshocket.v1`) or "json". */
  readonly format: "msgpack" | "json";
  readonly #options: ClientOptions;
  readonly #transport: Transport;
  readonly #queue: PacketQueue;
  readonly #events = new Emitter<ClientEvents>();
  readonly #host: CallHost;
  readonly #rpcTimeout: Duration | null;
  #state = ConnectionState.DISCONNECTED;
  #socket: WebSocketLike | undefined;
  #connecting: Promise<this> | undefined;
  /** Aborted by `close()`: stops connecting, waiting and reconnecting. */
  #lifecycle = new AbortController();
  #connectOptions: ConnectOptions = {};

  /** @throws InvalidURIError when `uri` is not a ws:// or wss:// URI. */
  constructor(uri: string, options: ClientOptions, transport: Transport) {
    this.uri = checkUri(uri);
    transport.check(options);
    this.#options = options;
    this.#transport = transport;
    this.format = options.format ?? DEFAULTS.format;
    if (this.format !== "msgpack" && this.format !== "json") throw new TypeError(`Unknown format ${String(this.format)}`);
    this.#rpcTimeout = options.rpcTimeout === undefined ? DEFAULTS.rpcTimeout : options.rpcTimeout;
    toMs(this.#rpcTimeout, null); // validates
    this.#queue = new PacketQueue(options.maxPacketQueue ?? DEFAULTS.maxPacketQueue);
    this.#host = { sendPacket: (packet) => this.#sendPacket(packet), pending: new PendingCalls() };
  }

  /** DISCONNECTED → CONNECTING → CONNECTED; CLOSED after `close()`. CONNECTING again while reconnecting. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Packets waiting in the `recv()` queue. */
  get queuedPackets(): number {
    return this.#queue.size;
  }

  /** Adds an event listener; returns a function that removes it. See ClientEvents. */
  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  /** Removes an event listener. */
  off<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): void {
    this.#events.off(event, listener);
  }

  /** Resolves with the payload of the next `event`. */
  once<K extends keyof ClientEvents>(event: K, signal?: AbortSignal): Promise<ClientEvents[K]> {
    return this.#events.once(event, signal);
  }

  /**
   * Connects. With `retry`, failed attempts are retried up to `maxRetryAttempt` times after
   * `retryInterval · 2^n + jitter`. Resolves with the client; a no-op when already connected.
   * @throws ConnectionFailedError when every attempt failed.
   */
  connect(options: ConnectOptions = {}): Promise<this> {
    if (this.#state === ConnectionState.CONNECTED) return Promise.resolve(this);
    if (this.#connecting) return this.#connecting;
    this.#connectOptions = options;
    if (this.#lifecycle.signal.aborted) this.#lifecycle = new AbortController();
    const lifecycle = this.#lifecycle;
    const forward = (): void => lifecycle.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", forward, { once: true });
    if (options.signal?.aborted) forward();
    this.#setState(ConnectionState.CONNECTING);
    const promise = this.#open(options.retry ?? DEFAULTS.retry, options, false)
      .then(
        ({ socket }) => {
          this.#attach(socket, false);
          return this;
        },
        (error: unknown) => {
          if (this.#state === ConnectionState.CONNECTING) this.#setState(ConnectionState.DISCONNECTED);
          throw error;
        },
      )
      .finally(() => {
        options.signal?.removeEventListener("abort", forward);
        if (this.#connecting === promise) this.#connecting = undefined;
      });
    this.#connecting = promise;
    return promise;
  }

  /**
   * Closes the connection (code 1000 by default) and stops any reconnection. Calls in flight and
   * `recv()` waiters reject with ConnectionClosedError. Resolves once the socket is closed.
   */
  async close(code: number = CloseCode.NORMAL, reason = ""): Promise<void> {
    const error = new ConnectionClosedError("The client was closed", { closeCode: code, reason });
    this.#setState(ConnectionState.CLOSED);
    this.#lifecycle.abort(error);
    this.#host.pending.failAll(error);
    this.#queue.failWaiters(error);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await closeSocket(socket, code, reason, toMs(DEFAULTS.closeTimeout, null));
  }

  /** `await using client = …`: closes the client. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Calls an RPC method and resolves with the response packet: `.data` is the result,
   * `.rpc.error` the error code (errors do not throw unless `raiseOnRateLimit`/`raiseOnError`).
   * @throws RPCTimeoutError after `timeout`; ConnectionClosedError when not connected or on a drop.
   */
  call<T = unknown>(method: string, args: unknown[] = [], options: CallOptions = {}): Promise<Packet<RPCResponse<T>, T>> {
    return unaryCall<T>(this.#host, method, args, options, this.#rpcTimeout);
  }

  /** `call(method, args)` with positional arguments, as the Python client's `send_rpc`. */
  sendRpc<T = unknown>(method: string, ...args: unknown[]): Promise<Packet<RPCResponse<T>, T>> {
    return this.call<T>(method, args);
  }

  /**
   * Calls a streaming RPC method: an async iterator of response packets, sent on the first
   * iteration. Leaving the loop early, or `signal`, cancels the call on the server.
   */
  stream<T = unknown>(method: string, args: unknown[] = [], options: StreamOptions = {}): RpcStream<T> {
    return new RpcStream<T>(this.#host, method, args, options);
  }

  /** `stream(method, args)` with positional arguments, as the Python client's `stream_rpc`. */
  streamRpc<T = unknown>(method: string, ...args: unknown[]): RpcStream<T> {
    return this.stream<T>(method, args);
  }

  /** A typed API of a server handler class T (structural: nothing is imported from the server). */
  typed<T>(options: TypedOptions<T> = {}): RemoteApi<T> {
    return createTypedApi<T>(this.#host, this.#rpcTimeout, options);
  }

  /**
   * Sends data. A packet-shaped object (`{ source, data?, channel?, … }`) goes as it is; any other
   * value is wrapped in a CUSTOM packet. @throws ConnectionClosedError when not connected.
   */
  send(data: unknown): void {
    this.#sendPacket(asPacket(data));
  }

  /**
   * The next packet that is not an RPC response, from the queue (when no `onReceive` is set).
   * @param timeout how long to wait; `null` waits forever. Default: 30 (seconds).
   * @throws ReceiveTimeoutError; ConnectionClosedError when the queue is empty and not connected.
   */
  recv(timeout: Duration | null = DEFAULTS.recvTimeout, options: { signal?: AbortSignal } = {}): Promise<Packet> {
    if (this.#options.onReceive) {
      return Promise.reject(new WebSocketError("recv() is not available when an onReceive callback is set"));
    }
    const queued = this.#queue.take();
    if (queued) return Promise.resolve(queued);
    if (this.#state !== ConnectionState.CONNECTED && this.#state !== ConnectionState.CONNECTING) {
      return Promise.reject(new ConnectionClosedError(`Not connected to ${this.uri}`));
    }
    return this.#queue.wait(toMs(timeout, null), options.signal);
  }

  #setState(state: ConnectionState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#events.emit("state", { state, previous });
  }

  async #open(retry: boolean, options: ConnectOptions, reconnecting: boolean): Promise<{ socket: WebSocketLike; attempts: number }> {
    const signal = this.#lifecycle.signal;
    const request = {
      url: this.uri,
      protocols: this.format === "json" ? [] : [SUBPROTOCOL],
      tls: this.#options.tls,
      WebSocket: this.#options.WebSocket,
    };
    const timeoutMs = toMs(this.#connectOptions.connectTimeout, DEFAULTS.connectTimeout);
    let attempts = 0;
    const socket = await withRetry(
      (n) => {
        attempts = n + 1;
        return openSocket(this.#transport, request, timeoutMs, signal);
      },
      {
        ...resolveBackoff(options, retry),
        signal,
        onRetry: (info) => this.#events.emit("retry", { ...info, reconnecting }),
        giveUp: (error, n) =>
          new ConnectionFailedError(`Could not connect to ${this.uri} after ${n} attempt(s): ${errorText(error)}`, {
            cause: error,
          }),
      },
    );
    return { socket, attempts };
  }

  #attach(socket: WebSocketLike, reconnected: boolean): void {
    this.#socket = socket;
    socket.onmessage = (event) => this.#onMessage(event.data);
    socket.onerror = () => {}; // always followed by a close event
    socket.onclose = (event) => this.#onDrop(socket, event.code, event.reason);
    this.#setState(ConnectionState.CONNECTED);
    this.#events.emit("connect", { reconnected });
  }

  #onMessage(data: unknown): void {
    const raw: RawMessage = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : (data as string | ArrayBuffer);
    const packet = (this.format === "json" ? jsonCodec : msgpackCodec).decode(raw);
    if (isResponsePacket(packet)) {
      this.#host.pending.deliver(packet); // responses nobody waits for (late, cancelled) are dropped
      return;
    }
    this.#events.emit("message", packet);
    const onReceive = this.#options.onReceive;
    if (!onReceive) return this.#queue.push(packet);
    try {
      onReceive(packet);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #onDrop(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    const error = new ConnectionClosedError(`Connection to ${this.uri} closed (code ${code}${reason ? `: ${reason}` : ""})`, {
      closeCode: code,
      reason,
    });
    this.#host.pending.failAll(error);
    if (this.#state === ConnectionState.CLOSED) return;
    const auto = this.#options.autoReconnect ?? false;
    if (auto === false) {
      this.#setState(ConnectionState.DISCONNECTED);
      this.#queue.failWaiters(error);
      this.#events.emit("disconnect", { code, reason, willReconnect: false });
      return;
    }
    this.#setState(ConnectionState.CONNECTING);
    this.#events.emit("disconnect", { code, reason, willReconnect: true });
    const options = { ...this.#connectOptions, ...(auto === true ? {} : auto) };
    const promise = this.#open(true, options, true).then(
      ({ socket: next, attempts }) => {
        this.#attach(next, true);
        this.#events.emit("reconnect", { attempts });
        return this;
      },
      (failure: unknown) => {
        if (this.#state !== ConnectionState.CONNECTING) throw failure;
        this.#setState(ConnectionState.DISCONNECTED);
        this.#queue.failWaiters(error);
        if (failure instanceof ConnectionFailedError) this.#events.emit("reconnectFailed", { error: failure });
        throw failure;
      },
    );
    promise.catch(() => {}); // reported through events; connect() callers get the rejection
    this.#connecting = promise;
    void promise.finally(() => {
      if (this.#connecting === promise) this.#connecting = undefined;
    }).catch(() => {});
  }

  #sendPacket(packet: Packet): void {
    const socket = this.#socket;
    if (!socket || this.#state !== ConnectionState.CONNECTED || socket.readyState !== OPEN) {
      throw new ConnectionClosedError(`Not connected to ${this.uri}`);
    }
    socket.send(this.format === "json" ? jsonCodec.stringify(packet) : msgpackCodec.encode(packet));
  }
}
