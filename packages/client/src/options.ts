import { parseDuration, type Packet } from "@webshocket/protocol";
import type { WebSocketConstructor } from "./transport/types.js";

/** A duration string: `"500ms"`, `"2s"`, `"5m"`, `"1h"`, `"1d"`. */
export type DurationString = `${number}${"ms" | "s" | "m" | "h" | "d"}`;

/**
 * A duration. **A number is seconds** (as in the Python client: `retryInterval: 2`,
 * `rpcTimeout: 30`, `recv(30)`); a string names its unit (`"500ms"`, `"2s"`, `"1m"`).
 */
export type Duration = number | DurationString;

/** Node-only TLS settings for `wss://` URIs. The browser build throws when they are set. */
export interface TlsOptions {
  /** Trusted CA certificate(s), PEM. Default: Node's bundled root store. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Client certificate chain, PEM, for mutual TLS. Default: none. */
  cert?: string | Uint8Array | Array<string | Uint8Array>;
  /** Private key of `cert`, PEM. Default: none. */
  key?: string | Uint8Array | Array<string | Uint8Array>;
  /** Reject servers whose certificate does not verify. Default: `true`. */
  rejectUnauthorized?: boolean;
}

/** Backoff settings of automatic reconnection. Each defaults to the value given to `connect()`. */
export interface ReconnectOptions {
  /** Reconnection attempts before giving up. Default: `connect()`'s `maxRetryAttempt` (3). */
  maxRetryAttempt?: number;
  /** Base delay; attempt n waits `retryInterval · 2^n + jitter`. Default: `connect()`'s `retryInterval` (2 s). */
  retryInterval?: Duration;
  /** Upper bound of one delay. Default: `connect()`'s `maxRetryDelay` (30 s). */
  maxRetryDelay?: Duration;
}

/** Options of `new WebSocketClient(uri, options)`. */
export interface ClientOptions {
  /**
   * Called with every packet that is not an RPC response (CUSTOM, CHANNEL, BROADCAST, UNKNOWN).
   * When set, such packets go to this callback instead of the `recv()` queue. Default: none.
   */
  onReceive?: (packet: Packet) => void;
  /** Default timeout of `sendRpc`/`call` and typed calls; `null` waits forever. Default: `30` (seconds). */
  rpcTimeout?: Duration | null;
  /** Capacity of the `recv()` queue; when full the oldest packet is dropped. Default: `128`. */
  maxPacketQueue?: number;
  /** Node only: TLS settings for `wss://` (CA, client certificate, `rejectUnauthorized`). Default: none. */
  tls?: TlsOptions;
  /**
   * The WebSocket constructor to use. Default: the global `WebSocket` in browsers; in Node the
   * global one when it exists and no `tls` is set, else the `ws` package.
   */
  WebSocket?: WebSocketConstructor;
  /**
   * Wire format. `"msgpack"` offers subprotocol `webshocket.v1` and sends binary frames;
   * `"json"` offers no subprotocol and sends text frames (a "generic" client). Default: `"msgpack"`
   * (`"json"` in the JSON-only build, `@webshocket/client/json`, which has no msgpack code).
   */
  format?: "msgpack" | "json";
  /**
   * Reconnect after an unexpected drop, with the same backoff as `connect({ retry: true })`.
   * `true` uses the settings given to `connect()`; an object overrides them. Default: `false`.
   */
  autoReconnect?: boolean | ReconnectOptions;
  /**
   * Stream flow control: the most chunks a stream holds unread. The client grants the server
   * this many (`$credit`) and more as the loop reads, so a slow reader holds at most this many;
   * a server that sends more anyway (one without flow control, or a hostile one) gets its
   * stream ended with StreamOverflowError. `null` grants nothing and buffers without bound
   * (for reading a fast stream slowly from a server without flow control). Per call: `StreamOptions.window`.
   * Default: `64`.
   */
  streamWindow?: number | null;
  /**
   * Returns the W3C `traceparent` of the current trace (e.g. from `@opentelemetry/api`'s propagation), sent with
   * every call and stream as `rpc.traceparent` so the server's span becomes its child; undefined sends none.
   * Default: none (nothing is added to requests).
   */
  traceparent?: () => string | undefined;
}

