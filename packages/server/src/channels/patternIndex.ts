import type { GlobPattern } from "./globPattern.js";

/** What the index holds per pattern: its compiled form (the registry's entries carry more). */
export interface Indexed {
  readonly glob: GlobPattern;
}

/** Patterns keyed by one literal end (prefix or suffix), found by the lengths of keys in use. */
class LiteralEnds<T extends Indexed> {
  readonly #buckets = new Map<string, Set<T>>();
  /** Key length → how many keys have it. */
  readonly #lengths = new Map<number, number>();
  #sorted: number[] = [];

  constructor(private readonly atEnd: boolean) {}

  add(key: string, entry: T): void {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#buckets.set(key, (bucket = new Set()));
      const count = this.#lengths.get(key.length) ?? 0;
      this.#lengths.set(key.length, count + 1);
      if (count === 0) this.#sorted = [...this.#lengths.keys()].sort((a, b) => a - b);
    }
    bucket.add(entry);
  }

  delete(key: string, entry: T): void {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined || !bucket.delete(entry) || bucket.size > 0) return;
    this.#buckets.delete(key);
    const count = this.#lengths.get(key.length)! - 1;
    if (count > 0) this.#lengths.set(key.length, count);
    else {
      this.#lengths.delete(key.length);
      this.#sorted = [...this.#lengths.keys()].sort((a, b) => a - b);
    }
  }

  /** Adds to `out` every pattern whose key is a prefix (suffix) of `channel`. */
  collect(channel: string, out: T[]): void {
    const n = channel.length;
    for (const len of this.#sorted) {
      if (len > n) break;
      const bucket = this.#buckets.get(this.atEnd ? channel.slice(n - len) : channel.slice(0, len));
      if (bucket !== undefined) for (const e of bucket) out.push(e);
    }
  }
}

/**
 * Finds the patterns that may match a channel without looking at the others. Each pattern is filed under
 * the longer of its literal prefix and literal suffix (`user.12.*` under the prefix "user.12."); a lookup
 * takes one hash probe per distinct key length in use (at most maxPatternLength + 1 of them), whatever the
 * number of patterns. Only patterns with no literal at either end (`*`, `*x*`) are in a list tried for
 * every channel. The candidates are then matched in full.
 */
export class PatternIndex<T extends Indexed> {
  readonly #prefixes = new LiteralEnds<T>(false);
  readonly #suffixes = new LiteralEnds<T>(true);
  readonly #unanchored = new Set<T>();

  add(entry: T): void {
    const { prefix, suffix } = entry.glob;
    if (prefix.length === 0 && suffix.length === 0) this.#unanchored.add(entry);
    else if (prefix.length >= suffix.length) this.#prefixes.add(prefix, entry);
    else this.#suffixes.add(suffix, entry);
  }

  delete(entry: T): void {
    const { prefix, suffix } = entry.glob;
    if (prefix.length === 0 && suffix.length === 0) this.#unanchored.delete(entry);
    else if (prefix.length >= suffix.length) this.#prefixes.delete(prefix, entry);
    else this.#suffixes.delete(suffix, entry);
  }

  /** Patterns that may match `channel` (each once): the ones whose indexed literal it has, and the unanchored. */
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
