import { describe, expect, it } from "vitest";
import { SequenceTracker } from "./sequenceTracker.js";

describe("SequenceTracker", () => {
  it("accepts increasing sequences per origin and drops repeats", () => {
    const t = new SequenceTracker();
    expect([t.fresh("a", 1), t.fresh("a", 1), t.fresh("b", 1), t.fresh("a", 3), t.fresh("a", 2), t.fresh("a", 4)]).toEqual([
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
  });

  it("forgets the origin heard from least recently past maxOrigins", () => {
    const t = new SequenceTracker(2);
    t.fresh("a", 5);
    t.fresh("b", 5);
    t.fresh("a", 6); // a is now the most recent
    t.fresh("c", 1); // evicts b
    expect(t.size).toBe(2);
    expect(t.fresh("a", 6)).toBe(false);
    expect(t.fresh("b", 5)).toBe(true); // b was forgotten
  });
});