/** Options of `client.connect(options)`. */
export interface ConnectOptions {
  /** Retry failed attempts with exponential backoff. Default: `false`. */
  retry?: boolean;
  /** Retries after the first attempt (so at most `1 + maxRetryAttempt` attempts). Default: `3`. */
  maxRetryAttempt?: number;
  /** Base delay: retry n (from 0) waits `retryInterval · 2^n + random · retryInterval`. Default: `2` (seconds). */
  retryInterval?: Duration;
  /** Upper bound of one delay. Default: `"30s"`. */
  maxRetryDelay?: Duration;
  /** Time one attempt may take to open. Default: `"10s"`. */
  connectTimeout?: Duration;
  /** Aborts connecting (and the waits between attempts). Default: none. */
  signal?: AbortSignal;
}

/** Options of one RPC call (`client.call`). */
export interface CallOptions {
  /** Keyword arguments, sent as `rpc.kwargs`. Default: `{}`. */
  kwargs?: Record<string, unknown>;
  /** Rejects with RPCTimeoutError after this long; `null` waits forever. Default: the client's `rpcTimeout` (30 s). */
  timeout?: Duration | null;
  /** Aborts the call (rejects with `signal.reason`, and cancels it on the server). Default: none. */
  signal?: AbortSignal;
  /** Reject with RateLimitError when the server answers RATE_LIMIT_EXCEEDED. Default: `false`. */
  raiseOnRateLimit?: boolean;
  /** Reject with RPCError (or its subclass) whenever the response carries an error. Default: `false`. */
  raiseOnError?: boolean;
}

/** Options of one streaming call (`client.stream`). */
export interface StreamOptions {
  /** Keyword arguments, sent as `rpc.kwargs`. Default: `{}`. */
  kwargs?: Record<string, unknown>;
  /** Longest wait for the next chunk before RPCTimeoutError (the stream is then cancelled). Default: none. */
  timeout?: Duration | null;
  /** Aborts the stream: the loop throws `signal.reason` and the call is cancelled on the server. Default: none. */
  signal?: AbortSignal;
  /**
   * Throw RateLimitError on RATE_LIMIT_EXCEEDED; when `false` the error packet is yielded as
   * the last item instead. Default: `true` (as the Python client's `stream_rpc`).
   */
  raiseOnRateLimit?: boolean;
  /** Chunks this stream may hold unread (see `ClientOptions.streamWindow`); `null` turns flow control off. Default: the client's `streamWindow` (64). */
  window?: number | null;
}

/** Converts a Duration to milliseconds. `null`, `Infinity` → `Infinity` (no limit). */
export function toMs(duration: Duration | null | undefined, fallback: Duration | null): number {
  const d = duration === undefined ? fallback : duration;
  if (d === null || d === Infinity) return Infinity;
  if (typeof d === "number") {
    if (!Number.isFinite(d) || d < 0) throw new RangeError(`Invalid duration ${d}: expected seconds >= 0.`);
    return d * 1000;
  }
  return parseDuration(d);
}

/** `fn` after `ms` milliseconds; no timer when `ms` is `Infinity` (no limit). */
export function after(ms: number, fn: () => void): ReturnType<typeof setTimeout> | undefined {
  return ms === Infinity ? undefined : setTimeout(fn, ms);
}

/** Defaults of every option, in one place. */
export const DEFAULTS = {
  rpcTimeout: 30,
  maxPacketQueue: 128,
  format: "msgpack",
  retry: false,
  maxRetryAttempt: 3,
  retryInterval: 2,
  maxRetryDelay: "30s",
  connectTimeout: "10s",
  recvTimeout: 30,
  closeTimeout: "2s",
  streamWindow: 64,
} as const satisfies Record<string, Duration | number | boolean | string>;

/** Connect settings with defaults applied, in milliseconds. */
export interface ResolvedBackoff {
  _retries: number;
  _intervalMs: number;
  _maxDelayMs: number;
}

/** Resolves the backoff part of connect options. */
export function resolveBackoff(options: ReconnectOptions, retry: boolean): ResolvedBackoff {
  const retries = retry ? (options.maxRetryAttempt ?? DEFAULTS.maxRetryAttempt) : 0;
  if (!(retries >= 0)) throw new RangeError(`maxRetryAttempt must be >= 0, got ${retries}`);
  return {
    _retries: retries,
    _intervalMs: toMs(options.retryInterval, DEFAULTS.retryInterval),
    _maxDelayMs: toMs(options.maxRetryDelay, DEFAULTS.maxRetryDelay),
  };
}
