/** Bytes counted per cached channel besides its name and its list (map entry, array header). */
const ENTRY_OVERHEAD = 64;
/** Bits of the doorkeeper: channels missed once (by hash), cleared after this many / 8 first misses. */
const DOORKEEPER_BITS = 1 << 16;

/**
 * Channel name → the pattern entries matching it, bounded in entries and in bytes (names counted at two
 * bytes per UTF-16 unit, lists at eight per reference). Oldest entries leave first when either bound is
 * reached. Entries can be dropped one by one, so a pattern's join or leave forgets only the channels it
 * could match.
 *
 * A channel is cached on its second miss (a doorkeeper bitmap of hashes remembers the first): a stream of
 * publishes to names never used again then allocates nothing here. Caching each of them cost more than it
 * saved: the entries lived long enough to be promoted, and with 100,000 patterns in the heap the collector
 * took a fresh-name publish from about 1.5 to 5 µs (apps/bench patternScale).
 */
export class MatchCache<T> {
  readonly #map = new Map<string, T[]>();
  #bytes = 0;
  readonly #seen = new Uint8Array(DOORKEEPER_BITS / 8);
  #firstMisses = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  /** Cached channels. */
  get size(): number {
    return this.#map.size;
  }
  /** Bytes counted for the cached channels. */
  get bytes(): number {
    return this.#bytes;
  }

  get(channel: string): T[] | undefined {
    return this.#map.get(channel);
  }

  /** Remembers `entries` for `channel` if it was missed before, unless that one alone would pass the byte bound. */
  set(channel: string, entries: T[]): void {
    const cost = sizeOf(channel, entries);
    if (cost > this.maxBytes || this.maxEntries === 0 || this.#firstMiss(channel)) return;
    this.delete(channel);
    for (const oldest of this.#map.keys()) {
      if (this.#map.size < this.maxEntries && this.#bytes + cost <= this.maxBytes) break;
      this.delete(oldest);
    }
    this.#map.set(channel, entries);
    this.#bytes += cost;
  }

  /** True (and remembered) when `channel` was not missed since the doorkeeper was last cleared. */
  #firstMiss(channel: string): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < channel.length; i++) h = Math.imul(h ^ channel.charCodeAt(i), 0x01000193);
    const bit = (h >>> 0) & (DOORKEEPER_BITS - 1);
    const byte = bit >>> 3;
    const mask = 1 << (bit & 7);
    if ((this.#seen[byte]! & mask) !== 0) return false;
    if (++this.#firstMisses > DOORKEEPER_BITS / 8) {
      this.#seen.fill(0);
      this.#firstMisses = 1;
    }
    this.#seen[byte]! |= mask;
    return true;
  }

  delete(channel: string): void {
    const entries = this.#map.get(channel);
    if (entries === undefined) return;
    this.#map.delete(channel);
    this.#bytes -= sizeOf(channel, entries);
  }

  /** Drops every cached channel for which `affected` is true. */
  forget(affected: (channel: string, entries: readonly T[]) => boolean): void {
    for (const [channel, entries] of this.#map) if (affected(channel, entries)) this.delete(channel);
  }
}

function sizeOf(channel: string, entries: readonly unknown[]): number {
  return ENTRY_OVERHEAD + 2 * channel.length + 8 * entries.length;
}
