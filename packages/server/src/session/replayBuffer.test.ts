import { describe, expect, it } from "vitest";
import { ReplayBuffer } from "./replayBuffer.js";

const msg = (n: number, size = 4): Uint8Array => new Uint8Array(size).fill(n & 255);

describe("ReplayBuffer", () => {
  it("returns what follows the last seen message, in order", () => {
    const b = new ReplayBuffer(100, 1000);
    for (let i = 1; i <= 5; i++) b.push(msg(i));
    expect(b.after(2)?.map((m) => m[0])).toEqual([3, 4, 5]);
    expect(b.after(5)).toEqual([]);
    expect(b.after(0)?.length).toBe(5);
  });

  it("refuses a last seen it never sent, or one whose successors are gone", () => {
    const b = new ReplayBuffer(3, 1000);
    for (let i = 1; i <= 5; i++) b.push(msg(i));
    expect(b.first).toBe(3);
    expect(b.after(6)).toBeUndefined();
    expect(b.after(1)).toBeUndefined();
    expect(b.after(-1)).toBeUndefined();
    expect(b.after(1.5)).toBeUndefined();
    expect(b.after(2)?.map((m) => m[0])).toEqual([3, 4, 5]);
  });

  it("keeps at most maxBytes, and compacts as it goes", () => {
    const b = new ReplayBuffer(1_000_000, 40);
    for (let i = 1; i <= 5000; i++) b.push(msg(i, 10));
    expect(b.size).toBe(4);
    expect(b.bytes).toBe(40);
    expect(b.after(4996)?.map((m) => m[0])).toEqual([4997 & 255, 4998 & 255, 4999 & 255, 5000 & 255]);
    b.clear();
    expect(b.size).toBe(0);
    expect(b.after(5000)).toEqual([]);
  });
});
