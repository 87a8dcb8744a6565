import { describe, expect, it } from "vitest";
import { HistoryRing } from "./historyRing.js";

describe("HistoryRing", () => {
  it("keeps the newest `size` entries, offsets implied from the newest", () => {
    const ring = new HistoryRing("e", 3, 0);
    for (let i = 1; i <= 5; i++) ring.push(`m${i}`, i);
    expect(ring.offset).toBe(5);
    expect(ring.length).toBe(3);
    expect(ring.first).toBe(3);
    expect(ring.after(2, Infinity)).toEqual([{ offset: 3, data: "m3" }, { offset: 4, data: "m4" }, { offset: 5, data: "m5" }]);
    expect(ring.after(3, 1)).toEqual([{ offset: 4, data: "m4" }]);
    expect(ring.after(5, 10)).toEqual([]);
  });

  it("prunes by age from the oldest, keeping the offsets", () => {
    const ring = new HistoryRing("e", 10, 0);
    for (let i = 1; i <= 4; i++) ring.push(i, i * 100);
    ring.prune(250);
    expect(ring.length).toBe(2);
    expect(ring.first).toBe(3);
    expect(ring.after(2, Infinity).map((p) => p.data)).toEqual([3, 4]);
    ring.prune(1000);
    expect(ring.length).toBe(0);
    expect(ring.first).toBe(5);
    ring.push(5, 1001);
    expect(ring.after(4, Infinity)).toEqual([{ offset: 5, data: 5 }]);
  });

  it("wraps around many times with the right data at every offset", () => {
    const ring = new HistoryRing("e", 7, 0);
    for (let i = 1; i <= 100; i++) {
      ring.push(i, i);
      const kept = ring.after(ring.first - 1, Infinity);
      expect(kept.map((p) => p.offset)).toEqual(kept.map((p) => p.data));
      expect(kept.at(-1)?.offset).toBe(i);
      expect(kept.length).toBe(Math.min(i, 7));
    }
  });
});
