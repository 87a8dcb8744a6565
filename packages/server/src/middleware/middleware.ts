import type { SessionState } from "@webshocket/guards";
import type { RPCError } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import type { HttpRoute } from "../http/httpRoute.js";
import type { ServerStats } from "../runtime.js";

/** Runs the rest of the chain (and the method); resolves (or returns) when it is done. Never throws: see `ctx.error`. */
export type Next = () => void | Promise<void>;

/** One RPC call as middleware sees it. */
export interface CallContext<TState extends object = SessionState> {
  readonly conn: ClientConnection<TState>;
  /** The method's registered name, or the name as sent when no method has it (`known` is false). */
  readonly method: string;
  /** True when a registered method has this name. Use it to bound labels: `known ? method : "<unknown>"`. */
  readonly known: boolean;
  /** True for a streaming method: `next()` settles when the stream has ended (completed, failed or cancelled). */
  readonly streaming: boolean;
  readonly callId: string;
  /** Positional arguments; may be replaced before `next()`. */
  args: readonly unknown[];
  /** Keyword arguments; may be replaced before `next()`. */
  kwargs: Record<string, unknown>;
  /** The W3C `traceparent` the client sent with the request (`rpc.traceparent`), if any. */
  readonly traceparent: string | undefined;
  /** After `next()`: what the method returned (unary calls). Replace it to transform the answer. */
  result: unknown;
  /**
   * After `next()`: why the call failed, as the RPCError whose code and message the client gets (an unexpected
   * error becomes INTERNAL_SERVER_ERROR, the original in `cause`). Set it (or throw) to answer with an error.
   */
  error: RPCError | undefined;
  /** `performance.now()` when the call arrived. */
  readonly startTime: number;
  /** Milliseconds from arrival until the innermost `next()` settled, or until a hook failed the call (set after `next()`). */
  duration: number;
  /** Streams: values sent so far. */
  chunks: number;
  /** Streams: true when the client cancelled or disconnected before the end. */
  cancelled: boolean;
}

/** A connection opening (around `onConnect`) or closing (around `onDisconnect`). */
export interface ConnectionContext<TState extends object = SessionState> {
  readonly conn: ClientConnection<TState>;
  /** Closing only: the WebSocket close code (1006 when the socket dropped without a close frame). */
  readonly code: number | undefined;
}

/**
 * Interceptors around what the server does, in the order given (the first is outermost). Each hook calls
 * `next()` to go on (awaiting it when it wants to see the outcome) and may return a promise.
 *
 * - `call`: around every RPC call (methods of the handler; `$cancel`/`$credit` are not seen). Throwing (or
 *   setting `ctx.error`) refuses or fails the call: an RPCError keeps its code (`RPCError("no", { rpcCode:
 *   RPCErrorCode.ACCESS_DENIED })`), anything else answers INTERNAL_SERVER_ERROR and goes to `onError`.
 *   Before `next()` the lookup has happened; after it `ctx.result`/`ctx.error`/`ctx.duration` are set, and
 *   replacing `ctx.result` transforms the answer (not a stream's values, which are sent as they come).
 * - `open`: around `onConnect`. Throwing closes the socket with 1008 (and `onConnect` is not called when the
 *   throw comes before `next()`).
 * - `close`: around `onDisconnect`.
 * - `setup`: called once by `server.start()`, before the server listens (metrics, health routes).
 *
 * A bare function is shorthand for `{ call }`. With no middleware installed, calls take the usual path.
 */
export interface Middleware<TState extends object = SessionState> {
  call?(ctx: CallContext<TState>, next: Next): void | Promise<void>;
  open?(ctx: ConnectionContext<TState>, next: Next): void | Promise<void>;
  close?(ctx: ConnectionContext<TState>, next: Next): void | Promise<void>;
  setup?(host: MiddlewareHost): void;
}

/** What `server.use()` and the `middleware` option take. */
export type MiddlewareLike<TState extends object = SessionState> = Middleware<TState> | ((ctx: CallContext<TState>, next: Next) => void | Promise<void>);

/** Events that are not calls, for metrics. Each is optional; none is called when no observer is installed. */
export interface ServerObserver {
  /** A message arrived: its size in bytes. */
  messageIn?(conn: ClientConnection, bytes: number): void;
  /** A message was handed to the socket (or dropped: `result` 2): its size in bytes. */
  messageOut?(conn: ClientConnection, bytes: number, result: number): void;
  /** A publish or broadcast handed to a distributed broker settled after `seconds` (`ok` false: it failed). */
  brokerPublish?(seconds: number, ok: boolean): void;
}

/** What `setup` gets: the running server's figures, HTTP routes on its port, observers. */
export interface MiddlewareHost {
  /** Serves GET `path` on the WebSocket port (both engines; not on an attached `httpServer`). */
  route(path: string, answer: HttpRoute): void;
  /** Adds an observer of messages and broker publishes. */
  observe(observer: ServerObserver): void;
  /** Live figures, read when asked. */
  readonly figures: ServerFigures;
}

/** Figures of a running server, read on demand (e.g. at each scrape). */
export interface ServerFigures {
  /** Open connections. */
  readonly connections: number;
  /** Exact channels with at least one subscriber. */
  readonly channels: number;
  /** Distinct patterns with at least one subscriber. */
  readonly patterns: number;
  /** Messages queued to recipients by publish and broadcast on this node. */
  readonly deliveries: number;
  /** Counters of the server (`server.stats`). */
  readonly stats: Readonly<ServerStats>;
  /** Whether the broker's link is up (true for a broker without one). */
  readonly brokerUp: boolean;
  /** True while the server takes new connections and its broker link is up. */
  readonly ready: boolean;
}
