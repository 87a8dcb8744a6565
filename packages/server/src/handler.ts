import type { PredicateLike, SessionState } from "@webshocket/guards";
import { PacketError, type Packet } from "@webshocket/protocol";
import { channelList } from "./channelList.js";
import type { ChannelMap, ChannelName, ChannelPayload } from "@webshocket/protocol";
import { collectChannels, emitChannel, type ChannelDeclaration } from "./channels/channelDeclaration.js";
import type { ClientConnection } from "./connection.js";
import type { HistoryQuery, HistoryResult } from "./history/channelHistory.js";
import type { HistoryStore } from "./history/historyStore.js";
import { collectRpcMethods, createEntry, type RpcEntry } from "./rpc/registry.js";
import { getRpcMethodOptions } from "./rpc/rpcMethod.js";

/** Options of `publish` and `broadcast`. */
export interface DeliveryOptions<TState extends object = SessionState> {
  /** Connections that must not receive the message (typically the sender). Default: none. */
  exclude?: Iterable<ClientConnection<TState>> | ClientConnection<TState>;
  /**
   * Only connections whose session state passes receive it. A guards predicate
   * (Is, Has, IsEqual, Any, All, Not) is data and works across a cluster; a plain
   * function is local-only. Default: everyone.
   */
  predicate?: PredicateLike<ClientConnection<TState>>;
}

/** What a handler needs from the server it is attached to. */
export interface HandlerHost {
  readonly clients: ReadonlySet<ClientConnection>;
  readonly channels: ReadonlyMap<string, ReadonlySet<ClientConnection>>;
  readonly patterns: ReadonlyMap<string, ReadonlySet<ClientConnection>>;
  publish(channels: readonly string[], data: unknown, options: DeliveryOptions<never>): Promise<void>;
  broadcast(data: unknown, options: DeliveryOptions<never>): Promise<void>;
  /** Per-channel history (the `history` option's or the broker's); undefined when off. */
  readonly history: HistoryStore | undefined;
  error(message: string, err: unknown): void;
  warn(message: string): void;
}

/** @internal Symbol-keyed so they never look like RPC methods or clash with user names. */
export const ATTACH = Symbol("webshocket.attach");
/** @internal */
export const RPC_METHODS = Symbol("webshocket.rpcMethods");
/** @internal */
export const CHANNELS = Symbol("webshocket.channels");

const EMPTY_SET: ReadonlySet<never> = new Set();
const EMPTY_MAP: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * Base class of server logic. Override the life-cycle hooks, mark methods with
 * `@rpcMethod()` (or declare `rpc()` fields) to let clients call them, and use publish/broadcast to push.
 * `TChannels` types what each channel carries (`{ "news.*": Headline; chat: ChatMessage }`, keys may be
 * fnmatch patterns) and `TBroadcast` what `broadcast` sends; `publish`, `broadcast` and typed clients check them.
 */
export class WebSocketHandler<TState extends object = SessionState, TChannels extends ChannelMap = Record<string, unknown>, TBroadcast = unknown> {
  /** Type-level only (never set): the push payload types, read by `client.typed<H>()`. */
  declare readonly "~pushes"?: { readonly channels: TChannels; readonly broadcast: TBroadcast };

  #host: HandlerHost | undefined;
  #methods: Map<string, RpcEntry> | undefined;
  readonly #registered = new Map<string, RpcEntry>();

