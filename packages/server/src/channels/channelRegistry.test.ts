import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../connection.js";
import { ChannelRegistry } from "./channelRegistry.js";
import { GlobPattern } from "./globPattern.js";

/** The slice of a connection the registry uses. */
function fakeConn(name: string): ClientConnection {
  const channelSet = new Set<string>();
  return {
    uid: name,
    channelSet,
    subscribedTo: (n: string) => channelSet.has(n),
    get subscribedChannels() {
      return new Set(channelSet);
    },
  } as unknown as ClientConnection;
}

const names = (set: ReadonlySet<ClientConnection>) => [...set].map((c) => c.uid).sort();

describe("ChannelRegistry", () => {
  it("finds the same subscribers through its index as matching every pattern does", () => {
    const registry = new ChannelRegistry();
    const patterns = ["user.1.*", "user.12.*", "*.admin", "*", "*x*", "us?r.*", "[ab]*", "a*b", "user.*.1", "*.[0-9]", "room.1"];
    const conns = patterns.map((p, i) => {
      const c = fakeConn(`c${i}`);
      expect(registry.subscribe(c, [p], 5)).toBe(true);
      return c;
    });
    const channels = ["user.1.x", "user.12.y", "user.1", "x.admin", "abba", "b", "user.5.1", "room.1", "q.7", "", "axb", "usxr.2"];
    for (const channel of channels) {
      const expected = patterns.flatMap((p, i) => (GlobPattern.compile(p).test(channel) ? [conns[i]!.uid] : [])).sort();
      // Twice: the second answer comes from the match cache.
      expect({ channel, got: names(registry.recipients(channel)) }).toEqual({ channel, got: expected });
      expect({ channel, got: names(registry.recipients(channel)) }).toEqual({ channel, got: expected });
    }
  });

  it("forgets only the cached channels a pattern's join or leave can change", () => {
    const registry = new ChannelRegistry();
    const a = fakeConn("a");
    const b = fakeConn("b");
    registry.subscribe(a, ["room.*"], 5);
    for (const ch of ["room.1", "room.2", "lobby.1"]) registry.recipients(ch);
    expect(registry.stats().matchCacheEntries).toBe(0); // a channel is cached on its second miss
    for (const ch of ["room.1", "room.2", "lobby.1"]) registry.recipients(ch);
    expect(registry.stats().matchCacheEntries).toBe(3);
    registry.subscribe(b, ["lobby.*"], 5);
    expect(registry.stats().matchCacheEntries).toBe(2); // lobby.1 forgotten, room.* kept
    expect(names(registry.recipients("lobby.1"))).toEqual(["b"]);
    registry.unsubscribe(a, ["room.*"]);
    expect(registry.stats().matchCacheEntries).toBe(1);
    expect(names(registry.recipients("room.1"))).toEqual([]);
    registry.subscribe(a, ["*"], 5);
    expect(names(registry.recipients("room.1"))).toEqual(["a"]);
    expect(names(registry.recipients("lobby.1"))).toEqual(["a", "b"]);
  });

  it("frees a pattern's compiled form with its last subscriber", () => {
    const registry = new ChannelRegistry();
    const a = fakeConn("a");
    for (let i = 0; i < 300; i++) {
      registry.subscribe(a, [`p.${i}.${"x".repeat(200)}*`], 5);
      registry.unsubscribe(a, [`p.${i}.${"x".repeat(200)}*`]);
    }
    expect(registry.stats()).toMatchObject({ patterns: 0, patternBytes: 0 });
  });

  it("refuses over-long patterns and names without taking a slot", () => {
    const registry = new ChannelRegistry(undefined, { maxPatternLength: 16, maxChannelNameLength: 32 });
    const a = fakeConn("a");
    expect(registry.subscribe(a, [`${"p".repeat(16)}*`], 5)).toBe(false);
    expect(registry.subscribe(a, ["n".repeat(33)], 5)).toBe(false);
    expect(registry.subscribe(a, ["ok", "n".repeat(33)], 5)).toBe(false); // all or nothing
    expect(a.channelSet.size).toBe(0);
    expect(registry.subscribe(a, ["n".repeat(32), `${"p".repeat(15)}*`], 2)).toBe(true);
    expect(registry.recipients("x".repeat(33)).size).toBe(0);
  });

  it("keeps the match cache within its byte bound", () => {
    const registry = new ChannelRegistry();
    registry.subscribe(fakeConn("a"), ["*"], 5);
    for (let i = 0; i < 3000; i++) for (const _ of [1, 2]) registry.recipients(`${i}.${"y".repeat(1000)}`);
    const { matchCacheEntries, matchCacheBytes } = registry.stats();
    expect(matchCacheEntries).toBeLessThanOrEqual(1024);
    expect(matchCacheBytes).toBeLessThanOrEqual(4 << 20);
    expect(matchCacheBytes).toBeGreaterThan(1024 * 2000); // counted: ~2 KB per cached name
  });
});
