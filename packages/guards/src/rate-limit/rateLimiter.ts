import { MemoryRateLimitStore } from "./memoryRateLimitStore.js";
import type { RateLimitConfig } from "./rateLimit.js";
import type { RateLimitStore } from "./rateLimitStore.js";

/**
 * What the server calls per RPC: one sliding window per (connection, method).
 *
 * @example
 * const limiter = new RateLimiter();
 * const config = getRateLimit(handler.expensiveQuery);
 * if (config && !(await limiter.check(conn.uid, "expensiveQuery", config))) { ...RATE_LIMIT_EXCEEDED... }
 * // on disconnect:
 * await limiter.release(conn.uid);
 */
export class RateLimiter {
  /** Where the windows live. */
  readonly store: RateLimitStore;

  /** @param store Defaults to a new `MemoryRateLimitStore()`. */
  constructor(store: RateLimitStore = new MemoryRateLimitStore()) {
    this.store = store;
  }

  /** Records a call of `method` by `ownerId`; false (nothing recorded) when over `config`. */
  check(ownerId: string, method: string, config: RateLimitConfig): boolean | Promise<boolean> {
    return this.store.consume(ownerId, method, config.limit, config.periodMs);
  }

  /** Forgets `ownerId`'s windows; call it when the connection closes. */
  release(ownerId: string): void | Promise<void> {
    return this.store.release(ownerId);
  }
}
