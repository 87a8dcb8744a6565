import type { GlobPattern } from "./globPattern.js";

/** What the index holds per pattern: its compiled form (the registry's entries carry more). */
export interface Indexed {
  readonly glob: GlobPattern;
}

/** Slots of the filter in front of the buckets: 1 MiB of counters, allocated with the first key. */
const FILTER_SLOTS = 1 << 20;

/**
 * Patterns keyed by one literal end (prefix or suffix). A lookup walks the channel once from that end,
 * hashing as it goes, and at each length a key has asks a counting filter (1 MiB, so it stays in cache)
 * before the bucket map: a channel costs a few steps per character up to the longest key, and a map probe
 * only where a key may be, however many patterns there are.
 */
class LiteralEnds<T extends Indexed> {
  /** Hash of a key → the entries filed under keys with that hash (checked against the key on lookup). */
  readonly #buckets = new Map<number, Set<T>>();
  /** Key length → how many keys have it. */
  readonly #lengths: number[] = [];
  #maxLength = 0;
  #filter: Uint8Array | undefined;

  constructor(private readonly atEnd: boolean) {}

  #key(entry: T): string {
    return this.atEnd ? entry.glob.suffix : entry.glob.prefix;
  }

  /** The hash of `key` as a lookup computes it (walking from this index's end). */
  #hash(key: string): number {
    let h = 0;
    const n = key.length;
    for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + key.charCodeAt(this.atEnd ? n - 1 - i : i)) | 0;
    return h & 0x3fffffff;
  }

  add(entry: T): void {
    const key = this.#key(entry);
    const h = this.#hash(key);
    let bucket = this.#buckets.get(h);
    if (bucket === undefined) this.#buckets.set(h, (bucket = new Set()));
    if (bucket.has(entry)) return;
    bucket.add(entry);
    const filter = (this.#filter ??= new Uint8Array(FILTER_SLOTS));
    const slot = h & (FILTER_SLOTS - 1);
    if (filter[slot]! < 255) filter[slot]!++; // saturated counters stay set
    this.#lengths[key.length] = (this.#lengths[key.length] ?? 0) + 1;
    if (key.length > this.#maxLength) this.#maxLength = key.length;
  }

  delete(entry: T): void {
    const key = this.#key(entry);
    const h = this.#hash(key);
    const bucket = this.#buckets.get(h);
    if (bucket === undefined || !bucket.delete(entry)) return;
    if (bucket.size === 0) this.#buckets.delete(h);
    const slot = h & (FILTER_SLOTS - 1);
    if (this.#filter![slot]! < 255) this.#filter![slot]!--;
    this.#lengths[key.length]!--;
    while (this.#maxLength > 0 && !this.#lengths[this.#maxLength]) this.#maxLength--;
  }

  /** Adds to `out` every pattern whose key is a prefix (suffix) of `channel`. */
  collect(channel: string, out: T[]): void {
    const filter = this.#filter;
    if (filter === undefined || this.#buckets.size === 0) return;
    const n = channel.length;
    const end = Math.min(n, this.#maxLength);
    const lengths = this.#lengths;
    let h = 0;
    for (let len = 1; len <= end; len++) {
      h = (Math.imul(h, 31) + channel.charCodeAt(this.atEnd ? n - len : len - 1)) | 0;
      if (!lengths[len]) continue;
      const hash = h & 0x3fffffff;
      if (filter[hash & (FILTER_SLOTS - 1)] === 0) continue;
      const bucket = this.#buckets.get(hash);
      if (bucket === undefined) continue;
      for (const e of bucket) {
        const key = this.#key(e);
        if (key.length === len && (this.atEnd ? channel.endsWith(key) : channel.startsWith(key))) out.push(e);
      }
    }
  }
}

/**
 * Finds the patterns that may match a channel without looking at the others. Each pattern is filed under
 * the longer of its literal prefix and literal suffix (`user.12.*` under the prefix "user.12."); a lookup
 * walks the channel's first (last) characters up to the longest key, whatever the number of patterns. Only patterns with no literal at either end (`*`, `*x*`) are in a list tried for
 * every channel. The candidates are then matched in full.
 */
export class PatternIndex<T extends Indexed> {
  readonly #prefixes = new LiteralEnds<T>(false);
  readonly #suffixes = new LiteralEnds<T>(true);
  readonly #unanchored = new Set<T>();

  add(entry: T): void {
    const { prefix, suffix } = entry.glob;
    if (prefix.length === 0 && suffix.length === 0) this.#unanchored.add(entry);
    else if (prefix.length >= suffix.length) this.#prefixes.add(entry);
    else this.#suffixes.add(entry);
  }

  delete(entry: T): void {
    const { prefix, suffix } = entry.glob;
    if (prefix.length === 0 && suffix.length === 0) this.#unanchored.delete(entry);
    else if (prefix.length >= suffix.length) this.#prefixes.delete(entry);
    else this.#suffixes.delete(entry);
  }

  /**
   * Patterns that may match `channel` (each once): the ones whose indexed literal it has (checked, so a
   * `prefixOnly` pattern here matches), and the unanchored.
   */
  candidates(channel: string): T[] {
    const out: T[] = [];
    this.#prefixes.collect(channel, out);
    this.#suffixes.collect(channel, out);
    for (const e of this.#unanchored) {
      if (channel.includes(e.glob.longestRun)) out.push(e);
    }
    return out;
  }
}

/** True when `glob` could match `channel` by its literal ends and longest literal run (a cheap pre-check). */
export function mayMatch(glob: GlobPattern, channel: string): boolean {
  return channel.startsWith(glob.prefix) && channel.endsWith(glob.suffix) && channel.includes(glob.longestRun);
}
