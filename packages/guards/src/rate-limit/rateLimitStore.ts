/**
 * Where rate-limit state lives. The default, `MemoryRateLimitStore`, keeps it
 * in process; a shared store (Redis, ...) can implement the same two methods
 * to enforce limits across server nodes.
 */
export interface RateLimitStore {
  /**
   * Records a call and returns true if `key` (owned by `owner`, e.g. a
   * connection uid) is within `limit` calls per `periodMs`; returns false (and
   * records nothing) when over. Must be a true sliding window: no more than
   * `limit` calls accepted in any interval of length `periodMs`.
   */
  consume(owner: string, key: string, limit: number, periodMs: number): boolean | Promise<boolean>;
  /** Forgets everything `owner` holds (called on disconnect). */
  release(owner: string): void | Promise<void>;
}
