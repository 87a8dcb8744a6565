/** One publication kept in a channel's history. */
export interface Publication<T = unknown> {
  /** Its position in the channel: 1 for the first publication of an epoch, then +1 each. */
  readonly offset: number;
  readonly data: T;
}

/**
 * The last publications of one channel, bounded in count (`size`) and age (`ttlMs`): a circular
 * buffer of data references and publish times. Offsets are implied: the newest entry has `offset`,
 * the one before it `offset - 1`, and so on.
 */
export class HistoryRing {
  readonly #data: unknown[] = [];
  readonly #times: number[] = [];
  /** Index of the oldest entry. */
  #head = 0;
  #count = 0;
  /** Offset of the newest publication (0: none yet). */
  offset = 0;
  /** Publish time of the newest publication, or creation time. */
  touched: number;

  constructor(
    /** Random, per ring: a position from another ring (an earlier life of the channel, another process) is never taken for one of this. */
    readonly epoch: string,
    readonly size: number,
    now: number,
  ) {
    this.touched = now;
  }

  /** Entries kept (after the last prune). */
  get length(): number {
    return this.#count;
  }

  push(data: unknown, now: number): void {
    const size = this.size;
    if (this.#count < size) {
      const i = (this.#head + this.#count) % size;
      this.#data[i] = data;
      this.#times[i] = now;
      this.#count++;
    } else {
      this.#data[this.#head] = data;
      this.#times[this.#head] = now;
      this.#head = (this.#head + 1) % size;
    }
    this.offset++;
    this.touched = now;
  }

  /** Drops entries published before `oldest` (their data references go). */
  prune(oldest: number): void {
    while (this.#count > 0 && this.#times[this.#head]! < oldest) {
      this.#data[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.size;
      this.#count--;
    }
  }

  /** Offset of the oldest entry kept; `offset + 1` when none is. */
  get first(): number {
    return this.offset - this.#count + 1;
  }

  /** Up to `limit` publications after offset `after` (at least `first - 1`), oldest first. */
  after(after: number, limit: number): Publication[] {
    const out: Publication[] = [];
    const skip = after - (this.first - 1);
    const n = Math.min(this.#count - skip, limit);
    for (let k = 0; k < n; k++) {
      const i = (this.#head + skip + k) % this.size;
      out.push({ offset: after + 1 + k, data: this.#data[i] });
    }
    return out;
  }
}
