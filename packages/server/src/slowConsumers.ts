import { CloseCode } from "@webshocket/protocol";
import type { ClientConnection } from "./connection.js";

/** Counters of backpressure trouble, in `server.stats`. */
export interface BackpressureStats {
  /** Messages not sent because a socket was over maxBackpressure. */
  droppedMessages: number;
  /** Times a socket was found at or over maxBackpressure. */
  slowConsumers: number;
  /** Sockets disconnected because they were slow consumers. */
  slowConsumerDisconnects: number;
}

/** What the policy needs from the server. */
export interface SlowConsumerHost {
  readonly stats: BackpressureStats;
  readonly clients: Iterable<ClientConnection>;
  readonly limit: number;
  /** Ms a slow consumer gets to drain before its socket is dropped. */
  readonly grace: number;
  /** Tells the application (handler.onSlowConsumer). */
  report(conn: ClientConnection, bufferedAmount: number): void;
}

/**
 * The slow-consumer policy. uWebSockets.js drops messages to a socket whose buffer
 * is over maxBackpressure. Here every send that was dropped is counted as it
 * happens, and a periodic sweep also finds sockets sitting at the limit. Such a
 * socket is reported, gets nothing more, and is closed with 1008
 * as soon as its buffer drains — or dropped (1006 at the client) after a grace
 * period when it never reads again. Memory per socket stays bounded by the limit.
 */
export class SlowConsumers {
  readonly #flagged = new WeakSet<ClientConnection>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: SlowConsumerHost) {}

  /** A send returned uWS's "dropped" (2). */
  dropped(conn: ClientConnection): void {
    this.host.stats.droppedMessages++;
    this.#slow(conn, conn.bufferedAmount);
  }

  /** Looks at every socket once. */
  sweep(): void {
    for (const conn of this.host.clients) {
      const buffered = conn.bufferedAmount;
      if (buffered >= this.host.limit) this.#slow(conn, buffered);
      else this.#flagged.delete(conn);
    }
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.sweep(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #slow(conn: ClientConnection, buffered: number): void {
    if (this.#flagged.has(conn)) return; // once per episode
    this.#flagged.add(conn);
    this.host.stats.slowConsumers++;
    this.host.report(conn, buffered);
    this.host.stats.slowConsumerDisconnects++;
    conn.closeWhenDrained(CloseCode.POLICY_VIOLATION, "Slow consumer: too much data waiting to be read", this.host.grace);
  }
}
