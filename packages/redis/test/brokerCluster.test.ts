import { ClientType, PacketSource, RPCErrorCode, type Packet } from "@webshocket/protocol";
import { RawClient, requireRedisServer, startRedisServer, type RedisServer } from "@webshocket/test-utils";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inspector, numsub, patternSubscriptions, startNode, type ClusterNode } from "./clusterNode.js";

const hasRedis = requireRedisServer("@webshocket/redis broker tests");

const onChannel = (c: RawClient, channel?: string): unknown[] =>
  c.packets.filter((p: Packet) => p.source === PacketSource.CHANNEL && (channel === undefined || p.channel === channel)).map((p) => p.data);

/** Waits until every node's (un)subscriptions have been answered by Redis. */
const settled = (...nodes: ClusterNode[]): Promise<unknown> => Promise.all(nodes.map((n) => n.broker.subscriptionsSettled()));

/** Publishes a marker on `channel` from `sender` and waits until `receiver` has it: all earlier traffic from that node has arrived. */
async function barrier(sender: RawClient, receiver: RawClient, channel: string): Promise<void> {
  const mark = `barrier-${Math.random()}`;
  await sender.call("publishTo", [channel, mark]);
  await receiver.waitFor((p) => p.data === mark);
}

describe.skipIf(!hasRedis)("RedisBroker across nodes", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("delivers exact-channel publishes from any node to subscribers on every node, both client types, once", async () => {
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using c = await startNode(redis.url);
    await using onA = await RawClient.connect(a.url);
    await using onB = await RawClient.connect(b.url, ClientType.GENERIC);
    await using onC = await RawClient.connect(c.url);
    for (const client of [onA, onB, onC]) expect((await client.call("join", ["room"])).response).toBe(true);
    await settled(a, b, c);

    await onA.call("publishTo", ["room", { text: "from a" }]);
    await onC.call("publishTo", ["room", "from c"]);
    for (const client of [onA, onB, onC]) {
      await client.waitUntil(() => onChannel(client, "room").length === 2);
      expect(onChannel(client, "room")).toEqual([{ text: "from a" }, "from c"]);
    }
    const got = onB.packets.length;
    await barrier(onA, onB, "room");
    expect(onB.packets.length).toBe(got); // the barrier was taken out: nothing else came
    expect(a.broker.stats.ownEchoes).toBeGreaterThan(0); // its own publish came back and was skipped
  });

  it("delivers to glob subscribers on other nodes, once even with overlapping exact + pattern subscriptions", async () => {
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using pub = await RawClient.connect(a.url);
    await using sub = await RawClient.connect(b.url);
    await sub.call("join", [["news.*", "news.tech", "n?ws.[st]*"]]);
    await sub.call("join", ["end"]);
    await settled(b);
    await pub.call("publishTo", ["news.tech", "cpu"]);
    await pub.call("publishTo", ["news.sports", "goal"]);
    await pub.call("publishTo", ["weather", "rain"]);
    await pub.call("publishTo", [["news.tech", "news.x", "end"], "multi"]);
    await sub.waitUntil(() => onChannel(sub, "end").includes("multi"));
    await barrier(pub, sub, "end");
    const got = sub.packets.filter((p) => p.source === PacketSource.CHANNEL && p.channel !== "end").map((p) => [p.channel, p.data]);
    expect(got).toEqual([
      ["news.tech", "cpu"],
      ["news.sports", "goal"],
      ["news.tech", "multi"],
      ["news.x", "multi"],
    ]);
    expect(b.broker.stats.duplicates).toBeGreaterThan(0); // the exact + pattern copies were seen, and dropped
  });

  it("excludes by connection uid and filters by a data predicate on the receiving node", async () => {
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using red = await RawClient.connect(a.url);
    await using blue = await RawClient.connect(b.url);
    await using redToo = await RawClient.connect(b.url, ClientType.GENERIC);
    await red.call("login", ["r1", "red"]);
    await blue.call("login", ["b1", "blue", true]);
    await redToo.call("login", ["r2", "red"]);
    for (const c of [red, blue, redToo]) await c.call("join", [["room", "end"]]);
    await settled(a, b);
    const blueUid = (await blue.call("uid")).response as string;
    const redTooUid = (await redToo.call("uid")).response as string;

    await red.call("publishTo", ["room", "to-others", "exclude-me"]);
    await red.call("publishTo", ["room", "to-red", "red"]);
    await red.call("publishTo", ["room", "to-admins", "admins"]);
    await red.call("publishTo", ["room", "not-b", "exclude-uids", [blueUid, redTooUid]]);
    await red.call("shout", ["all-but-red", "exclude-me"]);
    await red.call("shout", ["admins-only", "admins"]);
    for (const c of [red, blue, redToo]) await barrier(red, c, "end");
    expect(onChannel(red, "room")).toEqual(["to-red", "not-b"]);
    expect(onChannel(blue, "room")).toEqual(["to-others", "to-admins"]);
    expect(onChannel(redToo, "room")).toEqual(["to-others", "to-red"]);
    const broadcasts = (c: RawClient): unknown[] => c.packets.filter((p) => p.source === PacketSource.BROADCAST).map((p) => p.data);
    await blue.waitUntil(() => broadcasts(blue).length === 2);
    expect(broadcasts(blue)).toEqual(["all-but-red", "admins-only"]);
    expect(broadcasts(redToo)).toEqual(["all-but-red"]);
    expect(broadcasts(red)).toEqual([]);
  });

  it("refuses a function predicate in cluster mode, synchronously and clearly", async () => {
    await using a = await startNode(redis.url);
    expect(() => a.handler.publish("room", 1, { predicate: () => true })).toThrow(/function predicate cannot travel to other server nodes/);
    expect(() => a.handler.broadcast(1, { predicate: () => true })).toThrow(TypeError);
  });

  it("keeps each publisher's order across nodes", async () => {
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using sub = await RawClient.connect(b.url);
    await sub.call("join", [["seq.*", "other"]]);
    await settled(b);
    const n = 300;
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < n; i++) sends.push(a.handler.publish(i % 3 === 0 ? "other" : `seq.${i % 5}`, i));
    await Promise.all(sends);
    await sub.waitUntil(() => onChannel(sub).length === n);
    expect(onChannel(sub)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("subscribes in Redis only while a local client needs a channel, and to all channels only while a pattern is used", async () => {
    await using a = await startNode(redis.url, { prefix: "iso:" });
    await using b = await startNode(redis.url, { prefix: "iso:" });
    await using look = await inspector(redis.url);
    await using c1 = await RawClient.connect(a.url);
    await using c2 = await RawClient.connect(a.url);
    await using c3 = await RawClient.connect(b.url);
    expect(await numsub(look, "iso:c:room")).toBe(0);
    await c1.call("join", ["room"]);
    await c2.call("join", ["room"]);
    await settled(a);
    expect(await numsub(look, "iso:c:room")).toBe(1); // one Redis subscription for two local subscribers
    await c3.call("join", ["room"]);
    await settled(b);
    expect(await numsub(look, "iso:c:room")).toBe(2);
    await c1.call("leave", ["room"]);
    await settled(a);
    expect(await numsub(look, "iso:c:room")).toBe(2); // c2 still needs it
    await c2.call("leave", ["room"]);
    await settled(a);
    expect(await numsub(look, "iso:c:room")).toBe(1);

    const before = await patternSubscriptions(look);
    await c1.call("join", ["a.*"]);
    await c2.call("join", ["b.*"]);
    await settled(a);
    expect(await patternSubscriptions(look)).toBe(before + 1);
    await c1.call("leave", ["a.*"]);
    await settled(a);
    expect(await patternSubscriptions(look)).toBe(before + 1);
    await c2.close(); // leaving by disconnecting counts too
    await vi.waitFor(() => expect(a.handler.clients.size).toBe(1));
    await settled(a);
    expect(await patternSubscriptions(look)).toBe(before);
  });

  it("limits a user across nodes with the Redis store and a rate-limit key", async () => {
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using onA = await RawClient.connect(a.url);
    await using onB = await RawClient.connect(b.url);
    await using other = await RawClient.connect(b.url);
    const user = `ada-${Math.random()}`;
    await onA.call("login", [user]);
    await onB.call("login", [user]);
    await other.call("login", [`bob-${Math.random()}`]);
    const results = [];
    for (const c of [onA, onB, onA, onB]) results.push((await c.call("limitedPerUser")).error);
    expect(results).toEqual([null, null, null, RPCErrorCode.RATE_LIMIT_EXCEEDED]); // 3 per minute for the user, wherever
    expect((await other.call("limitedPerUser")).error).toBe(null);
  });

  it("fails start() with a clear error when Redis cannot be reached", async () => {
    const { RedisBroker } = await import("../src/index.js");
    const broker = new RedisBroker({ url: "redis://127.0.0.1:1", connectTimeoutMs: 300, reconnectMaxDelayMs: 50 });
    await expect(broker.start(() => {})).rejects.toThrow(/could not connect to Redis at redis:\/\/127\.0\.0\.1:1 within 300 ms/);
    expect(broker.status).toBe("closed");
    await broker.close();
  });
});
