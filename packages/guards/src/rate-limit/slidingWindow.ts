const INITIAL_CAPACITY = 4;

/**
 * An exact sliding-window log for one key: a ring buffer of the timestamps of
 * the accepted calls still inside the window, oldest first.
 *
 * A call at time `t` is accepted when fewer than `limit` accepted calls have
 * timestamps in `(t - periodMs, t]`; so no half-open interval of length
 * `periodMs` ever holds more than `limit` accepted calls, wherever it starts.
 * Rejected calls are not recorded. The buffer grows on demand up to `limit`
 * slots (8 bytes each), so a huge `limit` costs nothing until it is used.
 */
export class SlidingWindow {
  #buffer: Float64Array;
  #head = 0;
  #count = 0;
  #periodMs = 0;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.#buffer = new Float64Array(Math.max(1, Math.floor(initialCapacity)));
  }

  /** Accepted calls currently held (some may have left the window since the last call). */
  get count(): number {
    return this.#count;
  }

  /** Timestamp of the newest accepted call, or `-Infinity` when empty. */
  get newest(): number {
    if (this.#count === 0) return Number.NEGATIVE_INFINITY;
    return this.#at(this.#count - 1);
  }

  /**
   * Records a call at `now` and returns true when it is within `limit` per
   * `periodMs`; returns false and records nothing when it is over. A clock
   * that steps backwards is treated as standing still.
   */
  tryConsume(now: number, limit: number, periodMs: number): boolean {
    const t = Math.max(now, this.newest);
    this.#periodMs = periodMs;
    this.#evict(t - periodMs);
    if (this.#count >= limit) return false;
    if (this.#count === this.#buffer.length) this.#grow(limit);
    this.#buffer[(this.#head + this.#count) % this.#buffer.length] = t;
    this.#count++;
    return true;
  }

  /** True when no accepted call is inside the window at `now` (the window can be dropped). */
  isExpired(now: number): boolean {
    return this.#count === 0 || this.newest <= now - this.#periodMs;
  }

  #at(i: number): number {
    return this.#buffer[(this.#head + i) % this.#buffer.length] as number;
  }

  /** Drops timestamps at or before `cutoff`. */
  #evict(cutoff: number): void {
    while (this.#count > 0 && (this.#buffer[this.#head] as number) <= cutoff) {
      this.#head = (this.#head + 1) % this.#buffer.length;
      this.#count--;
    }
    if (this.#count === 0) this.#head = 0;
  }

  #grow(limit: number): void {
    const next = new Float64Array(Math.max(this.#count + 1, Math.min(limit, this.#buffer.length * 2)));
    for (let i = 0; i < this.#count; i++) next[i] = this.#at(i);
    this.#buffer = next;
    this.#head = 0;
  }
}
