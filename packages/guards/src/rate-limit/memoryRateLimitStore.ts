import type { RateLimitStore } from "./rateLimitStore.js";
import { SlidingWindow } from "./slidingWindow.js";

/** Options of {@link MemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * Clock in milliseconds. Only differences matter.
   * @default () => performance.now() (read on every call, so vitest / sinon fake timers apply)
   */
  now?: () => number;
  /**
   * Expired windows are swept after this many `consume` calls, or after as
   * many calls as there were live windows after the last sweep if that is
   * more (so sweeping costs amortized O(1) per call).
   * @default 1024
   */
  sweepEvery?: number;
}

/**
 * The default, in-process {@link RateLimitStore}: an exact sliding-window log
 * per (owner, key). `release(owner)` frees everything an owner holds; windows
 * whose newest call has left the window are also dropped lazily, so
 * long-lived owners do not make it grow without bound.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #now: () => number;
  readonly #sweepEvery: number;
  readonly #owners = new Map<string, Map<string, SlidingWindow>>();
  #size = 0;
  #callsSinceSweep = 0;
  #nextSweep: number;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#sweepEvery = Math.max(1, options.sweepEvery ?? 1024);
    this.#nextSweep = this.#sweepEvery;
  }

  /** Number of (owner, key) windows held. */
  get size(): number {
    return this.#size;
  }

  consume(owner: string, key: string, limit: number, periodMs: number): boolean {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}.`);
    if (!(periodMs > 0) || !Number.isFinite(periodMs)) throw new RangeError(`periodMs must be > 0, got ${periodMs}.`);
    const now = this.#now();
    let windows = this.#owners.get(owner);
    if (windows === undefined) {
      windows = new Map();
      this.#owners.set(owner, windows);
    }
    let window = windows.get(key);
    if (window === undefined) {
      window = new SlidingWindow(Math.min(limit, 4));
      windows.set(key, window);
      this.#size++;
    }
    const accepted = window.tryConsume(now, limit, periodMs);
    if (++this.#callsSinceSweep >= this.#nextSweep) this.prune();
    return accepted;
  }

  release(owner: string): void {
    const windows = this.#owners.get(owner);
    if (windows === undefined) return;
    this.#size -= windows.size;
    this.#owners.delete(owner);
  }

  /** Drops every window with no call left inside it; returns how many were dropped. */
  prune(): number {
    const now = this.#now();
    let dropped = 0;
    for (const [owner, windows] of this.#owners) {
      for (const [key, window] of windows) {
        if (!window.isExpired(now)) continue;
        windows.delete(key);
        dropped++;
      }
      if (windows.size === 0) this.#owners.delete(owner);
    }
    this.#size -= dropped;
    this.#callsSinceSweep = 0;
    this.#nextSweep = Math.max(this.#sweepEvery, this.#size);
    return dropped;
  }

  /** Forgets everything. */
  clear(): void {
    this.#owners.clear();
    this.#size = 0;
    this.#callsSinceSweep = 0;
    this.#nextSweep = this.#sweepEvery;
  }
}
