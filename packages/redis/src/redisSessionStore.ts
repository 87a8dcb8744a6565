import { createClient, type RedisClientOptions } from "@redis/client";
import { randomId } from "@webshocket/protocol";
import type { Logger, ResumeFailure, SharedSessionStore, SharedTake } from "@webshocket/server";
import { backoff } from "./backoff.js";
import { nonNegative, redactUrl } from "./redisBrokerOptions.js";
import { RedisUnavailableError } from "./redisUnavailableError.js";
import { withTimeout } from "./withTimeout.js";

/** Options of `new RedisSessionStore(...)`. */
export interface RedisSessionStoreOptions {
  /**
   * Where Redis is.
   * @default "redis://127.0.0.1:6379"
   */
  url?: string;
  /**
   * Prefix of the store's keys (`<prefix>session:<token>`, `<prefix>retired:<token>`) and of its notice channel
   * (`<prefix>session-taken`). The nodes of one cluster share it.
   * @default "webshocket:"
   */
  prefix?: string;
  /**
   * How long a retired token's reason (`used`, `closed`, …) is kept, so that it is refused with its reason on
   * every node; afterwards it reads `unknown` (still refused).
   * @default 3_600_000 (one hour)
   */
  retiredTtlMs?: number;
  /**
   * How long `start()` (so `server.start()`) waits for the first connection.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * A command Redis has not answered within this many milliseconds rejects (a resume then falls back to this
   * node's own sessions); 0 waits for the link to fail.
   * @default 2000
   */
  commandTimeoutMs?: number;
  /**
   * More node-redis options for the store's two connections (TLS, credentials, ...).
   * @default {}
   */
  clientOptions?: RedisClientOptions;
}

/** Takes a snapshot: deletes it, retires the token as used and tells the other nodes, in one step. */
const TAKE_SCRIPT = `local v = redis.call('GET', KEYS[1])
if v then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], 'used', 'PX', ARGV[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return {1, v}
end
return {0, redis.call('GET', KEYS[2]) or 'unknown'}`;

const REASONS: ReadonlySet<string> = new Set<ResumeFailure>(["expired", "overflow", "used", "closed", "unknown", "mismatch"]);

type Client = ReturnType<typeof createClient>;

/**
 * The {@link SharedSessionStore} of a cluster in Redis (`resume: { store }`), so a client that comes back on
 * another node resumes there (PROTOCOL.md § 11, "moved"). A snapshot per resume token, expiring after the
 * window; a take is one Lua script (get, delete, retire as used, notify), so a token resumes once in the
 * cluster, and the node that held the session learns it through a pub/sub notice and lets it go.
 *
 * @example
 * const server = new WebSocketServer({ handler, broker, resume: { window: "2m", store: new RedisSessionStore({ url }) } });
 */
export class RedisSessionStore implements SharedSessionStore {
  /** This store's id in the notices (its own takes are not reported back to it). */
  readonly nodeId = randomId();
  readonly options: Required<Omit<RedisSessionStoreOptions, "clientOptions">> & { clientOptions: RedisClientOptions };
  readonly #notices: string;
  #cmd: Client | undefined;
  #sub: Client | undefined;

  /** @throws RangeError / TypeError for bad options. Connects in `start()`. */
  constructor(options: RedisSessionStoreOptions = {}) {
    this.options = {
      url: options.url ?? "redis://127.0.0.1:6379",
      prefix: options.prefix ?? "webshocket:",
      retiredTtlMs: nonNegative("retiredTtlMs", options.retiredTtlMs, 3_600_000),
      connectTimeoutMs: nonNegative("connectTimeoutMs", options.connectTimeoutMs, 10_000),
      commandTimeoutMs: nonNegative("commandTimeoutMs", options.commandTimeoutMs, 2000),
      clientOptions: options.clientOptions ?? {},
    };
    if (!/^rediss?:\/\//.test(this.options.url)) throw new TypeError(`RedisSessionStore: url must start with redis:// or rediss://, got ${this.options.url}.`);
    if (this.options.retiredTtlMs < 1) throw new RangeError("RedisSessionStore: retiredTtlMs must be at least 1.");
    this.#notices = `${this.options.prefix}session-taken`;
  }

  async start(taken: (token: string) => void, logger: Logger): Promise<void> {
    const { url, clientOptions, connectTimeoutMs } = this.options;
    const base = { ...clientOptions, url, socket: { ...clientOptions.socket, reconnectStrategy: backoff(50, 2000) } } as RedisClientOptions;
    const cmd = (this.#cmd = createClient({ ...base, disableOfflineQueue: true }));
    const sub = (this.#sub = createClient(base));
    for (const c of [cmd, sub]) c.on("error", (err: Error) => logger.debug?.(`RedisSessionStore: ${err.message}`));
    const where = redactUrl(url);
    await withTimeout(Promise.all([cmd.connect(), sub.connect()]), connectTimeoutMs, () => new RedisUnavailableError(`RedisSessionStore: could not connect to Redis at ${where} within ${connectTimeoutMs} ms.`));
    await sub.subscribe(this.#notices, (message: string) => {
      const space = message.indexOf(" ");
      if (space > 0 && message.slice(0, space) !== this.nodeId) taken(message.slice(space + 1));
    });
  }

  put(token: string, snapshot: string, ttlMs: number): Promise<void> {
    return this.#run(["SET", this.#key(token), snapshot, "PX", String(Math.max(1, Math.ceil(ttlMs)))]).then(() => undefined);
  }

  touch(tokens: readonly string[], ttlMs: number): Promise<void> {
    const ttl = String(Math.max(1, Math.ceil(ttlMs)));
    return Promise.all(tokens.map((t) => this.#run(["PEXPIRE", this.#key(t), ttl]))).then(() => undefined);
  }

  async take(token: string): Promise<SharedTake> {
    const args = [this.#key(token), this.#retired(token), String(this.options.retiredTtlMs), this.#notices, `${this.nodeId} ${token}`];
    const reply = await this.#run(["EVAL", TAKE_SCRIPT, "2", ...args]);
    if (!Array.isArray(reply) || reply.length !== 2) throw new TypeError("RedisSessionStore: unexpected reply to take.");
    const [found, value] = reply as unknown[];
    const text = String(value);
    if (found === 1) return { snapshot: text };
    return { reason: REASONS.has(text) ? (text as ResumeFailure) : "unknown" };
  }

  async restore(token: string, snapshot: string, ttlMs: number): Promise<void> {
    await this.#run(["DEL", this.#retired(token)]);
    await this.put(token, snapshot, ttlMs);
  }

  async retire(token: string, reason: ResumeFailure): Promise<void> {
    await Promise.all([this.#run(["DEL", this.#key(token)]), this.#run(["SET", this.#retired(token), reason, "PX", String(this.options.retiredTtlMs)])]);
  }

  async close(): Promise<void> {
    const quit = (c: Client | undefined): Promise<unknown> => (c === undefined ? Promise.resolve() : c.isReady ? c.close().catch(() => c.destroy()) : Promise.resolve(c.destroy()));
    await Promise.all([quit(this.#cmd), quit(this.#sub)]);
  }

  #key(token: string): string {
    return `${this.options.prefix}session:${token}`;
  }

  #retired(token: string): string {
    return `${this.options.prefix}retired:${token}`;
  }

  #run(args: string[]): Promise<unknown> {
    const cmd = this.#cmd;
    if (cmd === undefined) return Promise.reject(new RedisUnavailableError("RedisSessionStore: not started."));
    const timeout = this.options.commandTimeoutMs;
    return cmd.sendCommand(args, timeout > 0 ? { timeout } : undefined);
  }
}
