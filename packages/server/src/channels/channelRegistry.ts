import type { ClientConnection } from "../connection.js";
import { isPattern, matcherFor } from "./patterns.js";

const EMPTY: ReadonlySet<ClientConnection> = new Set();
/** Published-to channel names whose matching patterns are remembered. */
const MATCH_CACHE_SIZE = 1024;

interface PatternEntry {
  readonly match: (channel: string) => boolean;
  readonly conns: Set<ClientConnection>;
}

/**
 * Who is subscribed to what: exact channel names and glob patterns (matched in JS
 * with a cached micromatch matcher). Empty channels and patterns are deleted.
 */
export class ChannelRegistry {
  readonly exact = new Map<string, Set<ClientConnection>>();
  readonly patterns = new Map<string, PatternEntry>();
  /** Channel → matching pattern entries; cleared whenever a pattern is added or removed. */
  readonly #matches = new Map<string, PatternEntry[]>();

  /** @param interest told when a channel or pattern gets its first subscriber or loses its last. */
  constructor(private readonly interest: (name: string, isPattern: boolean, wanted: boolean) => void = () => {}) {}

  /** Subscribes `conn` to every name, or to none when that would pass `max` subscriptions. */
  subscribe(conn: ClientConnection, names: readonly string[], max: number): boolean {
    const fresh = [...new Set(names)].filter((n) => !conn.channelSet.has(n));
    if (conn.channelSet.size + fresh.length > max) return false;
    for (const name of fresh) {
      if (typeof name !== "string" || name === "") throw new TypeError("Channel names must be non-empty strings.");
    }
    for (const name of fresh) {
      conn.channelSet.add(name);
      if (isPattern(name)) {
        let entry = this.patterns.get(name);
        if (!entry) {
          this.patterns.set(name, (entry = { match: matcherFor(name), conns: new Set() }));
          this.#matches.clear();
          this.interest(name, true, true);
        }
        entry.conns.add(conn);
        continue;
      }
      let set = this.exact.get(name);
      if (!set) {
        this.exact.set(name, (set = new Set()));
        this.interest(name, false, true);
      }
      set.add(conn);
    }
    return true;
  }

  /** Removes `conn` from each name; channels left empty are deleted. */
  unsubscribe(conn: ClientConnection, names: Iterable<string>): void {
    for (const name of [...names]) {
      if (!conn.channelSet.delete(name)) continue;
      const entry = this.patterns.get(name);
      if (entry) {
        entry.conns.delete(conn);
        if (entry.conns.size === 0) {
          this.patterns.delete(name);
          this.#matches.clear();
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

  /** The pattern entries matching `channel`, cached until the set of patterns changes. */
  #matching(channel: string): PatternEntry[] {
    let entries = this.#matches.get(channel);
    if (entries !== undefined) return entries;
    entries = [...this.patterns.values()].filter((e) => e.match(channel));
    if (this.#matches.size >= MATCH_CACHE_SIZE) this.#matches.clear(); // channel names are unbounded
    this.#matches.set(channel, entries);
    return entries;
  }

  /** Subscribers reached only through patterns (not exactly subscribed), each once. Read-only. */
  patternOnly(channel: string): ReadonlySet<ClientConnection> {
    if (this.patterns.size === 0) return EMPTY;
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
