import type { RedisClientOptions } from "@redis/client";
import type { HistoryOptions } from "@webshocket/server";

/** Options of `new RedisBroker(...)`. */
export interface RedisBrokerOptions {
  /**
   * Where Redis is: `redis[s]://[[user][:password]@]host[:port][/db]`.
   * @default "redis://127.0.0.1:6379"
   */
  url?: string;
  /**
   * Prefix of every Redis channel the broker uses (`<prefix>c:<channel>`, `<prefix>b`).
   * The nodes of one cluster must share it; two clusters on one Redis must not.
   * @default "webshocket:"
   */
  prefix?: string;
  /**
   * How long `start()` (so `server.start()`) waits for the first connection to Redis
   * before failing with `RedisUnavailableError`.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * A publish that Redis has not acknowledged within this many milliseconds rejects
   * (so a publish never hangs on a dead link); 0 waits for the connection to fail instead.
   * @default 5000
   */
  publishTimeoutMs?: number;
  /**
   * First reconnect delay after Redis is lost; it doubles per attempt (with jitter) up to
   * `reconnectMaxDelayMs`. Reconnection never gives up.
   * @default 50
   */
  reconnectMinDelayMs?: number;
  /**
   * Longest delay between reconnect attempts.
   * @default 2000
   */
  reconnectMaxDelayMs?: number;
  /**
   * More node-redis client options (TLS, credentials, `socket` settings, ...), used for
   * both of the broker's connections. `url`, `disableOfflineQueue` and
   * `socket.reconnectStrategy` are set by the broker.
   * @default {}
   */
  clientOptions?: RedisClientOptions;
  /**
   * Channel history in Redis, shared by every node (`true`: 1,000 publications and 5 minutes per channel; or
   * `{ size, ttl, channels }` as the server's `history` option, which must then be left out). Publishes on
   * channels that keep it get their position from one Lua script (stream, offset, epoch and the pub/sub
   * message together), and every node, this one included, delivers them in offset order when they come back
   * through its subscription, with the position on the message for clients that asked for positions.
   * @default false
   */
  history?: HistoryOptions | boolean;
}

/** {@link RedisBrokerOptions} with defaults applied. */
export type ResolvedRedisBrokerOptions = Required<Omit<RedisBrokerOptions, "history">> & { history: HistoryOptions | false };

/** Applies defaults and validates. @throws TypeError / RangeError naming the bad option. */
export function resolveBrokerOptions(o: RedisBrokerOptions): ResolvedRedisBrokerOptions {
  if (typeof o !== "object" || o === null) throw new TypeError("RedisBroker: options must be an object, e.g. { url: \"redis://127.0.0.1:6379\" }.");
  const resolved: ResolvedRedisBrokerOptions = {
    url: o.url ?? "redis://127.0.0.1:6379",
    prefix: o.prefix ?? "webshocket:",
    connectTimeoutMs: nonNegative("connectTimeoutMs", o.connectTimeoutMs, 10_000),
    publishTimeoutMs: nonNegative("publishTimeoutMs", o.publishTimeoutMs, 5000),
    reconnectMinDelayMs: nonNegative("reconnectMinDelayMs", o.reconnectMinDelayMs, 50),
    reconnectMaxDelayMs: nonNegative("reconnectMaxDelayMs", o.reconnectMaxDelayMs, 2000),
    clientOptions: o.clientOptions ?? {},
    history: o.history === true ? {} : (o.history ?? false),
  };
  if (typeof resolved.url !== "string" || !/^rediss?:\/\//.test(resolved.url)) {
    throw new TypeError(`RedisBroker: url must start with redis:// or rediss://, got ${String(resolved.url)}.`);
  }
  if (typeof resolved.prefix !== "string") throw new TypeError("RedisBroker: prefix must be a string.");
  return resolved;
}

/** Validates a millisecond option: a finite number >= 0. */
export function nonNegative(name: string, value: number | undefined, dflt: number): number {
  const v = value ?? dflt;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a number of milliseconds >= 0, got ${String(value)}.`);
  return v;
}

/** The URL without its password, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@]*):[^/@]*@/, "//$1:***@");
}
