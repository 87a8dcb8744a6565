import { describe, expect, it } from "vitest";
import { SlidingWindow } from "./slidingWindow.js";

/** Deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("SlidingWindow", () => {
  it("accepts up to limit calls inside one period", () => {
    const w = new SlidingWindow();
    expect([0, 1, 2].map((t) => w.tryConsume(t, 3, 100))).toEqual([true, true, true]);
    expect(w.tryConsume(50, 3, 100)).toBe(false);
    expect(w.count).toBe(3);
  });

  it("frees a slot exactly when the oldest call is a full period old", () => {
    const w = new SlidingWindow();
    w.tryConsume(0, 2, 100);
    w.tryConsume(10, 2, 100);
    expect(w.tryConsume(99.9, 2, 100)).toBe(false);
    expect(w.tryConsume(100, 2, 100)).toBe(true);
    expect(w.tryConsume(105, 2, 100)).toBe(false);
    expect(w.tryConsume(110, 2, 100)).toBe(true);
  });

  it("treats a clock stepping backwards as standing still", () => {
    const w = new SlidingWindow();
    w.tryConsume(1000, 1, 100);
    expect(w.tryConsume(0, 1, 100)).toBe(false);
    expect(w.newest).toBe(1000);
  });

  it("grows its buffer on demand and keeps order across the wrap", () => {
    const w = new SlidingWindow(1);
    for (let t = 0; t < 1000; t++) expect(w.tryConsume(t, 50, 50)).toBe(true);
    expect(w.count).toBe(50);
    expect(w.newest).toBe(999);
  });

  it("reports expiry once its newest call has left the window", () => {
    const w = new SlidingWindow();
    expect(w.isExpired(0)).toBe(true);
    w.tryConsume(0, 5, 100);
    expect(w.isExpired(99)).toBe(false);
    expect(w.isExpired(100)).toBe(true);
  });

  it.each([1, 2, 3, 7, 20])("never accepts more than limit=%i in any window, and never rejects needlessly", (limit) => {
    const next = random(limit * 7919);
    const period = 1000;
    const w = new SlidingWindow();
    const accepted: number[] = [];
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      t += next() < 0.1 ? next() * 2000 : next() * (period / limit) * 0.5;
      const ok = w.tryConsume(t, limit, period);
      const inWindow = accepted.filter((a) => a > t - period).length;
      expect(ok).toBe(inWindow < limit);
      if (ok) accepted.push(t);
    }
    for (let i = limit; i < accepted.length; i++) {
      expect((accepted[i] as number) - (accepted[i - limit] as number)).toBeGreaterThanOrEqual(period);
    }
  });
});
