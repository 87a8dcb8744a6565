/** Bytes counted per cached channel besides its name and its list (map entry, array header). */
const ENTRY_OVERHEAD = 64;

/**
 * Channel name → the pattern entries matching it, bounded in entries and in bytes (names counted at two
 * bytes per UTF-16 unit, lists at eight per reference). Oldest entries leave first when either bound is
 * reached. Entries can be dropped one by one, so a pattern's join or leave forgets only the channels it
 * could match.
 */
export class MatchCache<T> {
  readonly #map = new Map<string, T[]>();
  #bytes = 0;

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

  /** Remembers `entries` for `channel` unless that one alone would pass the byte bound. */
  set(channel: string, entries: T[]): void {
    const cost = sizeOf(channel, entries);
    if (cost > this.maxBytes || this.maxEntries === 0) return;
    this.delete(channel);
    for (const oldest of this.#map.keys()) {
      if (this.#map.size < this.maxEntries && this.#bytes + cost <= this.maxBytes) break;
      this.delete(oldest);
    }
    this.#map.set(channel, entries);
    this.#bytes += cost;
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
