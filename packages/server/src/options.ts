import type { RateLimitStore, SessionState } from "@webshocket/guards";
import type { EngineOption } from "./engine/engineOption.js";
import type { HttpServerLike } from "./http/httpServerLike.js";
import type { Broker } from "./broker/broker.js";
import type { AllowedOrigins, Authenticate } from "./handshake.js";
import type { WebSocketHandler } from "./handler.js";
import type { Logger } from "./logger.js";
import type { MiddlewareLike } from "./middleware/middleware.js";


/** A signal name, as `process.on` takes it (`"SIGTERM"`, `"SIGINT"`, …); a string here so browser projects importing handler types need no Node types. */
export type ShutdownSignal = `SIG${string}`;
/** Paths of the health routes (`health` option). */
export interface HealthOptions {
  /** Liveness: 200 while the process serves. Default: "/healthz". */
  livePath?: string;
  /** Readiness: 200 while the server takes connections and its broker link is up, else 503. Default: "/readyz". */
  readyPath?: string;
}
import { compileTrustProxy, type ProxyTrust, type TrustProxy } from "./http/trustProxy.js";
import { resolveResume, type ResolvedResume, type ResumeOptions } from "./session/resumeOptions.js";
import { resolveHistory, type HistoryOptions, type ResolvedHistory } from "./history/historyOptions.js";

export type { ResumeOptions } from "./session/resumeOptions.js";
export type { HistoryOptions } from "./history/historyOptions.js";

/** TLS (wss://) from PEM files. */
export interface TlsOptions {
  /** Path of the PEM private key. */
  keyFile: string;
  /** Path of the PEM certificate (chain). */
  certFile: string;
  /** Passphrase of the key, if any. Default: none. */
  passphrase?: string;
  /** CA file for client certificates. Default: none. */
  caFile?: string;
}

