import type { ClientConnection } from "../connection.js";
import { GlobPattern, codePoints } from "./globPattern.js";
import { MatchCache } from "./matchCache.js";
import { PatternIndex, mayMatch } from "./patternIndex.js";

const EMPTY: ReadonlySet<ClientConnection> = new Set();
/** Channels whose matching patterns are remembered: at most this many… */
const MATCH_CACHE_ENTRIES = 1024;
/** …and this many bytes (names ≤ maxChannelNameLength, so 1,024 names of 1,024 characters fit at 2 MiB + lists). */
const MATCH_CACHE_BYTES = 4 << 20;

interface PatternEntry {
  readonly glob: GlobPattern;
  readonly conns: Set<ClientConnection>;
}

/** Limits the registry enforces (server options of the same names). */
export interface ChannelLimits {
  /** Longest pattern a connection may subscribe to, in UTF-16 code units. */
  readonly maxPatternLength: number;
  /** Longest channel name that may be subscribed to or published to, in UTF-16 code units. */
  readonly maxChannelNameLength: number;
}

/** What the channel registry holds, for `server.channelStats`. */
export interface ChannelStats {
  /** Distinct exact channels with a subscriber. */
  channels: number;
  /** Distinct patterns with a subscriber (each compiled once, freed with its last subscriber). */
  patterns: number;
  /** Bytes held by the compiled patterns (approximate; text included). */
  patternBytes: number;
  /** Channels whose matching patterns are cached. */
  matchCacheEntries: number;
  /** Bytes counted for the match cache (bounded: see ARCHITECTURE.md). */
  matchCacheBytes: number;
}

/**
 * Who is subscribed to what: exact channel names and glob patterns (Python fnmatch semantics, matched by
 * GlobPattern in linear time). A publish to a channel finds its patterns through a PatternIndex and caches
 * them (MatchCache); a pattern's join or leave forgets only the cached channels it could match. Empty
 * channels and patterns are deleted.
 */
export class ChannelRegistry {
  readonly exact = new Map<string, Set<ClientConnection>>();
  readonly patterns = new Map<string, PatternEntry>();
  readonly #index = new PatternIndex<PatternEntry>();
  readonly #matches = new MatchCache<PatternEntry>(MATCH_CACHE_ENTRIES, MATCH_CACHE_BYTES);
  #patternBytes = 0;

  /** @param interest told when a channel or pattern gets its first subscriber or loses its last. */
  constructor(
    private readonly interest: (name: string, isPattern: boolean, wanted: boolean) => void = () => {},
    readonly limits: ChannelLimits = { maxPatternLength: 256, maxChannelNameLength: 1024 },
  ) {}

  /**
   * Subscribes `conn` to every name, or to none (returning false) when one is longer than the limits allow
   * or the names would pass `max` subscriptions. A refused call takes no slot.
   */
  subscribe(conn: ClientConnection, names: readonly string[], max: number): boolean {
    const fresh = [...new Set(names)].filter((n) => !conn.channelSet.has(n));
    for (const name of fresh) {
      if (typeof name !== "string" || name === "") throw new TypeError("Channel names must be non-empty strings.");
    }
    if (conn.channelSet.size + fresh.length > max) return false;
    const globs: Array<GlobPattern | undefined> = [];
    for (const name of fresh) {
      if (name.length > Math.max(this.limits.maxPatternLength, this.limits.maxChannelNameLength)) return false;
      const known = this.patterns.get(name)?.glob;
      const glob = known ?? (this.exact.has(name) ? undefined : GlobPattern.compile(name));
      if (glob?.isPattern === true ? name.length > this.limits.maxPatternLength : name.length > this.limits.maxChannelNameLength) return false;
      globs.push(glob?.isPattern === true ? glob : undefined);
    }
    fresh.forEach((name, i) => {
      conn.channelSet.add(name);
      const glob = globs[i];
      if (glob !== undefined) this.#addToPattern(name, glob, conn);
      else this.#addToChannel(name, conn);
    });
    return true;
  }

