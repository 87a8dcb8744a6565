import { RateLimiter, MemoryRateLimitStore, type SessionState } from "@webshocket/guards";
import { CloseCode, ServerState, WebSocketError } from "@webshocket/protocol";
import type { Broker } from "./broker/broker.js";
import { LocalBroker } from "./broker/localBroker.js";
import { checkHistorySource } from "./history/historySource.js";
import type { ClientConnection } from "./connection.js";
import { ATTACH, DefaultWebSocketHandler, WebSocketHandler } from "./handler.js";
import { defaultLogger, type Logger } from "./logger.js";
import "./asyncDisposable.js";
import type { HttpServerLike } from "./http/httpServerLike.js";
import type { TemplatedApp } from "uWebSockets.js";
import type { EngineName } from "./engine/engine.js";
import { engineOption, selectEngine, type SelectedEngine } from "./engine/select.js";
import type { StaticFile } from "./http/staticFile.js";
import { resolveOptions, type ResolvedOptions, type WebSocketServerOptions } from "./options.js";
import { PacketQueue } from "./packetQueue.js";
import { Runtime, type ServerStats } from "./runtime.js";
import type { ChannelStats } from "./channels/channelRegistry.js";
import { socketBehavior } from "./socketBehavior.js";
import { buildChain, toMiddleware } from "./middleware/chain.js";
import type { Middleware, MiddlewareHost, MiddlewareLike, ServerObserver } from "./middleware/middleware.js";
import { combineObservers } from "./middleware/combineObservers.js";
import { healthRoutes } from "./http/healthRoutes.js";
import { onShutdownSignals } from "./shutdownSignals.js";

/**
 * A webshocket server, on native uWebSockets.js or on the `ws` package (see the `engine` option).
 *
 * @example
 * await using server = new WebSocketServer({ port: 0, handler: new MathHandler() });
 * await server.start();
 * console.log(server.url);
 */
export class WebSocketServer<TState extends object = SessionState> implements AsyncDisposable, AsyncIterable<ClientConnection<TState>> {
  readonly options: ResolvedOptions;
  /** The handler in use (DefaultWebSocketHandler in manual mode). */
  readonly handler: WebSocketHandler<TState>;
  readonly #engine: SelectedEngine["engine"];
  readonly #notice: string | undefined;
  readonly #manual: boolean;
  readonly #logger: Logger;
  readonly #broker: Broker;
  readonly #limiter: RateLimiter;
  readonly #accepted: PacketQueue<ClientConnection<TState>>;
  #runtime: Runtime | undefined;
  #port: number | undefined;
  #state = ServerState.IDLE;
  #sockets = 0;
  #allClosed: Array<() => void> = [];
  #stopped: Array<() => void> = [];
  readonly #middleware: Middleware<object>[];
  readonly #options: WebSocketServerOptions<TState>;
  #unlistenSignals: (() => void) | undefined;

