import type { Packet } from "@webshocket/protocol";

/**
 * A bounded FIFO of packets with async `take`. When full, the oldest packet is
 * dropped (and counted), so a client that never reads cannot exhaust memory.
 */
export class PacketQueue<T = Packet> {
  readonly #items: T[] = [];
  readonly #waiters: Array<{ resolve: (v: T) => void; reject: (e: unknown) => void }> = [];
  #closedWith: Error | undefined;
  /** How many items were dropped because the queue was full. */
  dropped = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.#closedWith) return;
    const waiter = this.#waiters.shift();
    if (waiter) return waiter.resolve(item);
    if (this.#items.length >= this.capacity) {
      this.#items.shift();
      this.dropped++;
    }
    this.#items.push(item);
  }

  /** Next item; waits up to `timeoutMs` (null: forever). Rejects once closed and empty. */
  take(timeoutMs: number | null, timeoutError: () => Error): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T);
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter = {
        resolve: (v: T) => (clearTimeout(timer), resolve(v)),
        reject: (e: unknown) => (clearTimeout(timer), reject(e)),
      };
      this.#waiters.push(waiter);
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i !== -1) this.#waiters.splice(i, 1);
          reject(timeoutError());
        }, timeoutMs);
      }
    });
  }

  /** No more items: waiting takers reject with `error`, later takes reject once drained. */
  close(error: Error): void {
    this.#closedWith = error;
    for (const w of this.#waiters.splice(0)) w.reject(error);
  }
}