  #addToPattern(name: string, glob: GlobPattern, conn: ClientConnection): void {
    let entry = this.patterns.get(name);
    if (!entry) {
      this.patterns.set(name, (entry = { glob, conns: new Set() }));
      this.#index.add(entry);
      this.#patternBytes += glob.bytes;
      this.#matches.forget((channel) => mayMatch(glob, channel));
      this.interest(name, true, true);
    }
    entry.conns.add(conn);
  }

  #addToChannel(name: string, conn: ClientConnection): void {
    let set = this.exact.get(name);
    if (!set) {
      this.exact.set(name, (set = new Set()));
      this.interest(name, false, true);
    }
    set.add(conn);
  }

  /** Removes `conn` from each name; channels and patterns left empty are deleted. */
  unsubscribe(conn: ClientConnection, names: Iterable<string>): void {
    for (const name of [...names]) {
      if (!conn.channelSet.delete(name)) continue;
      const entry = this.patterns.get(name);
      if (entry) {
        entry.conns.delete(conn);
        if (entry.conns.size === 0) {
          this.patterns.delete(name);
          this.#index.delete(entry);
          this.#patternBytes -= entry.glob.bytes;
          this.#matches.forget((_channel, entries) => entries.includes(entry));
          this.interest(name, true, false);
        }
        continue;
      }
      const set = this.exact.get(name);
      if (!set) continue;
      set.delete(conn);
      if (set.size === 0) {
        this.exact.delete(name);
        this.interest(name, false, false);
      }
    }
  }

  /** Removes `conn` from everything (on disconnect). */
  removeAll(conn: ClientConnection): void {
    this.unsubscribe(conn, conn.subscribedChannels);
  }

  /** Sizes of what the registry holds. */
  stats(): ChannelStats {
    return {
      channels: this.exact.size,
      patterns: this.patterns.size,
      patternBytes: this.#patternBytes,
      matchCacheEntries: this.#matches.size,
      matchCacheBytes: this.#matches.bytes,
    };
  }

  /** The pattern entries matching `channel`, cached. */
  #matching(channel: string): PatternEntry[] {
    let entries = this.#matches.get(channel);
    if (entries !== undefined) return entries;
    // Candidates come with their literal prefix (or suffix) checked: `user.12.*` needs nothing more.
    let name: Int32Array | undefined;
    entries = this.#index.candidates(channel).filter((e) => e.glob.prefixOnly || e.glob.matches((name ??= codePoints(channel))));
    this.#matches.set(channel, entries);
    return entries;
  }

  /** Subscribers reached only through patterns (not exactly subscribed), each once. Read-only. */
  patternOnly(channel: string): ReadonlySet<ClientConnection> {
    // A name past the limit (from another node with other limits) is matched by no pattern here.
    if (this.patterns.size === 0 || channel.length > this.limits.maxChannelNameLength) return EMPTY;
    const entries = this.#matching(channel);
    const only = entries[0];
    if (only === undefined) return EMPTY;
    // One matching pattern and no exact subscriber: its set is the answer, no copy needed.
    if (entries.length === 1 && !this.exact.has(channel)) return only.conns;
    const out = new Set<ClientConnection>();
    for (const entry of entries) {
      for (const conn of entry.conns) if (!conn.subscribedTo(channel)) out.add(conn);
    }
    return out;
  }

  /** Every subscriber of `channel`, exact or by pattern, each once. Read-only. */
  recipients(channel: string): ReadonlySet<ClientConnection> {
    const byPattern = this.patternOnly(channel);
    const exact = this.exact.get(channel);
    if (exact === undefined) return byPattern;
    if (byPattern.size === 0) return exact;
    const out = new Set(byPattern);
    for (const conn of exact) out.add(conn);
    return out;
  }
}
