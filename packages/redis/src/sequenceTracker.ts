/**
 * Remembers the last sequence number heard from each publishing node, to drop the
 * second copy of a message (a node subscribed both to a channel and to all channels
 * gets each such publish twice; a publish to several channels arrives once per
 * channel). Redis delivers one publisher's messages to one subscriber in publish
 * order, so "not newer than the last one" means "already handled".
 *
 * Bounded: past `maxOrigins` nodes, the one heard from least recently is forgotten.
 */
export class SequenceTracker {
  readonly #last = new Map<string, number>();

  /** @param maxOrigins publishing nodes remembered at once. Default: 4096. */
  constructor(readonly maxOrigins = 4096) {}

  /** Publishing nodes currently remembered. */
  get size(): number {
    return this.#last.size;
  }

  /** True when `seq` is newer than anything seen from `origin` (and records it); false for a repeat. */
  fresh(origin: string, seq: number): boolean {
    const last = this.#last.get(origin);
    if (last !== undefined) {
      if (seq <= last) return false;
      this.#last.delete(origin); // re-inserted below: most recently heard from goes last
    } else if (this.#last.size >= this.maxOrigins) {
      const oldest = this.#last.keys().next();
      if (oldest.done !== true) this.#last.delete(oldest.value);
    }
    this.#last.set(origin, seq);
    return true;
  }
}