  /** Every connected client. */
  get clients(): ReadonlySet<ClientConnection<TState>> {
    return (this.#host?.clients ?? EMPTY_SET) as ReadonlySet<ClientConnection<TState>>;
  }

  /** Exact channel name → its subscribers. Empty channels do not appear. */
  get channels(): ReadonlyMap<string, ReadonlySet<ClientConnection<TState>>> {
    return (this.#host?.channels ?? EMPTY_MAP) as ReadonlyMap<string, ReadonlySet<ClientConnection<TState>>>;
  }

  /** Glob pattern → its subscribers. */
  get patterns(): ReadonlyMap<string, ReadonlySet<ClientConnection<TState>>> {
    return (this.#host?.patterns ?? EMPTY_MAP) as ReadonlyMap<string, ReadonlySet<ClientConnection<TState>>>;
  }

  /** Called when a client has connected (after the handshake). */
  onConnect(_conn: ClientConnection<TState>): void | Promise<void> {}

  /** Called for every packet that is not an RPC request (UNKNOWN packets included). */
  onReceive(_conn: ClientConnection<TState>, _packet: Packet): void | Promise<void> {}

  /**
   * Called when a client has disconnected; its state is still readable here. With `resume` on, a session
   * whose socket dropped unexpectedly gets onSuspend instead, and onDisconnect only when its window ends.
   */
  onDisconnect(_conn: ClientConnection<TState>): void | Promise<void> {}

  /** Called when a resumable session's socket dropped unexpectedly: it is kept for the `resume` window. */
  onSuspend(_conn: ClientConnection<TState>): void | Promise<void> {}

  /** Called when a suspended session's client came back (its missed messages are on their way). */
  onResume(_conn: ClientConnection<TState>): void | Promise<void> {}

  /**
   * Called when a client stops reading and its socket passes maxBackpressure: messages to it are
   * being dropped, and under slowConsumerPolicy "disconnect" it is about to be closed with 1008.
   * Default: log a warning.
   */
  onSlowConsumer(conn: ClientConnection<TState>, bufferedAmount: number): void {
    this.#host?.warn(`slow consumer ${conn.toString()}: ${bufferedAmount} bytes waiting`);
  }

  /**
   * Called once while the server shuts down (`server.close()`, or a signal with `shutdownSignals`): after
   * running calls have finished (or `closeGracePeriod` passed), before the clients' sockets are closed with
   * 1001, so it may still publish or send a last message. The seed's `on_server_destruct`. Default: nothing.
   */
  onServerShutdown(): void | Promise<void> {}

  /** Called when handler code throws (hooks, RPC methods with unexpected errors). Default: log it. */
  onError(error: unknown, conn: ClientConnection<TState> | undefined): void {
    this.#host?.error(`error${conn ? ` on ${conn.toString()}` : ""}`, error);
  }

  /**
   * Publishes to every client subscribed to the channel(s), exactly or by pattern;
   * each recipient gets it once per channel. Resolves when handed to the broker.
   */
  publish<C extends ChannelName<TChannels>>(channel: C, data: ChannelPayload<TChannels, C>, options?: DeliveryOptions<TState>): Promise<void>;
  publish<C extends ChannelName<TChannels>>(channels: Iterable<C>, data: ChannelPayload<TChannels, C>, options?: DeliveryOptions<TState>): Promise<void>;
  publish<C extends ChannelName<TChannels>>(channel: C | Iterable<C>, data: ChannelPayload<TChannels, C>, options?: DeliveryOptions<TState>): Promise<void>;
  publish(channel: string | Iterable<string>, data: unknown, options: DeliveryOptions<TState> = {}): Promise<void> {
    const channels = channelList(channel);
    return this.#requireHost().publish(channels, data, options as DeliveryOptions<never>);
  }

  /** Sends to every connected client (filtered by `exclude` and `predicate`). */
  broadcast(data: TBroadcast, options: DeliveryOptions<TState> = {}): Promise<void> {
    return this.#requireHost().broadcast(data, options as DeliveryOptions<never>);
  }

  /**
   * The last publications on an exact channel, with their positions (the `history` server option):
   * `{ epoch, offset, publications: [{ offset, data }], recovered }`. With `since`, only those after
   * it; `recovered: false` (and no publications) when that position is no longer available. A
   * publication appears once delivered (when `publish()` has resolved).
   * Always a promise: a broker's shared history (Redis) is read asynchronously.
   * @throws RangeError when history is off, the channel keeps none (`history.channels`), or `limit` is bad.
   */
  history<C extends ChannelName<TChannels>>(channel: C, query?: HistoryQuery): Promise<HistoryResult<ChannelPayload<TChannels, C>>>;
  history(channel: string, query: HistoryQuery = {}): Promise<HistoryResult> {
    const history = this.#requireHost().history;
    if (history === undefined) return Promise.reject(new RangeError("Channel history is off (the server's `history` option)."));
    try {
      return Promise.resolve(history.read(channel, query));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Subscribes a client to channel(s) or pattern(s); false past maxSubscribedChannels. */
  subscribe(conn: ClientConnection<TState>, channel: string | Iterable<string>): boolean {
    return conn.subscribe(channel);
  }

  /**
   * Decides a client's own subscription (`client.subscribe`, `$subscribe`) to a channel or pattern that
   * no `@channel` declaration covers. May be async; a connection that closes meanwhile is not subscribed.
   * Default: false — a client may join only what the handler declared or allows here.
   */
  canSubscribe(_conn: ClientConnection<TState>, _channel: string): boolean | Promise<boolean> {
    return false;
  }

  /**
   * Publishes to a channel declared with `@channel`: `this.emit(this.chat, msg)`; a pattern declaration
   * needs `{ channel }`, one name it matches. @throws TypeError for a name the declaration does not cover.
   */
  emit(declared: Function, data: unknown, options: DeliveryOptions<TState> & { channel?: string } = {}): Promise<void> {
    // The declaration's name is checked at run time; the channel map types publish() calls written by hand.
    return this.#requireHost().publish(channelList(emitChannel(declared, options.channel)), data, options as DeliveryOptions<never>);
  }

  /** Unsubscribes a client from channel(s) or pattern(s). */
  unsubscribe(conn: ClientConnection<TState>, channel: string | Iterable<string>): void {
    conn.unsubscribe(channel);
  }

  /**
   * Registers a function marked with `@rpcMethod` / `rpcMethod()(fn)` at run time.
   * It is called with `this` = the handler and the connection first.
   * @throws TypeError when `fn` is not marked as an RPC method.
   */
  registerRpcMethod(fn: (conn: ClientConnection<TState>, ...args: never[]) => unknown, alias?: string): void {
    const options = getRpcMethodOptions(fn);
    if (options === undefined) throw new TypeError("registerRpcMethod: the function is not marked with rpcMethod().");
    const name = alias ?? options.alias ?? fn.name;
    if (!name) throw new TypeError("registerRpcMethod: an anonymous function needs an alias.");
    const entry = createEntry(name, fn, options);
    this.#registered.set(name, entry);
    this.#methods?.set(name, entry);
  }

  /** @internal The callable methods by name. */
  [RPC_METHODS](): ReadonlyMap<string, RpcEntry> {
    if (this.#methods === undefined) {
      this.#methods = collectRpcMethods(this, WebSocketHandler.prototype);
      for (const [name, entry] of this.#registered) this.#methods.set(name, entry);
    }
    return this.#methods;
  }

  /** @internal The `@channel` declarations. */
  [CHANNELS](): readonly ChannelDeclaration[] {
    return collectChannels(this, WebSocketHandler.prototype);
  }

  /** @internal Called by the server that runs this handler. */
  [ATTACH](host: HandlerHost | undefined): void {
    if (host !== undefined && this.#host !== undefined) throw new Error("This handler is already attached to a running server.");
    this.#host = host;
  }

  #requireHost(): HandlerHost {
    if (this.#host === undefined) throw new PacketError("The handler is not attached to a running server.");
    return this.#host;
  }
}

/**
 * The handler used when the server is given none (manual mode): packets are
 * queued for `conn.recv()`, connections for `server.accept()`.
 */
export class DefaultWebSocketHandler extends WebSocketHandler {
  override onReceive(conn: ClientConnection, packet: Packet): void {
    conn.queue.push(packet);
  }
}
