import { ReceiveTimeoutError, type Packet } from "@webshocket/protocol";
import { after } from "./options.js";

interface Waiter {
  _resolve(packet: Packet): void;
  _reject(error: unknown): void;
}

/**
 * The bounded queue behind `recv()`: packets wait here until asked for; when it is full the
 * oldest packet is dropped. Waiters are served first come, first served.
 */
export class PacketQueue {
  readonly #items: Packet[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #capacity: number;
  /** Packets dropped because the queue was full. */
  _dropped = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`maxPacketQueue must be >= 1, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Packets waiting. */
  get size(): number {
    return this.#items.length;
  }

  /** Hands the packet to the oldest waiter, or queues it (dropping the oldest when full). */
  push(packet: Packet): void {
    const waiter = this.#waiters.shift();
    if (waiter) return waiter._resolve(packet);
    if (this.#items.length >= this.#capacity) {
      this.#items.shift();
      this._dropped++;
    }
    this.#items.push(packet);
  }

  /** Takes a packet that is already queued, if any. */
  _take(): Packet | undefined {
    return this.#items.shift();
  }

  /**
   * Waits for the next packet; rejects with ReceiveTimeoutError after `timeoutMs`, or `signal.reason`.
   * For an empty queue (`recv()` calls `take()` first).
   */
  _wait(timeoutMs: number, signal?: AbortSignal): Promise<Packet> {
    return new Promise<Packet>((resolve, reject) => {
      signal?.throwIfAborted();
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const i = this.#waiters.indexOf(waiter);
        if (i !== -1) this.#waiters.splice(i, 1);
      };
      const waiter: Waiter = {
        _resolve: (p) => (cleanup(), resolve(p)),
        _reject: (e) => (cleanup(), reject(e)),
      };
      const onAbort = (): void => waiter._reject(signal?.reason);
      const timer = after(timeoutMs, () => waiter._reject(new ReceiveTimeoutError(`No message within ${timeoutMs} ms`)));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Rejects every waiter (the connection is gone). Queued packets stay for later `recv()`. */
  _failWaiters(error: Error): void {
    for (const waiter of [...this.#waiters]) waiter._reject(error);
  }
}
