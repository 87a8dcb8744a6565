import { RateLimiter, type SessionState } from "@webshocket/guards";
import { PacketSource, RPCError, RPCErrorCode, RPCRequestSchema, compileChecker, holdTimestamp, isRequestPacket, releaseTimestamp, type Packet } from "@webshocket/protocol";
import type { Broker } from "./broker/broker.js";
import { ChannelRegistry, type ChannelLimits } from "./channels/channelRegistry.js";
import type { SubscriptionAuthority } from "./channels/clientSubscriptions.js";
import { Fanout, type Delivery } from "./channels/fanout.js";
import { Outboxes } from "./channels/outboxes.js";
import type { ClientConnection, ConnectionHost } from "./connection.js";
import { CHANNELS, RPC_METHODS, type DeliveryOptions, type HandlerHost, type WebSocketHandler } from "./handler.js";
import type { Logger } from "./logger.js";
import type { ResolvedOptions } from "./options.js";
import { dispatch, type DispatchContext } from "./rpc/dispatch.js";
import type { RpcEntry } from "./rpc/registry.js";
import { respondError } from "./rpc/respond.js";
import { cancelAllStreams } from "./rpc/runStream.js";
import { SlowConsumers, type BackpressureStats } from "./slowConsumers.js";
import type { Chain } from "./middleware/chain.js";
import { interceptCall } from "./middleware/interceptCall.js";
import { interceptClose, interceptOpen } from "./middleware/interceptConnection.js";
import type { CallContext, ServerObserver } from "./middleware/middleware.js";
import type { Hook } from "./middleware/runChain.js";
import { Sessions } from "./session/sessions.js";
import { ChannelHistory } from "./history/channelHistory.js";
import type { HistoryStore } from "./history/historyStore.js";

const RESOLVED = Promise.resolve();

/** Refuses a publish to a channel name past the limit (it would be matched against every pattern). */
function checkChannelNames(channels: readonly string[], max: number): void {
  for (const channel of channels) {
    if (typeof channel === "string" && channel.length > max) {
      throw new RPCError(`Channel names may be at most ${max} characters long (maxChannelNameLength); got one of ${channel.length}.`, { rpcCode: RPCErrorCode.INVALID_PARAMS });
    }
  }
}

/** Counters a running server keeps. */
export interface ServerStats extends BackpressureStats {
  /** Sessions resumed on a new socket (session resumption); `webshocket_sessions_resumed_total` in the metrics. */
  sessionsResumed: number;
}

/**
 * The state of one running server, shared by its connections, its handler and
 * RPC dispatch: clients, channels, the broker, the rate limiter.
 */
export class Runtime implements ConnectionHost, HandlerHost, DispatchContext {
  corked = false;
  readonly clientsById = new Map<string, ClientConnection>();
  readonly clients = new Set<ClientConnection>();
  readonly registry: ChannelRegistry;
  readonly stats: ServerStats = { droppedMessages: 0, slowConsumers: 0, slowConsumerDisconnects: 0, sessionsResumed: 0 };
  /** The middleware's `call` hooks; undefined when none (calls take `dispatch` as it is). */
  readonly callHooks: readonly Hook<CallContext<object>>[] | undefined;
  /** Observers of messages and broker publishes (metrics); undefined when none. */
  observer: ServerObserver | undefined;
  readonly slowConsumers: SlowConsumers;
  readonly methods: ReadonlyMap<string, RpcEntry>;
  readonly limiter: RateLimiter;
  readonly fanout: Fanout;
  readonly outboxes = new Outboxes();
  /** Session resumption, when the `resume` option is on. */
  readonly sessions: Sessions | undefined;
  /** `sessions` when they are mirrored to a shared store (snapshots kept current); undefined otherwise. */
  readonly snapshots: Sessions | undefined;
  readonly subscriptions: SubscriptionAuthority;
  /** Per-channel history: the broker's shared one, or this process's when the `history` option is on. */
  readonly history: HistoryStore | undefined;
  #calls = 0;
  #idle: Array<() => void> = [];
  /** True from a uWS callback until deferred deliveries are flushed: uWS may still hold a cork. */
  #inCallback = false;
  #leaveScheduled = false;
  #deferred: Array<[Delivery, () => void, (err: unknown) => void]> = [];

