import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../connection.js";
import { Outboxes } from "./outboxes.js";

/** The part of ClientConnection that Outboxes uses: it records the size of every batch it flushes. */
class FakeConnection {
  outboxRound = -1;
  readonly batches: number[] = [];
  flushes = 0;
  #box: Uint8Array[] = [];
  get outboxBytes(): number {
    return this.#box.reduce((n, b) => n + b.length, 0);
  }
  enqueue(bytes: Uint8Array): number {
    return this.#box.push(bytes);
  }
  flush(): void {
    this.flushes++;
    if (this.#box.length > 0) this.batches.push(this.#box.length);
    this.#box = [];
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const small = new Uint8Array(10);

describe("Outboxes", () => {
  it("flushes a burst's first batch early, then in large batches, then the rest at the end of the round", async () => {
    const outboxes = new Outboxes();
    const conn = new FakeConnection();
    for (let i = 0; i < 32 + 1024 + 5; i++) outboxes.add(conn as unknown as ClientConnection, small, true);
    expect(conn.batches).toEqual([32, 1024]);
    await tick();
    expect(conn.batches).toEqual([32, 1024, 5]);
    // A new round: the first batch is early again.
    for (let i = 0; i < 40; i++) outboxes.add(conn as unknown as ClientConnection, small, true);
    expect(conn.batches).toEqual([32, 1024, 5, 32]);
    await tick();
    expect(conn.batches).toEqual([32, 1024, 5, 32, 8]);
  });

  it("flushes by size too: 8 KiB for the first batch of a round, 64 KiB after it", () => {
    const outboxes = new Outboxes();
    const conn = new FakeConnection();
    const kib = new Uint8Array(1024);
    for (let i = 0; i < 8 + 64; i++) outboxes.add(conn as unknown as ClientConnection, kib, true);
    expect(conn.batches).toEqual([8, 64]);
  });

  it("keeps whole batches for streams and answers (no early first batch)", async () => {
    const outboxes = new Outboxes();
    const conn = new FakeConnection();
    for (let i = 0; i < 64; i++) outboxes.add(conn as unknown as ClientConnection, small);
    expect(conn.batches).toEqual([]);
    await tick();
    expect(conn.batches).toEqual([64]);
  });

  it("leaves a connection that is closed or being evicted (enqueue returns 0) out of the flush", async () => {
    const outboxes = new Outboxes();
    const closed = new FakeConnection();
    closed.enqueue = () => 0;
    // Even one reporting a full outbox: a refused message triggers no flush.
    Object.defineProperty(closed, "outboxBytes", { value: 1 << 20 });
    outboxes.add(closed as unknown as ClientConnection, small);
    await tick();
    expect(closed.flushes).toBe(0);
  });
});