/** Options of `new WebSocketServer(...)`. */
export interface WebSocketServerOptions<TState extends object = SessionState> {
  /** Interface to listen on. Default: "127.0.0.1". Use "0.0.0.0" for all interfaces. */
  host?: string;
  /** Port; 0 picks a free one (read it back from `server.port`). Default: 5000. */
  port?: number;
  /**
   * Your handler: an instance or a class with a no-argument constructor. Default: none,
   * which is manual mode (`server.accept()`, `conn.recv()`).
   */
  handler?: WebSocketHandler<TState> | (new () => WebSocketHandler<TState>);
  /** Serve wss:// with these PEM files. Default: plain ws://. */
  tls?: TlsOptions;
  /**
   * The transport under the server: "uws" (native uWebSockets.js), "ws" (the `ws` package on Node's http
   * server: runs everywhere), "auto" (uws when its native binary loads here, else ws, saying why in one
   * startup line), or a uWebSockets.js module object to run on, e.g. `@btc-vision/uwebsockets.js` on Node 22+
   * with glibc >= 2.38. `server.engine` tells which one runs. Default: the WEBSHOCKET_ENGINE environment
   * variable, else "auto" (which loads the module named by WEBSHOCKET_UWS_MODULE when that is set); "ws" with
   * `httpServer`.
   */
  engine?: EngineOption;
  /**
   * Attach to the application's Node HTTP(S) server (Express, Fastify, …) instead of listening on a port of its
   * own: the ws engine then takes the upgrades to `path` and leaves every other request to the application.
   * `host`, `port` and `tls` are the application server's; `start()` does not listen and `close()` leaves that
   * server open. Default: none (the server listens on `host`:`port`).
   */
  httpServer?: HttpServerLike;
  /**
   * The URL path WebSocket upgrades are taken on, e.g. "/ws"; others get 404 (or, on an attached `httpServer`,
   * are left to its other upgrade listeners). Default: every path.
   */
  path?: string;
  /**
   * Open connections (plus handshakes waiting for `authenticate`) the server takes. Past it, an upgrade is
   * refused with HTTP 503 and a `Retry-After` header (`retryAfter`) before any WebSocket opens. Default: unlimited.
   */
  maxConnections?: number;
  /**
   * Seconds a client refused with 503 (at `maxConnections`, or while the server is closing) is told to wait
   * before trying again, in the `Retry-After` header. Default: 2.
   */
  retryAfter?: number;
  /** Largest message accepted, in bytes; bigger closes that socket with 1009. Default: 16 MiB. */
  maxPayloadLength?: number;
  /** RPC calls one connection may have running at once; more are answered with RATE_LIMIT_EXCEEDED. Default: 1024. */
  rpcTaskLimit?: number;
  /** Channels + patterns one connection may hold; `subscribe` returns false past it. Default: 5 (as the Python library). */
  maxSubscribedChannels?: number;
  /**
   * Longest channel pattern (a name with `*`, `?` or `[...]`) a connection may subscribe to, in UTF-16 code
   * units; `subscribe` returns false, taking no slot, past it. Matching costs up to name length × pattern
   * length steps, so this and `maxChannelNameLength` bound the work one publish asks of each pattern.
   * Default: 256.
   */
  maxPatternLength?: number;
  /**
   * Longest channel name that may be subscribed to (`subscribe` returns false, taking no slot) or published
   * to (`publish` throws an RPCError with code INVALID_PARAMS), in UTF-16 code units. Default: 1024.
   */
  maxChannelNameLength?: number;
  /**
   * Seconds without traffic before a socket is closed. A socket silent for part of it gets a ping (uws: at
   * `idleTimeout` minus 4, 8 or 16 s, so 24 s at the default; ws: after half of it, to 5/8), so only a peer that
   * answers nothing is dropped, and an idle connection carries a ping and its pong well inside common proxy idle
   * limits (nginx's 60 s `proxy_read_timeout`, AWS ALB's 60 s, Cloudflare's 100 s). Raise it only together with
   * those limits. 0 disables (no pings either); otherwise at least 8 (uWebSockets.js's floor). Default: 40.
   */
  idleTimeout?: number;
  /** permessage-deflate with a shared compressor. Default: false. */
  compression?: boolean;
  /**
   * Outgoing messages longer than this many bytes leave as WebSocket fragments of at most this many bytes
   * (a first frame, continuation frames, a last frame), as the Python library sends them: its client refuses
   * frames over 10 MiB. Clients reassemble fragments themselves. An integer of at least 1024, or 0 (or
   * Infinity) to send every message in one frame. A fragmented message is sent uncompressed. A message whose
   * fragments could take the socket's buffer past `maxBackpressure` goes in one frame instead (the engines send a
   * frame whole or drop it whole; a message cut short would corrupt the stream). Default: 65536 (64 KiB).
   */
  chunkSize?: number;
  /** Send JSON to generic clients in binary frames (true) or text frames (false). Default: true. */
  jsonBinaryFrames?: boolean;
  /**
   * Bytes a socket may have waiting to be written. A client that stops reading while the server
   * keeps sending passes it and is a slow consumer: it is reported (`handler.onSlowConsumer`,
   * `server.stats`), gets nothing more, and is closed with 1008 once its buffer drains, or dropped
   * after `slowConsumerGrace` (the client then sees 1006). Default: 16 MiB.
   */
  maxBackpressure?: number;
  /** Ms a slow consumer gets to read what is buffered before its socket is dropped. Default: 5000. */
  slowConsumerGrace?: number;
  /** How often (ms) sockets are checked for backpressure (besides each send's own report); 0 disables. Default: 1000. */
  backpressureCheckInterval?: number;
  /** A streaming RPC is not pulled while its socket has more than this many bytes buffered. Default: 1 MiB. */
  streamHighWaterMark?: number;
  /** Packets buffered per connection for `recv()` in manual mode (oldest dropped). Default: 512. */
  packetQueueSize?: number;
  /**
   * Milliseconds `close()` waits for running RPC calls (and streams) before it calls `onServerShutdown` and
   * closes the sockets with 1001. Default: 5000.
   */
  closeGracePeriod?: number;
  /** Rate-limit state. Default: an in-memory store. */
  rateLimitStore?: RateLimitStore;
  /** Carries publishes and broadcasts (in-process by default; Redis to scale out). */
  broker?: Broker;
  /** Where diagnostics go. Default: warnings and errors to the console. */
  logger?: Logger;
  /**
   * Browser origins allowed to connect (exact strings like "https://app.example", "*" for any, or a
   * function). A browser handshake from any other origin is refused with 403 before the upgrade,
   * which blocks cross-site WebSocket hijacking. Requests without an Origin header (non-browser
   * clients) are not affected. Default: every origin (set this when browsers send cookies).
   */
  allowedOrigins?: AllowedOrigins;
  /**
   * Runs before each upgrade with the request's headers, query and address: accept with an initial
   * session state, or refuse with 401 (return false) or any status (throw HandshakeRejection).
   * Default: everyone is accepted with empty state.
   */
  authenticate?: Authenticate<TState>;
  /**
   * Interceptors around every RPC call and around connection open/close, the first outermost (see
   * `Middleware`); more can be added with `server.use()` before `start()`. Metrics (`@webshocket/server/metrics`)
   * and tracing (`@webshocket/server/tracing`) are middleware. Default: none (calls take the usual path).
   */
  middleware?: readonly MiddlewareLike<TState>[];
  /**
   * Serve `/healthz` (200 while the process serves) and `/readyz` (200 when ready; 503 while the server is
   * closing or its broker link is down) on the WebSocket port, on either engine (not on an attached
   * `httpServer`: read `server.ready` there). `true` or the paths. Default: off.
   */
  health?: boolean | HealthOptions;
  /**
   * Shut down gracefully on these signals (`true`: SIGTERM and SIGINT): `close()` (readiness flips at once,
   * new connections are refused with 503, running calls get `closeGracePeriod`, `onServerShutdown` runs,
   * clients see 1001), then the process exits with code 0. A second signal exits at once with code 1.
   * Default: off (the process's own signal handling).
   */
  shutdownSignals?: boolean | readonly ShutdownSignal[];
  /**
   * Session resumption (PROTOCOL.md § Session resumption): a client that opts in and drops unexpectedly
   * keeps its uid, state, subscriptions, rate-limit windows and every message addressed to it for
   * `window`, and gets them back, in order and once, when it reconnects with its token. `true` for the
   * defaults (`{ window: "2m", maxMessages: 10_000, maxBytes: "8MiB" }`). Default: off (false).
   */
  resume?: ResumeOptions | boolean;
  /**
   * Per-channel history (PROTOCOL.md § Channel history): the last publications of every exact channel (or
   * those `channels` matches), bounded by `size` and `ttl`, with (epoch, offset) positions, for
   * `handler.history()` and clients' `$history` calls. `true` for the defaults
   * (`{ size: 1000, ttl: "5m" }`, every channel). Kept in this process's memory, by reference.
   * Default: off (false).
   */
  history?: HistoryOptions | boolean;
  /**
   * Behind a reverse proxy, load balancer or tunnel (nginx, AWS ALB, cloudflared): the proxies whose
   * `X-Forwarded-For` header is believed, as addresses and CIDR ranges (e.g. `["127.0.0.1", "::1"]`,
   * `["10.0.0.0/8"]`), a function of the peer address, or `{ proxies, header: "forwarded" }` to read the RFC 7239
   * `Forwarded` header instead. When the peer is one of them, `conn.remoteAddress` (and `authenticate`'s
   * `remoteAddress`) is the rightmost address in the header that is not a trusted proxy; a missing or malformed
   * header leaves the peer's address. There is no "trust everyone": any client could then claim any address.
   * Default: none (the peer's address, i.e. the proxy's when there is one).
   */
  trustProxy?: TrustProxy;
}