  constructor(
    readonly handler: WebSocketHandler<SessionState>,
    readonly options: ResolvedOptions,
    readonly broker: Broker,
    readonly logger: Logger,
    limiter: RateLimiter,
    readonly chain?: Chain,
  ) {
    this.callHooks = chain?.call;
    this.methods = handler[RPC_METHODS]();
    this.subscriptions = { declarations: handler[CHANNELS](), target: handler, canSubscribe: (conn, channel) => handler.canSubscribe(conn, channel) };
    this.registry = new ChannelRegistry((name, isPattern, wanted) => broker.interest?.(name, isPattern, wanted), options);
    this.limiter = limiter;
    this.slowConsumers = new SlowConsumers({
      stats: this.stats,
      clients: this.clients,
      limit: options.maxBackpressure,
      grace: options.slowConsumerGrace,
      report: (conn, buffered) => this.hook(conn, () => handler.onSlowConsumer(conn, buffered)),
    });
    this.history = broker.history ?? (options.history === undefined ? undefined : new ChannelHistory(options.history));
    this.fanout = new Fanout(this.registry, this.clientsById, this.outboxes, this.history);
    this.sessions = options.resume === undefined ? undefined : new Sessions(this.#sessionHost(), options.resume);
    this.snapshots = this.sessions?.mirror === undefined ? undefined : this.sessions;
  }

  #sessionHost(): ConstructorParameters<typeof Sessions>[0] {
    return {
      clients: this.clients,
      batch: (conn, bytes) => this.outboxes.add(conn, bytes),
      stopStreams: (conn) => cancelAllStreams(this, conn),
      release: (conn) => this.release(conn),
      hook: (conn, run) => this.hook(conn, run),
      onSuspend: (conn) => this.handler.onSuspend(conn),
      onResume: (conn) => {
        this.stats.sessionsResumed++; // webshocket_sessions_resumed_total
        return this.handler.onResume(conn);
      },
      settled: () => this.broker.subscriptionsSettled?.() ?? RESOLVED,
    };
  }

  // ConnectionHost
  get jsonBinary(): boolean {
    return this.options.jsonBinaryFrames;
  }
  get compression(): boolean {
    return this.options.compression;
  }
  get chunkSize(): number {
    return this.options.chunkSize;
  }
  get maxBackpressure(): number {
    return this.options.maxBackpressure;
  }
  subscribe(conn: ClientConnection, names: readonly string[]): boolean {
    if (this.snapshots !== undefined) this.snapshots.changed(conn);
    return this.registry.subscribe(conn, names, this.options.maxSubscribedChannels);
  }
  unsubscribe(conn: ClientConnection, names: readonly string[]): void {
    if (this.snapshots !== undefined) this.snapshots.changed(conn);
    this.registry.unsubscribe(conn, names);
  }
  batch(conn: ClientConnection, bytes: Uint8Array): void {
    this.outboxes.add(conn, bytes);
  }
  sent(conn: ClientConnection, result: number, bytes: number): void {
    if (result === 2) this.slowConsumers.dropped(conn);
    const o = this.observer;
    if (o !== undefined) o.messageOut?.(conn, bytes, result);
  }
  endSession(conn: ClientConnection): void {
    this.sessions?.close(conn);
  }

