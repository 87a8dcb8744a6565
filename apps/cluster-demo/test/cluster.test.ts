import { createClient } from "@redis/client";
import { ClientType, PacketSource, RPCErrorCode, type Packet } from "@webshocket/protocol";
import { RawClient, requireRedisServer } from "@webshocket/test-utils";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCluster, type Cluster } from "../src/startCluster.js";

const hasRedis = requireRedisServer("cluster integration tests (3 reference-server processes on one Redis)");

/** A Redis connection for the test's own looks at who subscribes to what. */
async function inspect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: 50 } });
  client.on("error", () => {});
  await client.connect();
  return Object.assign(client, { [Symbol.asyncDispose]: async () => (client.isReady ? void (await client.close()) : client.destroy()) });
}

type Redis = Awaited<ReturnType<typeof inspect>>;

/** Waits until `n` nodes subscribe to webshocket channel `channel` in Redis. */
async function subscribers(redis: Redis, channel: string, n: number): Promise<void> {
  await vi.waitFor(async () => expect(((await redis.sendCommand(["PUBSUB", "NUMSUB", `webshocket:c:${channel}`])) as unknown[])[1]).toBe(n));
}

/** Waits until `n` nodes hold the all-channels pattern subscription (a local glob subscriber each). */
async function patternNodes(redis: Redis, n: number): Promise<void> {
  await vi.waitFor(async () => expect([...String(await redis.sendCommand(["CLIENT", "LIST"])).matchAll(/ psub=1/g)].length).toBe(n));
}

const channelData = (c: RawClient): unknown[] => c.packets.filter((p: Packet) => p.source === PacketSource.CHANNEL).map((p) => p.data);

describe.skipIf(!hasRedis)("a 3-node cluster of reference servers on one Redis", () => {
  let cluster: Cluster;
  let redis: Redis;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3, basePort: 0 });
    redis = await inspect(cluster.redisUrl);
  });
  afterAll(async () => {
    await redis?.[Symbol.asyncDispose]();
    await cluster?.close();
  });

  it("prints the cluster line and listens on three ports", () => {
    expect(new Set(cluster.urls).size).toBe(3);
    for (const node of cluster.nodes) expect(node.output()).toMatch(/cluster: node [0-9a-f-]{36} on redis:\/\/127\.0\.0\.1:\d+/);
  });

  it("publishes to exact and wildcard channels across nodes, once each, and not to the publisher", async () => {
    const [u1, u2, u3] = cluster.urls as [string, string, string];
    await using publisher = await RawClient.connect(u1);
    await using sameNode = await RawClient.connect(u1, ClientType.GENERIC);
    await using exact = await RawClient.connect(u2);
    await using wildcard = await RawClient.connect(u3, ClientType.GENERIC);
    await using unrelated = await RawClient.connect(u3);
    for (const c of [publisher, sameNode, exact]) expect((await c.call("join", ["room.1"])).response).toBe(true);
    expect((await wildcard.call("join", ["room.*"])).response).toBe(true);
    expect((await unrelated.call("join", ["lobby"])).response).toBe(true);
    await subscribers(redis, "room.1", 2);
    await patternNodes(redis, 1);

    await publisher.call("publish", ["room.1", { n: 1 }]);
    await publisher.call("publish", ["room.2", { n: 2 }]);
    await exact.call("publish", ["lobby", "done"]); // a marker through another node: all earlier traffic has arrived
    await unrelated.waitFor((p) => p.data === "done");
    await wildcard.waitUntil(() => channelData(wildcard).length === 2);
    expect(channelData(wildcard)).toEqual([{ n: 1 }, { n: 2 }]);
    await exact.waitUntil(() => channelData(exact).length === 1);
    await sameNode.waitUntil(() => channelData(sameNode).length === 1);
    expect(channelData(exact)).toEqual([{ n: 1 }]);
    expect(channelData(sameNode)).toEqual([{ n: 1 }]);
    expect(channelData(publisher)).toEqual([]); // excluded by uid
    expect(channelData(unrelated)).toEqual([]);
  });

  it("evaluates a broadcast's predicate on every node", async () => {
    const [u1, u2, u3] = cluster.urls as [string, string, string];
    await using sender = await RawClient.connect(u1);
    await using admin = await RawClient.connect(u2);
    await using user = await RawClient.connect(u3, ClientType.GENERIC);
    await admin.call("login", ["root", null, true]);
    await user.call("login", ["joe"]);
    await sender.call("broadcast", ["admins only", true]);
    await sender.call("broadcast", ["everyone"]);
    const broadcasts = (c: RawClient): unknown[] => c.packets.filter((p) => p.source === PacketSource.BROADCAST).map((p) => p.data);
    await admin.waitUntil(() => broadcasts(admin).length === 2);
    await user.waitUntil(() => broadcasts(user).includes("everyone"));
    expect(broadcasts(admin)).toEqual(["admins only", "everyone"]);
    expect(broadcasts(user)).toEqual(["everyone"]);
  });

  it("rate-limits one user across two nodes", async () => {
    const [u1, u2] = cluster.urls as [string, string, string];
    await using onNode1 = await RawClient.connect(u1);
    await using onNode2 = await RawClient.connect(u2);
    const name = `ada-${Math.random()}`;
    await onNode1.call("login", [name]);
    await onNode2.call("login", [name]);
    const errors = [];
    for (const c of [onNode1, onNode2, onNode2, onNode1]) errors.push((await c.call("limited_user")).error);
    expect(errors).toEqual([null, null, null, RPCErrorCode.RATE_LIMIT_EXCEEDED]);
  });
});

