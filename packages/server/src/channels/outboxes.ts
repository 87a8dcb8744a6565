import type { ClientConnection } from "../connection.js";

/**
 * Per-recipient batching for the fan-out paths uWebSockets.js cannot do natively
 * (pattern subscribers, predicates, exclude lists). Each message is queued in its
 * recipients' outboxes; at the end of the current task (a microtask), or before
 * anything else is sent, every outbox is flushed under one cork: one write per
 * recipient for the whole batch instead of one per message (apps/bench, fan-out).
 *
 * A connection whose outbox reaches FLUSH_AT messages is flushed right away.
 * Order per connection is kept: a direct send to a connection flushes its outbox
 * first (ClientConnection.sendEncoded), and native publishes flush all outboxes
 * first (Fanout).
 */
/** An outbox holding this many messages is flushed at once (~10 KB of small messages: one cork buffer). */
const FLUSH_AT = 64;

export class Outboxes {
  #dirty: ClientConnection[] = [];
  #scheduled = false;

  /** True when some outbox holds messages. */
  get pending(): boolean {
    return this.#dirty.length > 0;
  }

  /** Queues `bytes` for `conn`. */
  add(conn: ClientConnection, bytes: Uint8Array): void {
    const queued = conn.enqueue(bytes);
    if (queued !== 1) {
      // A long batch goes out in slices: one write per slice still, without holding it all in memory.
      if (queued >= FLUSH_AT) conn.flush();
      return;
    }
    this.#dirty.push(conn);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushScheduled);
    }
  }

  /** Sends everything queued, connection by connection. */
  flush(): void {
    const dirty = this.#dirty;
    if (dirty.length === 0) return;
    this.#dirty = [];
    for (const conn of dirty) conn.flush();
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}
