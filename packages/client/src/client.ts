import {
  ConnectionClosedError,
  ConnectionState,
  InvalidURIError,
  isResponsePacket,
  WebSocketError,
  type Packet,
  type RPCResponse,
} from "@webshocket/protocol";
import { asPacket } from "./asPacket.js";
import "./asyncDisposable.js";
import type { ClientEvents } from "./clientEvents.js";
import { Connection } from "./connection.js";
import { Emitter, type Listener } from "./emitter.js";
import { DEFAULTS, toMs, type CallOptions, type ClientOptions, type ConnectOptions, type Duration, type StreamOptions } from "./options.js";
import { PacketQueue } from "./packetQueue.js";
import type { CallHost, CallSink } from "./pending.js";
import { RpcStream } from "./stream.js";
import { Subscriptions, type ChannelListener, type SubscribeOptions, type Subscription } from "./subscriptions.js";
import { Recovery } from "./recovery.js";
import type { Transport } from "./transport/types.js";
import { createTypedApi, type TypedApi, type TypedOptions } from "./typed.js";
import { typedPushes } from "./typedPushes.js";
import { unaryCall } from "./unaryCall.js";
import type { WireCodecs } from "./wireCodecs.js";

function checkUri(uri: string): string {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    // reported below
  }
  const why = !url || (url.protocol !== "ws:" && url.protocol !== "wss:") ? "expected ws:// or wss://" : url.hash ? "no #fragment allowed" : "";
  if (why) throw new InvalidURIError(`Invalid URI ${JSON.stringify(uri)}: ${why}`);
  return uri;
}

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
  readonly #queue: PacketQueue;
  readonly #events = new Emitter<ClientEvents>();
  readonly #pending = new Map<string, CallSink>();
  readonly #connection: Connection;
  readonly #host: CallHost;
  readonly #rpcTimeout: Duration | null;
  readonly #subs: Subscriptions;
  readonly #recovery: Recovery;

  /**
   * @param codecs The wire formats this build can speak (an entry point passes them, so a
   *   JSON-only bundle leaves the msgpack code out).
   * @throws InvalidURIError when `uri` is not a ws:// or wss:// URI; TypeError for a format `codecs` lacks.
   */
  constructor(uri: string, options: ClientOptions, transport: Transport, codecs: WireCodecs) {
    this.uri = checkUri(uri);
    transport._check(options);
    this.#options = options;
    this.format = options.format ?? (codecs.msgpack ? DEFAULTS.format : "json");
    // An unknown format, or msgpack in the JSON-only build.
    const codec = this.format === "msgpack" || this.format === "json" ? codecs[this.format] : undefined;
    if (!codec) throw new TypeError(`Format ${String(this.format)} is not in this build`);
    this.#rpcTimeout = options.rpcTimeout === undefined ? DEFAULTS.rpcTimeout : options.rpcTimeout;
    toMs(this.#rpcTimeout, null); // validates
    this.#queue = new PacketQueue(options.maxPacketQueue ?? DEFAULTS.maxPacketQueue);
    this.#connection = new Connection(uri, codec, options, transport, this.#events, {
      _onPacket: (packet) => this.#onPacket(packet),
      _onLost: (error, final) => this.#onLost(error, final),
    });
    this.#host = { _send: (packet) => this.#connection.send(packet), _pending: this.#pending, _window: options.streamWindow, _trace: options.traceparent };
    this.#subs = new Subscriptions(this.#host);
    // A new connection has lost the old one's subscriptions: ask again for what the app subscribed, after the
    // app's own `reconnect` listeners (which may sign in again first: the server handles requests in order).
    // A resumed session kept them (and the messages missed meanwhile): nothing to ask.
    // Channels with positions are then recovered from their history (after the subscriptions are back).
    this.#recovery = new Recovery(this.#host, this.#rpcTimeout, (packet) => this.#deliver(packet));
    this.#events.on("reconnect", (e) => {
      // A resumed session kept everything, unless a recovery was cut short by the drop: that one starts over.
      if (e.recovered && e.reason !== "moved" && !this.#recovery._held.size) return;
      const back = new Promise((done) => queueMicrotask(() => done(e.recovered || this.#subs._resubscribe(this.#rpcTimeout))));
      // Held from now (synchronously: the socket's next messages may already be here), replayed once subscribed again.
      if (this.#recovery._last.size) void this.#recovery._recover(back).then((channels) => channels && this.#events._emit("recover", { channels }));
    });
  }

  /** DISCONNECTED → CONNECTING → CONNECTED; CLOSED after `close()`. CONNECTING again while reconnecting. */
  get state(): ConnectionState {
    return this.#connection.state;
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
  async connect(options: ConnectOptions = {}): Promise<this> {
    await this.#connection.connect(options);
    return this;
  }

  /**
   * Closes the connection (code 1000 by default) and stops any reconnection. Calls in flight and
   * `recv()` waiters reject with ConnectionClosedError. Resolves once the socket is closed.
   */
  async close(code = 1000 /* CloseCode.NORMAL */, reason = ""): Promise<void> {
    await this.#connection.close(code, reason);
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

  /**
   * A typed API of a server handler class T (structural: nothing is imported from the server): its RPC
   * methods, and `$on(channel, listener)` / `$onBroadcast(listener)` / `$subscribe(channel, onMessage)` typed by
   * the handler's channel map.
   */
  typed<T>(options: TypedOptions<T> = {}): TypedApi<T> {
    return createTypedApi<T>(this.#host, this.#rpcTimeout, options, typedPushes((listener) => this.on("message", listener), (c, f, o) => this.subscribe(c, f, o)));
  }

  /**
   * Subscribes to a channel or fnmatch pattern (`news.*`) the server authorizes (`$subscribe`):
   * resolves once it has, with the initial value; `onMessage` gets every message published to a
   * matching channel (from then on, and possibly just before the answer), instead of `onReceive` /
   * `recv()`. Renewed after an automatic reconnection (sent after the `reconnect` listeners ran; a refusal
   * then is not reported). `signal` unsubscribes.
   * @throws RPCError ACCESS_DENIED (naming the channel) when refused; RPCTimeoutError; ConnectionClosedError.
   */
  subscribe<T = unknown, I = unknown>(channel: string, onMessage: ChannelListener<T>, options: SubscribeOptions = {}): Promise<Subscription<I>> {
    return this.#subs._subscribe<T, I>(channel, onMessage, options, this.#rpcTimeout);
  }

  /**
   * Sends data. A packet-shaped object (`{ source, data?, channel?, … }`) goes as it is; any other
   * value is wrapped in a CUSTOM packet. @throws ConnectionClosedError when not connected.
   */
  send(data: unknown): void {
    this.#connection.send(asPacket(data));
  }

  /**
   * The next packet that is not an RPC response, from the queue (when no `onReceive` is set).
   * @param timeout how long to wait; `null` waits forever. Default: 30 (seconds).
   * @throws ReceiveTimeoutError; ConnectionClosedError when the queue is empty and not connected.
   */
  recv(timeout: Duration | null = DEFAULTS.recvTimeout, options: { signal?: AbortSignal } = {}): Promise<Packet> {
    if (this.#options.onReceive) {
      return Promise.reject(new WebSocketError("recv() is unavailable with onReceive set"));
    }
    const queued = this.#queue._take();
    if (queued) return Promise.resolve(queued);
    const state = this.#connection.state;
    if (state !== ConnectionState.CONNECTED && state !== ConnectionState.CONNECTING) {
      return Promise.reject(new ConnectionClosedError(`Not connected to ${this.uri}`));
    }
    return this.#queue._wait(toMs(timeout, null), options.signal);
  }

  #onPacket(packet: Packet): void {
    if (isResponsePacket(packet)) {
      this.#pending.get(packet.rpc.call_id)?._deliver(packet); // responses nobody waits for (late, cancelled) are dropped
      return;
    }
    if (!this.#recovery._take(packet)) this.#deliver(packet);
  }

  /** A channel, broadcast or custom packet to the app: `message` event, then subscriptions, `onReceive` or `recv()`. */
  #deliver(packet: Packet): void {
    this.#events._emit("message", packet);
    if (this.#subs._route(packet)) return;
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

  /** Calls in flight fail at once; `recv()` waiters only when no reconnection follows. */
  #onLost(error: ConnectionClosedError, final: boolean): void {
    const sinks = [...this.#pending.values()];
    this.#pending.clear();
    for (const sink of sinks) sink._fail(error);
    if (final) this.#queue._failWaiters(error);
  }
}