describe.skipIf(!hasRedis)("cluster faults", () => {
  it("survives a Redis restart mid-traffic: failures reported, traffic resumes, no duplicates", async () => {
    await using cluster = await startCluster({ nodes: 3, basePort: 0 });
    await using redis = await inspect(cluster.redisUrl);
    const [u1, u2, u3] = cluster.urls as [string, string, string];
    await using pub = await RawClient.connect(u1);
    await using sub2 = await RawClient.connect(u2);
    await using sub3 = await RawClient.connect(u3, ClientType.GENERIC);
    await sub2.call("join", ["ticks"]);
    await sub3.call("join", ["tick*"]);
    await subscribers(redis, "ticks", 1);
    await patternNodes(redis, 1);

    // Traffic: node 1 publishes a counter as fast as its RPCs answer, recording each outcome.
    const outcomes: Array<{ n: number; error: number | null }> = [];
    let running = true;
    const traffic = (async () => {
      for (let n = 0; running; n++) outcomes.push({ n, error: (await pub.call("publish", ["ticks", n])).error });
    })();
    const ticks = (c: RawClient): number[] => channelData(c).filter((d): d is number => typeof d === "number");
    try {
      await sub2.waitUntil(() => ticks(sub2).length >= 20);
      await cluster.redis?.stop("SIGKILL");
      await vi.waitFor(() => expect(outcomes.some((o) => o.error === RPCErrorCode.INTERNAL_SERVER_ERROR)).toBe(true)); // publish rejects while down
      await cluster.redis?.start();
      const restartedAt = outcomes.length;
      await vi.waitFor(() => expect(ticks(sub2).some((n) => n > restartedAt + 20) && ticks(sub3).some((n) => n > restartedAt + 20)).toBe(true), {
        timeout: 15_000,
      });
    } finally {
      running = false;
      await traffic;
    }
    for (const got of [ticks(sub2), ticks(sub3)]) {
      for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1] as number); // no duplicates, in order
    }
    const failed = new Set(outcomes.filter((o) => o.error !== null).map((o) => o.n));
    expect(ticks(sub2).some((n) => failed.has(n))).toBe(false); // a rejected publish reached no other node
    await vi.waitFor(() => {
      for (const node of cluster.nodes) {
        expect(node.output()).toMatch(/RedisBroker: lost Redis at redis:\/\/127\.0\.0\.1:\d+/);
        expect(node.output()).toMatch(/RedisBroker: Redis at .* is back after \d+ ms/);
      }
    });
  });

  it("keeps the other nodes working when one node dies", async () => {
    await using cluster = await startCluster({ nodes: 3, basePort: 0 });
    await using redis = await inspect(cluster.redisUrl);
    const [u1, u2, u3] = cluster.urls as [string, string, string];
    await using a = await RawClient.connect(u1);
    await using b = await RawClient.connect(u2);
    const doomed = await RawClient.connect(u3);
    for (const c of [a, b, doomed]) await c.call("join", ["room"]);
    await subscribers(redis, "room", 3);
    cluster.nodes[2]?.process.kill("SIGKILL");
    await doomed.closed;
    await subscribers(redis, "room", 2); // Redis dropped the dead node's subscriptions
    await a.call("publish", ["room", "still here"]);
    expect((await b.waitFor((p) => p.source === PacketSource.CHANNEL)).data).toBe("still here");
    await b.call("broadcast", ["hello"]);
    expect((await a.waitFor((p) => p.source === PacketSource.BROADCAST)).data).toBe("hello");
  });
});
