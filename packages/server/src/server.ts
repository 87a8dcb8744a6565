import { RateLimiter, MemoryRateLimitStore, type SessionState } from "@webshocket/guards";
import { CloseCode, ServerState, WebSocketError } from "@webshocket/protocol";
import type { Broker } from "./broker/broker.js";
import { LocalBroker } from "./broker/localBroker.js";
import type { ClientConnection } from "./connection.js";
import { ATTACH, DefaultWebSocketHandler, WebSocketHandler } from "./handler.js";
import { defaultLogger, type Logger } from "./logger.js";
import { isNative, uws, warnIfNotNative, type TemplatedApp, type us_listen_socket, type us_socket } from "./native.js";
import { resolveOptions, type ResolvedOptions, type WebSocketServerOptions } from "./options.js";
import { PacketQueue } from "./packetQueue.js";
import { Runtime, type ServerStats } from "./runtime.js";
import { socketBehavior } from "./socketBehavior.js";

/**
 * A webshocket server on uWebSockets.js.
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
  /** Application HTTP routes can be added here before start() (e.g. `server.app.get("/", ...)`). */
  readonly app: TemplatedApp;
  readonly #manual: boolean;
  readonly #logger: Logger;
  readonly #broker: Broker;
  readonly #limiter: RateLimiter;
  readonly #accepted: PacketQueue<ClientConnection<TState>>;
  #runtime: Runtime | undefined;
  #listenSocket: us_listen_socket | undefined;
  #port: number | undefined;
  #state = ServerState.IDLE;
  #sockets = 0;
  #allClosed: Array<() => void> = [];
  #stopped: Array<() => void> = [];

  constructor(options: WebSocketServerOptions<TState> = {}) {
    this.options = resolveOptions(options as WebSocketServerOptions<never>);
    const h = options.handler;
    this.#manual = h === undefined;
    this.handler = (h === undefined ? new DefaultWebSocketHandler() : typeof h === "function" ? new h() : h) as WebSocketHandler<TState>;
    if (!(this.handler instanceof WebSocketHandler)) throw new TypeError("WebSocketServer: handler must extend WebSocketHandler.");
    this.#logger = options.logger ?? defaultLogger;
    this.#broker = options.broker ?? new LocalBroker();
    this.#limiter = new RateLimiter(options.rateLimitStore ?? new MemoryRateLimitStore());
    this.#accepted = new PacketQueue(Number.POSITIVE_INFINITY);
    const tls = this.options.tls;
    this.app = tls
      ? uws.SSLApp({ key_file_name: tls.keyFile, cert_file_name: tls.certFile, passphrase: tls.passphrase ?? "", ...(tls.caFile ? { ca_file_name: tls.caFile } : {}) })
      : uws.App();
  }

  /** True when the native uWebSockets.js binary is running (not the slow JS fallback). */
  get native(): boolean {
    return isNative;
  }
  get state(): ServerState {
    return this.#state;
  }
  /** The bound port (useful after listening on port 0). */
  get port(): number {
    if (this.#port === undefined) throw new WebSocketError("The server is not listening.");
    return this.#port;
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
    return this.#runtime?.stats ?? { droppedMessages: 0, slowConsumers: 0, slowConsumerDisconnects: 0 };
  }

  /** Starts listening. Resolves once the port is bound. */
  async start(): Promise<this> {
    if (this.#state !== ServerState.IDLE) throw new WebSocketError(`Cannot start a server that is ${this.#state}.`);
    warnIfNotNative((m) => this.#logger.warn(m));
    const rt = new Runtime(this.handler as WebSocketHandler<SessionState>, this.options, this.#broker, this.#logger, this.#limiter);
    this.#runtime = rt;
    this.app.ws(
      "/*",
      socketBehavior(rt, {
        accepting: () => this.#state === ServerState.LISTENING,
        opened: (conn) => {
          this.#sockets++;
          if (this.#manual) this.#accepted.push(conn as ClientConnection<TState>);
        },
        closed: () => this.#socketClosed(),
      }),
    );
    await this.#broker.start((d) => rt.fanout.deliver(d), this.#logger);
    this.handler[ATTACH](rt);
    const { host, port } = this.options;
    const socket = await new Promise<us_listen_socket | false>((resolve) => this.app.listen(host, port, resolve));
    if (socket === false) {
      this.handler[ATTACH](undefined);
      throw new WebSocketError(`Could not listen on ${host}:${port} (in use, or not allowed).`);
    }
    this.#listenSocket = socket;
    this.#port = uws.us_socket_local_port(socket as unknown as us_socket);
    this.#state = ServerState.LISTENING;
    rt.slowConsumers.start(this.options.backpressureCheckInterval);
    return this;
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
   * Stops accepting, lets running RPC calls finish (up to closeGracePeriod), sends
   * 1001 to every client and resolves when every socket is gone.
   */
  async close(): Promise<void> {
    if (this.#state === ServerState.CLOSED || this.#state === ServerState.IDLE) {
      this.#state = ServerState.CLOSED;
      return;
    }
    if (this.#state === ServerState.CLOSING) return new Promise((resolve) => this.#stopped.push(resolve));
    this.#state = ServerState.CLOSING;
    if (this.#listenSocket) uws.us_listen_socket_close(this.#listenSocket);
    this.#listenSocket = undefined;
    const rt = this.#runtime as Runtime;
    rt.slowConsumers.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([rt.callsSettled(), new Promise<void>((r) => (timer = setTimeout(r, this.options.closeGracePeriod)))]);
    clearTimeout(timer);
    const gone = this.#sockets === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#allClosed.push(resolve));
    for (const conn of [...rt.clients]) conn.close(CloseCode.GOING_AWAY, "Server shutting down");
    await gone;
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
