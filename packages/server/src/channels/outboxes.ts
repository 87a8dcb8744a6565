import type { ClientConnection } from "../connection.js";

/**
 * Per-recipient batching for what is sent outside uWebSockets.js callbacks (where
 * nothing is corked): every publish and broadcast (Fanout) and streamed RPC values; and for RPC
 * answers made in a turn's later message callbacks (ClientConnection.sendReply),
 * so that a turn's answers leave in one burst. Each message is
 * queued in its recipient's outbox; in the check phase of this loop iteration
 * (setImmediate) every outbox is flushed, each under one cork: one write per
 * recipient for the whole batch instead of one per message (apps/bench, fan-out
 * and streaming).
 *
 * A connection whose outbox reaches FLUSH_AT messages or FLUSH_BYTES (a fan-out's first
 * batch of a round: FIRST_FLUSH_AT / FIRST_FLUSH_BYTES) is flushed right away,
 * so what waits here stays small next to the socket's own buffer (which
 * backpressure watches).
 * Order per connection is kept: a direct send to a connection flushes its outbox
 * first (ClientConnection.sendEncoded).
 */
/**
 * An outbox holding this many messages, or this many bytes, is flushed at once. In apps/bench's
 * fan-out (paired runs, CPU per delivery) 64 KiB batches cost 20% less than 16 KiB ones and
 * 256 KiB ones no less than 64 KiB; the messages are shared references until the flush.
 */
const FLUSH_AT = 1024;
const FLUSH_BYTES = 64 * 1024;
/**
 * A connection's first batch in a round (between two scheduled flushes) leaves earlier, at this
 * many messages or bytes (uWS's own topic drain writes every 32 messages): in a long synchronous
 * burst each recipient gets its first messages while the burst is still being queued, not only
 * once a full 64 KiB batch has built up. apps/bench, 1,000 × 1,000 burst: the first delivery
 * came ~12.6 ms after the trigger without this, ~0.8 ms with it; CPU per delivery within the
 * noise (paired 1.011). Only for fan-out: a stream flushed early wrote twice per turn (−12–17%
 * values/s in apps/bench).
 */
const FIRST_FLUSH_AT = 32;
const FIRST_FLUSH_BYTES = 8 * 1024;

export class Outboxes {
  #dirty: ClientConnection[] = [];
  #scheduled = false;
  /** Counts scheduled flushes: a connection's `outboxRound` says whether it was flushed early in this one. */
  #round = 0;

  /**
   * Queues `bytes` for `conn`. `burst` (fan-out) lets the connection's first batch of the round
   * leave early (FIRST_FLUSH_AT); streams and RPC answers, which the loop turns between anyway,
   * keep whole batches (a stream's 64 values per turn in one write).
   */
  add(conn: ClientConnection, bytes: Uint8Array, burst = false): void {
    const queued = conn.enqueue(bytes);
    if (queued === 0) return; // closed or being evicted
    if (queued === 1) {
      this.#dirty.push(conn);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#flushScheduled);
      }
    }
    // A long batch goes out in slices: one write per slice still, without holding it all in memory.
    if (!burst || conn.outboxRound === this.#round) {
      if (queued >= FLUSH_AT || conn.outboxBytes >= FLUSH_BYTES) conn.flush();
    } else if (queued >= FIRST_FLUSH_AT || conn.outboxBytes >= FIRST_FLUSH_BYTES) {
      conn.outboxRound = this.#round;
      conn.flush();
    }
  }

  /** Sends everything queued, connection by connection. */
  #flushAll(): void {
    const dirty = this.#dirty;
    if (dirty.length === 0) return;
    this.#dirty = [];
    for (const conn of dirty) conn.flush();
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.#round = (this.#round + 1) | 0;
    this.#flushAll();
  };
}
