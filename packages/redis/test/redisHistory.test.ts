import { PacketSource, type Packet } from "@webshocket/protocol";
import { RawClient, requireRedisServer, startRedisServer, type RedisServer } from "@webshocket/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspector, startNode, type ClusterNode } from "./clusterNode.js";

const hasRedis = requireRedisServer("@webshocket/redis history tests");

const onChannel = (c: RawClient, channel: string): unknown[] => c.packets.filter((p: Packet) => p.source === PacketSource.CHANNEL && p.channel === channel).map((p) => p.data);
const settled = (...nodes: ClusterNode[]): Promise<unknown> => Promise.all(nodes.map((n) => n.broker.subscriptionsSettled()));

describe.skipIf(!hasRedis)("Redis channel history (RedisBroker history option)", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("delivers in offset order on every node (publisher included), once with exact + pattern subscriptions, and reads back what was published", async () => {
    const prefix = `h${Math.random().toString(36).slice(2)}:`;
    await using a = await startNode(redis.url, { prefix, history: { size: 5000, ttl: "5m", channels: ["room.*"] } });
    await using b = await startNode(redis.url, { prefix, history: { size: 5000, ttl: "5m", channels: ["room.*"] } });
    await using onA = await RawClient.connect(a.url);
    await using onB = await RawClient.connect(b.url);
    await onA.call("join", [["room.1", "room.*"]]);
    await onB.call("join", [["room.1", "room.2", "plain"]]);
    await settled(a, b);
    const n = 200 + Math.floor(Math.random() * 300);
    const sent: Record<string, number[]> = { "room.1": [], "room.2": [] };
    const publishes: Array<Promise<void>> = [];
    for (let i = 0; i < n; i++) {
      const channel = Math.random() < 0.5 ? "room.1" : "room.2";
      sent[channel]?.push(i);
      publishes.push((i % 2 === 0 ? a : b).handler.publish(channel, i));
    }
    publishes.push(a.handler.publish("plain", "no history"));
    await Promise.all(publishes);
    await onB.waitUntil(() => onChannel(onB, "room.1").length + onChannel(onB, "room.2").length === n);
    await onA.waitUntil(() => onChannel(onA, "room.1").length + onChannel(onA, "room.2").length === n);
    await onB.waitUntil(() => onChannel(onB, "plain").length === 1);
    // Both nodes see one order per channel: the offsets'.
    const r1 = await a.handler.history("room.1");
    const r2 = await b.handler.history("room.2");
    expect(r1.publications.map((p) => p.offset)).toEqual(Array.from({ length: r1.publications.length }, (_, i) => i + 1));
    expect(new Set(r1.publications.map((p) => p.data))).toEqual(new Set(sent["room.1"]));
    expect(onChannel(onA, "room.1")).toEqual(r1.publications.map((p) => p.data));
    expect(onChannel(onB, "room.1")).toEqual(r1.publications.map((p) => p.data));
    expect(onChannel(onA, "room.2")).toEqual(r2.publications.map((p) => p.data));
    expect(onChannel(onB, "room.2")).toEqual(r2.publications.map((p) => p.data));
    expect(a.broker.stats.duplicates).toBeGreaterThan(0); // room.1 came through the exact and the pattern subscription
    await expect(a.handler.history("plain")).rejects.toThrow(RangeError);
  });

  it("reads after a position, pages, and refuses positions that are gone (other epoch, trimmed, past the newest)", async () => {
    const prefix = `h${Math.random().toString(36).slice(2)}:`;
    await using a = await startNode(redis.url, { prefix, history: { size: 50 } });
    const n = 120 + Math.floor(Math.random() * 50);
    for (let i = 0; i < n; i++) await a.handler.publish("log", i);
    const all = await a.handler.history("log");
    expect(all.offset).toBe(n);
    expect(all.publications.map((p) => p.data)).toEqual(Array.from({ length: 50 }, (_, i) => n - 50 + i));
    const since = n - 10 - Math.floor(Math.random() * 30);
    const after = await a.handler.history("log", { since: { epoch: all.epoch, offset: since }, limit: 7 });
    expect(after.recovered).toBe(true);
    expect(after.publications).toEqual(Array.from({ length: 7 }, (_, i) => ({ offset: since + 1 + i, data: since + i })));
    expect((await a.handler.history("log", { since: { epoch: all.epoch, offset: n } })).publications).toEqual([]);
    expect((await a.handler.history("log", { since: { epoch: all.epoch, offset: n - 50 } })).recovered).toBe(true);
    for (const gone of [{ epoch: all.epoch, offset: n - 51 }, { epoch: "other", offset: n - 5 }, { epoch: all.epoch, offset: n + 1 }]) {
      expect(await a.handler.history("log", { since: gone })).toEqual({ epoch: all.epoch, offset: n, publications: [], recovered: false });
    }
    const newest = await a.handler.history("log", { limit: 3 });
    expect(newest.publications.map((p) => p.offset)).toEqual([n - 2, n - 1, n]);
    const empty = await a.handler.history("never");
    expect(empty).toMatchObject({ offset: 0, publications: [], recovered: true });
    expect((await a.handler.history("never", { since: { epoch: empty.epoch, offset: 0 } })).recovered).toBe(false);
    await expect(a.handler.history("log", { limit: -1 })).rejects.toThrow(RangeError);

    // A Redis that lost its scripts (restart, SCRIPT FLUSH) is sent their source again.
    await using look = await inspector(redis.url);
    await look.sendCommand(["SCRIPT", "FLUSH"]);
    await a.handler.publish("log", "after flush");
    const last = await a.handler.history("log", { limit: 1 });
    expect(last.publications).toEqual([{ offset: n + 1, data: "after flush" }]);
  });
});
