import { createClient, type RedisClientOptions } from "@redis/client";
import type { RateLimitStore } from "@webshocket/guards";
import { randomId } from "@webshocket/protocol";
import { backoff } from "./backoff.js";
import { nonNegative, redactUrl } from "./redisBrokerOptions.js";
import { RedisUnavailableError } from "./redisUnavailableError.js";
import { SLIDING_WINDOW_SCRIPT, SLIDING_WINDOW_SHA } from "./slidingWindowScript.js";
import { withTimeout } from "./withTimeout.js";

/** The one method the store needs from a Redis client: any node-redis client fits. */
export interface RedisCommandClient {
  sendCommand(args: ReadonlyArray<string | Buffer>, options?: { timeout?: number }): Promise<unknown>;
}

/** Options of `new RedisRateLimitStore(...)`. */
export interface RedisRateLimitStoreOptions {
  /**
   * Where Redis is (ignored when `client` is given).
   * @default "redis://127.0.0.1:6379"
   */
  url?: string;
  /**
   * A connected node-redis client to share (e.g. the application's). The store then
   * neither connects nor closes it.
   * @default a connection of the store's own, opened on first use
   */
  client?: RedisCommandClient;
  /**
   * Prefix of the store's keys (`<prefix><owner length>:<owner>:<method>`, one sorted set each).
   * @default "webshocket:rl:"
   */
  prefix?: string;
  /**
   * Clock in milliseconds. By default Redis's own clock (`TIME`) is read inside the
   * script, so every node measures windows with one clock; set it only for tests.
   * @default undefined (Redis's clock)
   */
  now?: () => number;
  /**
   * How long the first use waits for the store's own connection.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * A check Redis has not answered within this many milliseconds rejects (the call is
   * then answered INTERNAL_SERVER_ERROR: the store fails closed); 0 waits for the link to fail.
   * @default 2000
   */
  commandTimeoutMs?: number;
  /**
   * Reconnect backoff of the store's own connection: first and longest delay (ms).
   * @default [50, 2000]
   */
  reconnectDelayMs?: readonly [min: number, max: number];
  /**
   * More node-redis options for the store's own connection (TLS, credentials, ...).
   * @default {}
   */
  clientOptions?: RedisClientOptions;
}

/**
 * A {@link RateLimitStore} in Redis, so `@rateLimit` holds across server nodes: a
 * true sliding window (an exact log of accepted calls in a sorted set per owner and
 * method, checked and updated atomically by one Lua script). Use it with a rate
 * limit `key` (e.g. a user id) to limit a user wherever they connect.
 *
 * When Redis cannot be reached, `consume` rejects with {@link RedisUnavailableError}
 * and the server answers the call INTERNAL_SERVER_ERROR (fail closed).
 *
 * @example
 * const server = new WebSocketServer({ handler, rateLimitStore: new RedisRateLimitStore({ url }) });
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly prefix: string;
  readonly #client: RedisCommandClient;
  readonly #own: ReturnType<typeof createClient> | undefined;
  readonly #url: string;
  readonly #now: (() => number) | undefined;
  readonly #connectTimeoutMs: number;
  readonly #commandOptions: { timeout?: number } | undefined;
  readonly #member = randomId();
  #calls = 0;
  #opening: Promise<unknown> | undefined;
  #connected = false;

  constructor(options: RedisRateLimitStoreOptions = {}) {
    this.prefix = options.prefix ?? "webshocket:rl:";
    this.#url = options.url ?? "redis://127.0.0.1:6379";
    this.#now = options.now;
    this.#connectTimeoutMs = nonNegative("connectTimeoutMs", options.connectTimeoutMs, 10_000);
    const timeout = nonNegative("commandTimeoutMs", options.commandTimeoutMs, 2000);
    this.#commandOptions = timeout > 0 ? { timeout } : undefined;
    if (options.client !== undefined) {
      this.#client = options.client;
      this.#connected = true;
      return;
    }
    const [min, max] = options.reconnectDelayMs ?? [50, 2000];
    const extra = options.clientOptions ?? {};
    this.#own = createClient({
      ...extra,
      url: this.#url,
      disableOfflineQueue: true,
      socket: { ...extra.socket, reconnectStrategy: backoff(nonNegative("reconnectDelayMs[0]", min, 50), nonNegative("reconnectDelayMs[1]", max, 2000)) },
    } as RedisClientOptions);
    this.#own.on("error", () => {}); // outages surface as rejected checks; node-redis reconnects
    this.#client = this.#own;
  }

  /** Opens the store's own connection (done on first use anyway). Resolves at once with a shared client. */
  async connect(): Promise<void> {
    if (this.#connected || this.#own === undefined) return;
    this.#opening ??= this.#own.connect();
    const where = redactUrl(this.#url);
    await withTimeout(this.#opening, this.#connectTimeoutMs, () => new RedisUnavailableError(`RedisRateLimitStore: could not connect to Redis at ${where} within ${this.#connectTimeoutMs} ms.`));
    this.#connected = true;
  }

  /** Records a call of `key` by `owner` when fewer than `limit` were accepted in the last `periodMs`. */
  async consume(owner: string, key: string, limit: number, periodMs: number): Promise<boolean> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}.`);
    if (!(periodMs > 0) || !Number.isFinite(periodMs)) throw new RangeError(`periodMs must be > 0, got ${periodMs}.`);
    if (!this.#connected) await this.connect();
    const redisKey = `${this.prefix}${owner.length}:${owner}:${key}`;
    const args = [String(limit), String(periodMs), `${this.#member}:${++this.#calls}`, this.#now === undefined ? "" : String(this.#now())];
    try {
      return (await this.#eval(redisKey, args)) === 1;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new RedisUnavailableError(`RedisRateLimitStore: rate-limit check failed, Redis at ${redactUrl(this.#url)} (${reason}).`, { cause: err });
    }
  }

  /**
   * Does nothing: every window expires in Redis `periodMs` after its newest call, and a
   * window keyed by a user must outlive any one of the user's connections.
   */
  release(_owner: string): void {}

  /** Closes the store's own connection (not a shared `client`). */
  async close(): Promise<void> {
    const own = this.#own;
    if (own === undefined || !own.isOpen) return;
    if (!own.isReady) return own.destroy();
    await own.close().catch(() => own.destroy());
  }

  async #eval(redisKey: string, args: string[]): Promise<unknown> {
    try {
      return await this.#client.sendCommand(["EVALSHA", SLIDING_WINDOW_SHA, "1", redisKey, ...args], this.#commandOptions);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return this.#client.sendCommand(["EVAL", SLIDING_WINDOW_SCRIPT, "1", redisKey, ...args], this.#commandOptions);
    }
  }
}