  // HandlerHost
  get channels(): ReadonlyMap<string, ReadonlySet<ClientConnection>> {
    return this.registry.exact;
  }
  get patterns(): ReadonlyMap<string, ReadonlySet<ClientConnection>> {
    return new Map([...this.registry.patterns].map(([k, v]) => [k, v.conns]));
  }
  publish(channels: readonly string[], data: unknown, options: DeliveryOptions<never>): Promise<void> {
    checkChannelNames(channels, this.options.maxChannelNameLength);
    return this.#send({ kind: "channel", channels, data, exclude: uids(options.exclude), predicate: options.predicate });
  }
  broadcast(data: unknown, options: DeliveryOptions<never>): Promise<void> {
    return this.#send({ kind: "broadcast", channels: [], data, exclude: uids(options.exclude), predicate: options.predicate });
  }
  error(message: string, err: unknown): void {
    this.logger.error(message, err);
  }
  warn(message: string): void {
    this.logger.warn(message);
  }
  /**
   * Hands a delivery to the broker. Inside a uWS callback (and the microtasks after
   * it) uWS keeps a socket corked, and fanning out to many other sockets from there
   * measured ~3× slower (apps/bench); such deliveries wait for the check phase, in order.
   */
  #send(delivery: Delivery): Promise<void> {
    if (this.broker.distributed && typeof delivery.predicate === "function") {
      throw new TypeError("A function predicate cannot travel to other server nodes; use a guards predicate (Is, Has, IsEqual, Any, All, Not).");
    }
    if (this.#inCallback) {
      if (!this.#leaveScheduled) {
        this.#leaveScheduled = true;
        setImmediate(this.#leaveCallback);
      }
      return new Promise((resolve, reject) => this.#deferred.push([delivery, resolve, reject]));
    }
    const r = this.#publish(delivery);
    return r === undefined ? RESOLVED : r;
  }

  /**
   * Called at the start of every uWS callback that may run user code. The flag is
   * cleared by the next deferred flush; no timer is armed per message (a publish
   * after a callback that deferred nothing merely waits for one check phase).
   */
  enteredCallback(): void {
    this.#inCallback = true;
  }

  /** Messages uWS has handed over in this event-loop turn (0 between turns). */
  #turnMessages = 0;
  readonly #endTurn = (): void => {
    this.#turnMessages = 0;
    releaseTimestamp();
  };

  /**
   * Called for every message uWS hands over. The first of an event-loop turn holds
   * the wire timestamp (holdTimestamp) until the turn ends: the answers made in one
   * turn share one clock reading.
   */
  startMessage(): void {
    if (this.#turnMessages++ > 0) return;
    holdTimestamp();
    setImmediate(this.#endTurn);
  }

  /**
   * True inside a uWS message callback other than the turn's first: RPC answers made
   * there wait in the outboxes for the end of the turn (ClientConnection.sendReply).
   */
  get batchReplies(): boolean {
    return this.corked && this.#turnMessages > 1;
  }

  readonly #leaveCallback = (): void => {
    this.#inCallback = false;
    this.#leaveScheduled = false;
    const queue = this.#deferred;
    this.#deferred = [];
    for (const [delivery, resolve, reject] of queue) {
      try {
        const r = this.#publish(delivery);
        if (r === undefined) resolve();
        else r.then(resolve, reject);
      } catch (err) {
        reject(err);
      }
    }
  };

  /** Hands a delivery to the broker, timing it for an observer when the broker is distributed. */
  #publish(delivery: Delivery): void | Promise<void> {
    const seen = this.observer?.brokerPublish;
    if (seen === undefined || !this.broker.distributed) return this.broker.publish(delivery);
    const start = performance.now();
    const r = this.broker.publish(delivery);
    if (r !== undefined) r.then(() => seen((performance.now() - start) / 1000, true), () => seen((performance.now() - start) / 1000, false));
    return r;
  }

