import { createPacket, PacketSource, ReceiveTimeoutError } from "@webshocket/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PacketQueue } from "./packetQueue.js";

const p = (data: unknown) => createPacket(PacketSource.CUSTOM, { data });

describe("PacketQueue", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("drops the oldest packet when full", () => {
    const q = new PacketQueue(2);
    q.push(p(1));
    q.push(p(2));
    q.push(p(3));
    expect(q._dropped).toBe(1);
    expect(q._take()?.data).toBe(2);
    expect(q._take()?.data).toBe(3);
    expect(q._take()).toBeUndefined();
  });

  it("hands packets to waiters in order", async () => {
    const q = new PacketQueue(4);
    const a = q._wait(Infinity);
    const b = q._wait(Infinity);
    q.push(p("x"));
    q.push(p("y"));
    expect((await a).data).toBe("x");
    expect((await b).data).toBe("y");
    expect(q.size).toBe(0);
  });

  it("rejects with ReceiveTimeoutError after the timeout", async () => {
    vi.useFakeTimers();
    const q = new PacketQueue(4);
    const waiting = expect(q._wait(5000)).rejects.toBeInstanceOf(ReceiveTimeoutError);
    await vi.advanceTimersByTimeAsync(5000);
    await waiting;
    // The timed-out waiter no longer takes packets.
    q.push(p(1));
    expect(q.size).toBe(1);
  });

  it("fails waiters but keeps queued packets", async () => {
    const q = new PacketQueue(4);
    const w = q._wait(Infinity);
    q._failWaiters(new Error("gone"));
    await expect(w).rejects.toThrow("gone");
    q.push(p(1));
    expect(q._take()?.data).toBe(1);
  });

  it("refuses a capacity below 1", () => {
    expect(() => new PacketQueue(0)).toThrow(RangeError);
  });
});
