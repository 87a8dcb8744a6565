import { ClientType } from "@webshocket/protocol";
import type { ClientConnection } from "../connection.js";
import { isPattern, matcherFor } from "./patterns.js";
import { channelTopic } from "./topics.js";

interface PatternEntry {
  readonly match: (channel: string) => boolean;
  readonly conns: Set<ClientConnection>;
}

/**
 * Who is subscribed to what: exact channel names (mirrored into uWebSockets.js
 * topics, one per client type, for native fan-out) and glob patterns (matched in
 * JS with a cached micromatch matcher). Empty channels and patterns are deleted.
 */
export class ChannelRegistry {
  readonly exact = new Map<string, Set<ClientConnection>>();
  readonly patterns = new Map<string, PatternEntry>();
  /** Exact subscribers per channel per client type: lets publish skip encoding for absent types. */
  readonly #counts = new Map<string, { framework: number; generic: number }>();

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
      const counts = this.#counts.get(name) ?? { framework: 0, generic: 0 };
      if (conn.clientType === ClientType.FRAMEWORK) counts.framework++;
      else counts.generic++;
      this.#counts.set(name, counts);
      conn.socket?.subscribe(channelTopic(conn.clientType, name));
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
          this.interest(name, true, false);
        }
        continue;
      }
      const set = this.exact.get(name);
      if (!set) continue;
      set.delete(conn);
      const counts = this.#counts.get(name);
      if (counts) {
        if (conn.clientType === ClientType.FRAMEWORK) counts.framework--;
        else counts.generic--;
      }
      if (set.size === 0) {
        this.exact.delete(name);
        this.#counts.delete(name);
        this.interest(name, false, false);
      }
      conn.socket?.unsubscribe(channelTopic(conn.clientType, name));
    }
  }

  /** Removes `conn` from everything (on disconnect). */
  removeAll(conn: ClientConnection): void {
    this.unsubscribe(conn, conn.channelSet);
  }

  /** Exact subscribers of `channel` by client type. */
  countsOf(channel: string): { framework: number; generic: number } | undefined {
    return this.#counts.get(channel);
  }

  /** Subscribers reached only through patterns (not exactly subscribed), each once. */
  patternOnly(channel: string): Set<ClientConnection> {
    const out = new Set<ClientConnection>();
    for (const entry of this.patterns.values()) {
      if (!entry.match(channel)) continue;
      for (const conn of entry.conns) if (!conn.channelSet.has(channel)) out.add(conn);
    }
    return out;
  }

  /** Every subscriber of `channel`, exact or by pattern, each once. */
  recipients(channel: string): Set<ClientConnection> {
    const out = this.patternOnly(channel);
    for (const conn of this.exact.get(channel) ?? []) out.add(conn);
    return out;
  }
}
