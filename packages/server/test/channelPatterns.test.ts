import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { PacketSource, RPCErrorCode } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("channel patterns from hostile clients", () => {
  it("keeps a bystander's round trip under a second while an attacker publishes against backtracking-hostile patterns", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using attacker = await RawClient.connect(server.url);
    await using bystander = await RawClient.connect(server.url);
    // micromatch compiled these to backtracking regexes: 0.8 s, 3.7 s, 8.0 s for 22, 23, 24 `a`s, 30.7 s on 38.
    expect((await attacker.call("join", [["*(a*)*(a*)*(a*)b", `${"a*".repeat(16)}b`]])).response).toBe(true);
    for (const n of [...range(22, 30), 38, 1024]) {
      const publish = attacker.call("publishTo", ["a".repeat(n), n]);
      const started = performance.now();
      expect((await bystander.call("add", [n, 1])).response).toBe(n + 1);
      expect(performance.now() - started).toBeLessThan(1000); // the generous bound
      await publish;
    }
    expect(attacker.packets.filter((p) => p.source === PacketSource.CHANNEL)).toEqual([]);
  });

  it("refuses over-long patterns and names without taking a subscription slot, and over-long publishes with a clear error", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    for (let i = 0; i < 5; i++) expect((await c.call("join", [`${i}.${"p".repeat(65 * 1024)}*`])).response).toBe(false);
    expect((await c.call("join", [`${"p".repeat(256)}*`])).response).toBe(false); // 257 > maxPatternLength 256
    expect((await c.call("join", ["n".repeat(1025)])).response).toBe(false); // > maxChannelNameLength 1024
    expect((await c.call("join", [["room.2", "n".repeat(1025)]])).response).toBe(false); // all or nothing
    expect((await c.call("join", ["room.1"])).response).toBe(true);
    expect((await c.call("join", [[`${"p".repeat(255)}*`, "n".repeat(1024), "room.3", "room.4"]])).response).toBe(true);
    expect(server.channelStats).toMatchObject({ channels: 4, patterns: 1 });
    const refused = await c.call("publishTo", ["n".repeat(1025), "x"]);
    expect(refused).toMatchObject({ error: RPCErrorCode.INVALID_PARAMS, response: expect.stringMatching(/at most 1024 characters .*maxChannelNameLength/) });
  });

  it("keeps the match cache and compiled patterns bounded in bytes, and frees patterns when they are left", async () => {
    await using server = await startServer({ handler: new TestHandler(), maxPayloadLength: 8 * 1024 * 1024 });
    await using c = await RawClient.connect(server.url);
    await using other = await RawClient.connect(server.url);
    expect((await other.call("join", [["*", "x*y"]])).response).toBe(true);
    const heapBefore = heapAfterGc();
    // Unique publishes of the longest allowed names: the cache keeps at most its bound.
    for (let i = 0; i < 40; i++) {
      // Each name twice: a channel is cached on its second miss.
      await c.call("publishSequence", [range(0, 49).flatMap((j) => [[`${i}.${j}.${"n".repeat(1000)}`, 0], [`${i}.${j}.${"n".repeat(1000)}`, 1]])]);
    }
    // Names of 4 MB are refused (micromatch's cache kept up to 1,024 of them).
    for (let i = 0; i < 10; i++) expect((await c.call("publishTo", [`${i}${"n".repeat(4 << 20)}`, 0])).error).toBe(RPCErrorCode.INVALID_PARAMS);
    // Unique patterns joined and left: nothing stays compiled.
    for (let i = 0; i < 300; i++) {
      expect((await c.call("join", [`${i}.${"p".repeat(240)}*`])).response).toBe(true);
      await c.call("leave", [`${i}.${"p".repeat(240)}*`]);
    }
    await other.waitUntil(() => other.packets.filter((p) => p.source === PacketSource.CHANNEL).length === 4000);
    const stats = server.channelStats;
    expect(stats.matchCacheEntries).toBeLessThanOrEqual(1024);
    expect(stats.matchCacheBytes).toBeGreaterThan(1024 * 1024); // ~2 KB counted per cached name
    expect(stats.matchCacheBytes).toBeLessThanOrEqual(4 << 20);
    expect(stats.patterns).toBe(2);
    expect(stats.patternBytes).toBeLessThan(1024);
    other.packets.length = 0;
    // 2,000 names of ~2 KB were published twice and 50 MB of refused names received: the heap keeps the bound, not those.
    expect(heapAfterGc() - heapBefore).toBeLessThan(24 * 1024 * 1024);
  });
});
