import { once } from "node:events";
import { PacketSource, RPCErrorCode } from "@webshocket/protocol";
import { RawClient, requireRedisServer, startRedisServer } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import { RedisUnavailableError } from "../src/index.js";
import { startNode } from "./clusterNode.js";

const hasRedis = requireRedisServer("@webshocket/redis fault tests");

const received = (c: RawClient): number[] =>
  c.packets.filter((p) => p.source === PacketSource.CHANNEL && typeof p.data === "number").map((p) => p.data as number);

describe.skipIf(!hasRedis)("RedisBroker when Redis restarts", () => {
  it("reports the outage, keeps local traffic, rejects cross-node publishes, then resumes without duplicates", async () => {
    await using redis = await startRedisServer();
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using localSub = await RawClient.connect(a.url);
    await using remoteSub = await RawClient.connect(b.url);
    await using caller = await RawClient.connect(a.url);
    for (const c of [localSub, remoteSub]) await c.call("join", ["ticks"]);
    await Promise.all([a.broker.subscriptionsSettled(), b.broker.subscriptionsSettled()]);

    // Traffic: node A publishes a counter every 2 ms for the whole test.
    let next = 0;
    const resolved: number[] = [];
    const rejected: unknown[] = [];
    const timer = setInterval(() => {
      const n = next++;
      a.handler.publish("ticks", n).then(
        () => resolved.push(n),
        (err: unknown) => rejected.push(err),
      );
    }, 2);
    try {
      await remoteSub.waitUntil(() => received(remoteSub).length >= 20);

      const downA = once(a.broker, "down");
      const downB = once(b.broker, "down");
      await redis.stop("SIGKILL");
      await Promise.all([downA, downB]);
      expect(a.broker.status).toBe("down");

      // While Redis is away: a publish rejects visibly, this node's own clients still get it, RPC still works.
      const before = received(localSub).length;
      await expect(a.handler.publish("ticks", -1)).rejects.toBeInstanceOf(RedisUnavailableError);
      await localSub.waitFor((p) => p.data === -1);
      await localSub.waitUntil(() => received(localSub).length > before + 5);
      const failed = await caller.call("publishTo", ["ticks", "during-outage"]);
      expect(failed.error).toBe(RPCErrorCode.INTERNAL_SERVER_ERROR);
      expect(a.handler.errors.some((e) => e instanceof RedisUnavailableError)).toBe(true);
      expect((await caller.call("limitedPerUser")).error).toBe(RPCErrorCode.INTERNAL_SERVER_ERROR); // the store fails closed
      expect((await caller.call("uid")).error).toBe(null);

      const upA = once(a.broker, "up");
      const upB = once(b.broker, "up");
      await redis.start();
      await Promise.all([upA, upB]);
      expect(a.broker.status).toBe("up");

      // Traffic resumes across nodes.
      const resumeFrom = next;
      await remoteSub.waitUntil(() => received(remoteSub).some((n) => n > resumeFrom + 20));
    } finally {
      clearInterval(timer);
    }
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((e) => e instanceof RedisUnavailableError)).toBe(true);

    // No duplicates and publisher order, remotely and locally.
    for (const got of [received(remoteSub), received(localSub).filter((n) => n >= 0)]) {
      for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1] as number);
    }
    // Locally every publish was delivered, Redis or not.
    await localSub.waitUntil(() => received(localSub).filter((n) => n >= 0).length === next);
    expect(b.broker.stats.duplicates).toBe(0);

    for (const node of [a, b]) {
      expect(node.logger.lines.some((l) => /^error RedisBroker: lost Redis at redis:\/\/127\.0\.0\.1:\d+/.test(l))).toBe(true);
      expect(node.logger.lines.some((l) => /^warn RedisBroker: Redis at .* is back after \d+ ms; subscriptions restored/.test(l))).toBe(true);
    }
    // The rate-limit store has a connection of its own, reconnecting on its own backoff: the broker being back
    // does not mean it is. Calls fail closed (and consume nothing) until it is, then succeed.
    await vi.waitFor(async () => expect((await caller.call("limitedPerUser")).error).toBe(null), { timeout: 15_000, interval: 50 });
  });

  it("restores pattern subscriptions and subscriptions made during the outage", async () => {
    await using redis = await startRedisServer();
    await using a = await startNode(redis.url);
    await using b = await startNode(redis.url);
    await using pub = await RawClient.connect(a.url);
    await using early = await RawClient.connect(b.url);
    await using late = await RawClient.connect(b.url);
    await early.call("join", ["room.*"]);
    await b.broker.subscriptionsSettled();

    const down = once(b.broker, "down");
    await redis.stop("SIGKILL");
    await down;
    await late.call("join", ["late"]); // asked for while Redis is away
    const up = Promise.all([once(a.broker, "up"), once(b.broker, "up")]);
    await redis.start();
    await up;
    await b.broker.subscriptionsSettled();

    await pub.call("publishTo", ["room.1", "pattern ok"]);
    await pub.call("publishTo", ["late", "late ok"]);
    expect((await early.waitFor((p) => p.source === PacketSource.CHANNEL)).data).toBe("pattern ok");
    expect((await late.waitFor((p) => p.source === PacketSource.CHANNEL)).data).toBe("late ok");
  });
});