  constructor(options: WebSocketServerOptions<TState> = {}) {
    this.options = resolveOptions(options as WebSocketServerOptions<never>);
    const h = options.handler;
    this.#manual = h === undefined;
    this.handler = (h === undefined ? new DefaultWebSocketHandler() : typeof h === "function" ? new h() : h) as WebSocketHandler<TState>;
    if (!(this.handler instanceof WebSocketHandler)) throw new TypeError("WebSocketServer: handler must extend WebSocketHandler.");
    this.#logger = options.logger ?? defaultLogger;
    this.#broker = options.broker ?? new LocalBroker();
    checkHistorySource(options.history, this.#broker);
    this.#limiter = new RateLimiter(options.rateLimitStore ?? new MemoryRateLimitStore());
    this.#accepted = new PacketQueue(Number.POSITIVE_INFINITY);
    const selected = selectEngine(engineOption(options.engine, options.httpServer !== undefined), { tls: this.options.tls, path: this.options.path, httpServer: options.httpServer });
    this.#engine = selected.engine;
    this.#notice = selected.notice;
    this.#options = options;
    this.#middleware = (options.middleware ?? []).map((m) => toMiddleware(m as MiddlewareLike<object>));
  }

  /**
   * Adds middleware after those given in the `middleware` option (it runs inside them). Call before start().
   * @example server.use(async (ctx, next) => { await next(); console.log(ctx.method, ctx.duration); });
   */
  use(middleware: MiddlewareLike<TState>): this {
    if (this.#state !== ServerState.IDLE) throw new WebSocketError("use() must be called before start().");
    this.#middleware.push(toMiddleware(middleware as MiddlewareLike<object>));
    return this;
  }

  /** True while the server takes new connections and its broker's link (Redis) is up: what `/readyz` answers. */
  get ready(): boolean {
    return this.#state === ServerState.LISTENING && this.#broker.linkUp !== false;
  }

  /** The engine running this server: "uws" (native uWebSockets.js) or "ws" (the `ws` package on node:http). */
  get engine(): EngineName {
    return this.#engine.name;
  }

  /** True on the native uWebSockets.js engine. */
  get native(): boolean {
    return this.#engine.name === "uws";
  }

  /**
   * The uWebSockets.js app (uws engine only), to add HTTP routes before start(), e.g. `server.app.get("/", …)`.
   * @throws TypeError on the ws engine (use `httpServer`).
   */
  get app(): TemplatedApp {
    if (this.#engine.name !== "uws") throw new TypeError("server.app is the uWebSockets.js app: this server runs on the ws engine (use server.httpServer).");
    return this.#engine.app;
  }

  /**
   * The Node HTTP(S) server (ws engine only): the server's own, or the one given as the `httpServer` option.
   * @throws TypeError on the uws engine (use `app`).
   */
  get httpServer(): HttpServerLike {
    if (this.#engine.name !== "ws") throw new TypeError("server.httpServer is the ws engine's: this server runs on uWebSockets.js (use server.app).");
    return this.#engine.httpServer;
  }

  /** Serves `files` from the server's own port (see `serveStatic`); call before start(). */
  serveFiles(files: ReadonlyMap<string, StaticFile>): void {
    if (this.#state !== ServerState.IDLE) throw new WebSocketError("serveFiles() must be called before start().");
    this.#engine.serveFiles(files);
  }
  get state(): ServerState {
    return this.#state;
  }
  /** The bound port (useful after listening on port 0). */
  get port(): number {
    const port = this.#engine.name === "ws" ? (this.#engine.port ?? this.#port) : this.#port;
    if (port === undefined || port === 0 || this.#state === ServerState.IDLE) throw new WebSocketError("The server is not listening.");
    return port;
  }
  /** ws://host:port (wss:// with TLS). */
  get url(): string {
    return `${this.options.tls ? "wss" : "ws"}://${this.options.host}:${this.port}`;
  }
  /** Every connected client. */
  get clients(): ReadonlySet<ClientConnection<TState>> {
    return this.handler.clients;
  }
  /** Counters, e.g. messages dropped by backpressure. */
  get stats(): Readonly<ServerStats> {
    return this.#runtime?.stats ?? { droppedMessages: 0, slowConsumers: 0, slowConsumerDisconnects: 0, sessionsResumed: 0 };
  }

  /** Sizes of the channel registry: channels, compiled patterns and the match cache, with their bytes. */
  get channelStats(): ChannelStats {
    return this.#runtime?.registry.stats() ?? { channels: 0, patterns: 0, patternBytes: 0, matchCacheEntries: 0, matchCacheBytes: 0 };
  }

  /** Starts listening. Resolves once the port is bound. */
  async start(): Promise<this> {
    if (this.#state !== ServerState.IDLE) throw new WebSocketError(`Cannot start a server that is ${this.#state}.`);
    if (this.#notice !== undefined) this.#logger.warn(this.#notice);
    const rt = new Runtime(this.handler as WebSocketHandler<SessionState>, this.options, this.#broker, this.#logger, this.#limiter, buildChain(this.#middleware));
    this.#runtime = rt;
    this.#setUp(rt);
    const handlers = socketBehavior(rt, {
        accepting: () => this.#state === ServerState.LISTENING,
        opened: (conn) => {
          this.#sockets++;
          if (this.#manual) this.#accepted.push(conn as ClientConnection<TState>);
        },
        resumed: () => this.#sockets++,
        closed: () => this.#socketClosed(),
    });
    await this.#broker.start((d) => rt.fanout.deliver(d), this.#logger);
    await rt.sessions?.startShared(this.#logger);
    this.handler[ATTACH](rt);
    const o = this.options;
    try {
      this.#port = await this.#engine.listen(handlers, o);
    } catch (err) {
      this.handler[ATTACH](undefined);
      throw new WebSocketError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    this.#state = ServerState.LISTENING;
    rt.slowConsumers.start(this.options.backpressureCheckInterval);
    const signals = this.#options.shutdownSignals;
    if (signals !== undefined && signals !== false) {
      this.#unlistenSignals = onShutdownSignals(signals === true ? ["SIGTERM", "SIGINT"] : signals, this.#logger, () => this.close());
    }
    return this;
  }

  /** Health routes and the middleware's `setup`: before the engine listens (routes, observers). */
  #setUp(rt: Runtime): void {
    const routed = (): void => {
      if (this.#options.httpServer !== undefined) this.#logger.warn("WebSocketServer: HTTP routes (health, metrics) are not served on an attached httpServer; mount them on your application.");
    };
    if (this.#options.health !== undefined && this.#options.health !== false) {
      routed();
      for (const [path, route] of healthRoutes(this.#options.health, () => this.#state, () => this.ready)) this.#engine.route(path, route);
    }
    const observers: ServerObserver[] = [];
    const broker = this.#broker;
    const server = this;
    const host: MiddlewareHost = {
      route: (path, route) => {
        routed();
        this.#engine.route(path, route);
      },
      observe: (observer) => void observers.push(observer),
      figures: {
        get connections() {
          return rt.clients.size;
        },
        get channels() {
          return rt.registry.exact.size;
        },
        get patterns() {
          return rt.registry.patterns.size;
        },
        get deliveries() {
          return rt.fanout.delivered;
        },
        get stats() {
          return rt.stats;
        },
        get brokerUp() {
          return broker.linkUp !== false;
        },
        get ready() {
          return server.ready;
        },
      },
    };
    for (const m of this.#middleware) m.setup?.(host);
    rt.observer = combineObservers(observers);
  }

  /** Starts (if needed) and resolves when the server has been closed. */
  async serveForever(): Promise<void> {
    if (this.#state === ServerState.IDLE) await this.start();
    if (this.#state === ServerState.CLOSED) return;
    await new Promise<void>((resolve) => this.#stopped.push(resolve));
  }

  /**
   * Manual mode: the next connection. Throws TypeError when the server has a handler.
   */
  accept(): Promise<ClientConnection<TState>> {
    if (!this.#manual) return Promise.reject(new TypeError("accept() is only available when the server has no handler."));
    if (this.#state === ServerState.IDLE) return Promise.reject(new WebSocketError("The server is not started."));
    return this.#accepted.take(null, () => new WebSocketError("unreachable"));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ClientConnection<TState>> {
    for (;;) {
      try {
        yield await this.accept();
      } catch (err) {
        if (this.#state === ServerState.CLOSING || this.#state === ServerState.CLOSED) return;
        throw err;
      }
    }
  }

  /**
   * Shuts down gracefully: readiness flips at once (`ready`, `/readyz` → 503) and new connections are refused
   * with 503 while the port stays open for health checks; running RPC calls and streams get up to
   * `closeGracePeriod` to finish; then the port closes, `handler.onServerShutdown()` runs, every client gets
   * 1001, and it resolves when every socket is gone.
   */
  async close(): Promise<void> {
    if (this.#state === ServerState.CLOSED || this.#state === ServerState.IDLE) {
      this.#state = ServerState.CLOSED;
      return;
    }
    if (this.#state === ServerState.CLOSING) return new Promise((resolve) => this.#stopped.push(resolve));
    this.#state = ServerState.CLOSING;
    const rt = this.#runtime as Runtime;
    rt.slowConsumers.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([rt.callsSettled(), new Promise<void>((r) => (timer = setTimeout(r, this.options.closeGracePeriod)))]);
    clearTimeout(timer);
    this.#engine.stopListening();
    this.#unlistenSignals?.();
    try {
      await this.handler.onServerShutdown();
    } catch (err) {
      rt.reportError(err, undefined);
    }
    const gone = this.#sockets === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#allClosed.push(resolve));
    rt.sessions?.handOver(); // with a shared store, sessions stay resumable on the other nodes
    for (const conn of [...rt.clients]) conn.close(CloseCode.GOING_AWAY, "Server shutting down");
    await gone;
    rt.sessions?.endAll();
    await rt.sessions?.closeShared();
    this.#engine.closed();
    this.#accepted.close(new WebSocketError("The server is closed."));
    await this.#broker.close();
    this.handler[ATTACH](undefined);
    this.#state = ServerState.CLOSED;
    for (const s of this.#stopped.splice(0)) s();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #socketClosed(): void {
    this.#sockets--;
    if (this.#sockets === 0) for (const r of this.#allClosed.splice(0)) r();
  }
}
