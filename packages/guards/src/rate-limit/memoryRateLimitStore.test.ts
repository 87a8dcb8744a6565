import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRateLimitStore } from "./memoryRateLimitStore.js";

describe("MemoryRateLimitStore with fake timers (default clock)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const burst = (store: MemoryRateLimitStore, n: number): boolean[] =>
    Array.from({ length: n }, () => store.consume("conn", "method", 5, 1000));

  it("rejects a second burst straddling a fixed-window boundary", () => {
    const store = new MemoryRateLimitStore();
    vi.advanceTimersByTime(900); // end of the first second
    expect(burst(store, 5)).toEqual([true, true, true, true, true]);
    vi.advanceTimersByTime(200); // start of the next second
    expect(burst(store, 5)).toEqual([false, false, false, false, false]);
    vi.advanceTimersByTime(799); // 999 ms after the first burst
    expect(burst(store, 1)).toEqual([false]);
    vi.advanceTimersByTime(1); // the first burst has left the window
    expect(burst(store, 6)).toEqual([true, true, true, true, true, false]);
  });

  it("lets calls through again as each oldest call leaves the window", () => {
    const store = new MemoryRateLimitStore();
    const call = (): boolean => store.consume("conn", "m", 3, 1000);
    expect(call()).toBe(true); // t=0
    vi.advanceTimersByTime(100);
    expect(call()).toBe(true); // t=100
    vi.advanceTimersByTime(100);
    expect(call()).toBe(true); // t=200
    vi.advanceTimersByTime(799);
    expect(call()).toBe(false); // t=999
    vi.advanceTimersByTime(1);
    expect(call()).toBe(true); // t=1000: the t=0 call left
    expect(call()).toBe(false); // t=100 still inside
    vi.advanceTimersByTime(100);
    expect(call()).toBe(true); // t=1100: the t=100 call left
  });

  it("does not count rejected calls", () => {
    const store = new MemoryRateLimitStore();
    const call = (): boolean => store.consume("conn", "m", 2, 1000);
    expect([call(), call()]).toEqual([true, true]); // t=0
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(100);
      expect(call()).toBe(false); // t=100..900, all rejected
    }
    vi.advanceTimersByTime(100); // t=1000
    expect([call(), call(), call()]).toEqual([true, true, false]);
  });

  it("limits per owner and per key independently", () => {
    const store = new MemoryRateLimitStore();
    expect(store.consume("a", "m", 1, 1000)).toBe(true);
    expect(store.consume("a", "m", 1, 1000)).toBe(false);
    expect(store.consume("a", "other", 1, 1000)).toBe(true);
    expect(store.consume("b", "m", 1, 1000)).toBe(true);
    expect(store.size).toBe(3);
  });
});

describe("MemoryRateLimitStore memory", () => {
  it("is empty after 100,000 connections hit a method and are released", () => {
    const store = new MemoryRateLimitStore();
    let rejected = 0;
    let maxSize = 0;
    for (let i = 0; i < 100_000; i++) {
      const uid = `conn-${i}`;
      if (!store.consume(uid, "chat", 5, 10_000)) rejected++;
      if (!store.consume(uid, "query", 1, 60_000)) rejected++;
      maxSize = Math.max(maxSize, store.size);
      store.release(uid);
    }
    expect(rejected).toBe(0);
    expect(maxSize).toBe(2);
    expect(store.size).toBe(0);
  });

  it("holds 100,000 live connections and frees them all on release", () => {
    const store = new MemoryRateLimitStore({ now: () => 0 });
    for (let i = 0; i < 100_000; i++) store.consume(`conn-${i}`, "chat", 5, 10_000);
    expect(store.size).toBe(100_000);
    for (let i = 0; i < 100_000; i++) store.release(`conn-${i}`);
    expect(store.size).toBe(0);
  });

  it("drops expired windows lazily for long-lived owners", () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ now: () => now, sweepEvery: 100 });
    for (let i = 0; i < 10_000; i++) {
      now = i * 10; // every key is used once, then idles
      store.consume("long-lived", `key-${i}`, 1, 50);
    }
    expect(store.size).toBeLessThanOrEqual(200);
    now += 1000;
    const held = store.size;
    expect(store.prune()).toBe(held);
    expect(store.size).toBe(0);
  });

  it("keeps windows that still have calls inside them when pruning", () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ now: () => now });
    store.consume("a", "m", 1, 1000);
    now = 999;
    expect(store.prune()).toBe(0);
    expect(store.consume("a", "m", 1, 1000)).toBe(false);
    now = 1000;
    expect(store.prune()).toBe(1);
    expect(store.size).toBe(0);
    expect(store.consume("a", "m", 1, 1000)).toBe(true);
  });

  it("ignores releasing an unknown owner, and clear() forgets everything", () => {
    const store = new MemoryRateLimitStore({ now: () => 0 });
    store.release("nobody");
    store.consume("a", "m", 1, 10);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.consume("a", "m", 1, 10)).toBe(true);
  });

  it("validates limit and periodMs", () => {
    const store = new MemoryRateLimitStore();
    expect(() => store.consume("a", "m", 0, 10)).toThrow(RangeError);
    expect(() => store.consume("a", "m", 1, 0)).toThrow(RangeError);
    expect(() => store.consume("a", "m", 1, Number.NaN)).toThrow(RangeError);
  });
});