  // DispatchContext
  get target(): object {
    return this.handler;
  }
  get channelLimits(): ChannelLimits {
    return this.registry.limits;
  }
  get maxSubscribedChannels(): number {
    return this.options.maxSubscribedChannels;
  }
  get rpcTaskLimit(): number {
    return this.options.rpcTaskLimit;
  }
  get highWaterMark(): number {
    return this.options.streamHighWaterMark;
  }
  reportError(err: unknown, conn: ClientConnection | undefined): void {
    try {
      this.handler.onError(err, conn);
    } catch (inner) {
      this.logger.error("onError threw", inner);
    }
  }
  callStarted(): void {
    this.#calls++;
  }
  callEnded(conn?: ClientConnection): void {
    if (conn !== undefined && this.snapshots !== undefined) this.snapshots.changed(conn);
    if (--this.#calls === 0) for (const w of this.#idle.splice(0)) w();
  }
  /** Resolves when no RPC call is running. */
  callsSettled(): Promise<void> {
    return this.#calls === 0 ? RESOLVED : new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Runs a handler hook, reporting what it throws or rejects with. */
  hook(conn: ClientConnection, run: () => void | Promise<void>): void {
    try {
      const r = run();
      if (r !== undefined && typeof (r as Promise<void>).then === "function") (r as Promise<void>).then(undefined, (err: unknown) => this.reportError(err, conn));
    } catch (err) {
      this.reportError(err, conn);
    }
  }

  /** One decoded message from a client. */
  receive(conn: ClientConnection, raw: ArrayBuffer | Uint8Array): void {
    if (this.snapshots !== undefined) this.snapshots.changed(conn); // a handler may change state or subscriptions
    const request = conn.codec.decodeRequest(raw); // the usual RPC request, without building its packet
    const hooks = this.callHooks;
    if (request !== undefined) return hooks === undefined ? dispatch(this, conn, request) : interceptCall(this, hooks, conn, request);
    const { packet, error } = conn.codec.decodeDetailed(raw);
    if (isRequestPacket(packet)) return hooks === undefined ? dispatch(this, conn, packet.rpc) : interceptCall(this, hooks, conn, packet.rpc);
    if (error !== undefined && answerBadRequest(conn, packet, error)) return;
    this.hook(conn, () => this.handler.onReceive(conn, packet));
  }

  /** A connection has opened: `onConnect`, inside the middleware's `open` hooks. */
  connected(conn: ClientConnection): void {
    const hooks = this.chain?.open;
    if (hooks === undefined) this.hook(conn, () => this.handler.onConnect(conn));
    else interceptOpen(this, hooks, conn, () => this.handler.onConnect(conn));
  }

  /** Cleans up after a socket has closed (`code`: its close code); a resumable session is suspended instead. */
  disconnected(conn: ClientConnection, code: number): void {
    if (this.sessions !== undefined && this.sessions.suspend(conn, code)) return;
    conn.closed();
    cancelAllStreams(this, conn);
    this.clients.delete(conn);
    this.release(conn, code);
  }

  /** Forgets a connection for good: its channels, session, rate-limit windows; then onDisconnect. */
  release(conn: ClientConnection, code?: number): void {
    this.sessions?.ended(conn);
    this.registry.removeAll(conn);
    this.clientsById.delete(conn.uid);
    void Promise.resolve(this.limiter.release(conn.uid)).catch((err: unknown) => this.logger.warn("rate-limit release failed", err));
    const hooks = this.chain?.close;
    if (hooks === undefined) this.hook(conn, () => this.handler.onDisconnect(conn));
    else interceptClose(this, hooks, conn, code, () => this.handler.onDisconnect(conn));
  }
}

function uids(exclude: DeliveryOptions<never>["exclude"]): string[] {
  if (exclude === undefined) return [];
  if (typeof (exclude as { uid?: unknown }).uid === "string") return [(exclude as ClientConnection).uid];
  return [...(exclude as Iterable<ClientConnection>)].map((c) => c.uid);
}

const requestChecker = compileChecker<unknown>(RPCRequestSchema);

/** A message that tried to be an RPC request but failed validation gets an INVALID_PARAMS answer. */
function answerBadRequest(conn: ClientConnection, packet: Packet, packetError: string): boolean {
  if (packet.source !== PacketSource.UNKNOWN) return false;
  const rpc = (packet.data as { rpc?: { type?: unknown; call_id?: unknown } } | null)?.rpc;
  if (typeof rpc !== "object" || rpc === null || rpc.type !== "request") return false;
  const callId = typeof rpc.call_id === "string" ? rpc.call_id : "";
  const error = requestChecker.check(rpc) ? packetError : `rpc${requestChecker.firstError(rpc)}`;
  respondError(conn, callId, RPCErrorCode.INVALID_PARAMS, `Invalid RPC request: ${error}`);
  return true;
}