/** Options with defaults applied. */
export type ResolvedOptions = Required<
  Omit<WebSocketServerOptions, "handler" | "tls" | "rateLimitStore" | "broker" | "logger" | "allowedOrigins" | "authenticate" | "engine" | "httpServer" | "path" | "trustProxy" | "resume" | "history" | "middleware" | "health" | "shutdownSignals">
> &
  Pick<WebSocketServerOptions, "tls" | "allowedOrigins" | "authenticate" | "path"> & {
    /** `trustProxy` compiled; undefined: the peer address is the client's. */
    trustProxy: ProxyTrust | undefined;
    /** `resume` with defaults applied; undefined: off. */
    resume: ResolvedResume | undefined;
    /** `history` with defaults applied; undefined: off. */
    history: ResolvedHistory | undefined;
  };

export function resolveOptions(o: WebSocketServerOptions<never>): ResolvedOptions {
  const positiveInt = (name: string, v: number | undefined, dflt: number): number => {
    const value = v ?? dflt;
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`WebSocketServer: ${name} must be a non-negative integer, got ${String(v)}.`);
    return value;
  };
  return {
    host: o.host ?? "127.0.0.1",
    port: positiveInt("port", o.port, 5000),
    tls: o.tls,
    path: checkPath(o.path),
    maxConnections: o.maxConnections ?? Number.POSITIVE_INFINITY,
    retryAfter: positiveInt("retryAfter", o.retryAfter, 2),
    maxPayloadLength: positiveInt("maxPayloadLength", o.maxPayloadLength, 16 * 1024 * 1024),
    rpcTaskLimit: positiveInt("rpcTaskLimit", o.rpcTaskLimit, 1024),
    maxSubscribedChannels: o.maxSubscribedChannels ?? 5,
    maxPatternLength: positiveInt("maxPatternLength", o.maxPatternLength, 256),
    maxChannelNameLength: positiveInt("maxChannelNameLength", o.maxChannelNameLength, 1024),
    idleTimeout: idleTimeout(positiveInt("idleTimeout", o.idleTimeout, 40)),
    compression: o.compression ?? false,
    chunkSize: chunkSize(o.chunkSize),
    jsonBinaryFrames: o.jsonBinaryFrames ?? true,
    maxBackpressure: positiveInt("maxBackpressure", o.maxBackpressure, 16 * 1024 * 1024),
    slowConsumerGrace: positiveInt("slowConsumerGrace", o.slowConsumerGrace, 5000),
    backpressureCheckInterval: positiveInt("backpressureCheckInterval", o.backpressureCheckInterval, 1000),
    streamHighWaterMark: positiveInt("streamHighWaterMark", o.streamHighWaterMark, 1024 * 1024),
    packetQueueSize: positiveInt("packetQueueSize", o.packetQueueSize, 512),
    closeGracePeriod: positiveInt("closeGracePeriod", o.closeGracePeriod, 5000),
    allowedOrigins: o.allowedOrigins,
    authenticate: o.authenticate as ResolvedOptions["authenticate"],
    resume: resolveResume(o.resume, positiveInt("maxBackpressure", o.maxBackpressure, 16 * 1024 * 1024)),
    history: resolveHistory(o.history),
    trustProxy: o.trustProxy === undefined ? undefined : compileTrustProxy(o.trustProxy),
  };
}


function checkPath(path: string | undefined): string | undefined {
  if (path === undefined || (path.startsWith("/") && !/[?#*\s]/.test(path))) return path;
  throw new RangeError(`WebSocketServer: path must be a URL path such as "/ws" (no query, "*" or spaces), got ${JSON.stringify(path)}.`);
}

/** Smallest chunkSize: a frame header is 2–10 bytes, so smaller fragments would be mostly overhead. */
const MIN_CHUNK_SIZE = 1024;

function chunkSize(value: number | undefined): number {
  if (value === undefined) return 65536;
  if (value === 0 || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (Number.isInteger(value) && value >= MIN_CHUNK_SIZE) return value;
  throw new RangeError(`WebSocketServer: chunkSize must be an integer of at least ${MIN_CHUNK_SIZE} bytes, or 0 to never fragment, got ${String(value)}.`);
}

function idleTimeout(seconds: number): number {
  // uWebSockets.js terminates the process on 1-7; refused here on every engine, with a clear error.
  if (seconds === 0 || seconds >= 8) return seconds;
  throw new RangeError(`WebSocketServer: idleTimeout must be 0 (off) or at least 8 seconds, got ${seconds}.`);
}
