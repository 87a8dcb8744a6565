import { requireRedisServer, startRedisServer, type RedisServer } from "@webshocket/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisRateLimitStore, RedisUnavailableError } from "../src/index.js";
import { inspector } from "./clusterNode.js";

const hasRedis = requireRedisServer("RedisRateLimitStore tests");

/** Deterministic PRNG (mulberry32), as in guards' SlidingWindow test. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!hasRedis)("RedisRateLimitStore against a real Redis", () => {
  let redis: RedisServer;
  const stores: RedisRateLimitStore[] = [];
  const store = (options: ConstructorParameters<typeof RedisRateLimitStore>[0] = {}): RedisRateLimitStore => {
    const s = new RedisRateLimitStore({ url: redis.url, ...options });
    stores.push(s);
    return s;
  };
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis?.stop();
  });

  // Period 60 s (simulated): keys get a real PEXPIRE of 60 s, far longer than the test.
  it.each([1, 2, 3, 7, 20])(
    "is a true sliding window shared by two nodes: never more than limit=%i in any period, never a needless refusal",
    async (limit) => {
      let t = 0;
      const nodes = [store({ now: () => t }), store({ now: () => t })];
      const next = random(limit * 7919);
      const period = 60_000;
      const owner = `user-${limit}-${Math.random()}`;
      const accepted: number[] = [];
      for (let i = 0; i < 600; i++) {
        t += Math.round(next() < 0.1 ? next() * 2 * period : next() * (period / limit) * 0.5);
        const ok = await (nodes[i % 2] as RedisRateLimitStore).consume(owner, "method", limit, period);
        const inWindow = accepted.filter((a) => a > t - period).length;
        expect(ok).toBe(inWindow < limit);
        if (ok) accepted.push(t);
      }
      for (let i = limit; i < accepted.length; i++) {
        expect((accepted[i] as number) - (accepted[i - limit] as number)).toBeGreaterThanOrEqual(period);
      }
    },
  );

  it("frees a slot exactly when the oldest call is a full period old, and treats a clock going back as standing still", async () => {
    let t = 1_000_000;
    const s = store({ now: () => t });
    const call = (): Promise<boolean> => s.consume("edge", "m", 2, 100);
    expect(await call()).toBe(true); // t0
    t += 10;
    expect(await call()).toBe(true); // t0 + 10
    t += 89;
    expect(await call()).toBe(false); // t0 + 99
    t += 1;
    expect(await call()).toBe(true); // t0 + 100: the first call left
    t -= 50; // the clock steps back
    expect(await call()).toBe(false);
  });

  it("with Redis's clock, lets exactly `limit` of a concurrent burst from three nodes through", async () => {
    const nodes = [store(), store(), store()];
    const owner = `burst-${Math.random()}`;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (nodes[i % 3] as RedisRateLimitStore).consume(owner, "m", 10, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await (nodes[0] as RedisRateLimitStore).consume(owner, "other-method", 10, 60_000)).toBe(true);
    expect(await (nodes[1] as RedisRateLimitStore).consume(`${owner}-2`, "m", 10, 60_000)).toBe(true);
  });

  it("does not record refused calls, keeps windows across release(), and lets keys expire with the period", async () => {
    await using look = await inspector(redis.url);
    const s = store({ prefix: "t-expire:" });
    for (let i = 0; i < 10; i++) await s.consume("o", "m", 3, 5000);
    expect(await look.sendCommand(["ZCARD", "t-expire:1:o:m"])).toBe(3);
    const pttl = Number(await look.sendCommand(["PTTL", "t-expire:1:o:m"]));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(5000);
    s.release("o");
    expect(await s.consume("o", "m", 3, 5000)).toBe(false);
  });

  it("keeps owners apart however they are spelled", async () => {
    const s = store({ now: () => 0 });
    expect(await s.consume("a:b", "c", 1, 1000)).toBe(true);
    expect(await s.consume("a", "b:c", 1, 1000)).toBe(true);
  });

  it("reloads its script after Redis forgot it (SCRIPT FLUSH, or a restart)", async () => {
    await using look = await inspector(redis.url);
    const s = store();
    const owner = `flush-${Math.random()}`;
    expect(await s.consume(owner, "m", 2, 60_000)).toBe(true);
    await look.sendCommand(["SCRIPT", "FLUSH"]);
    expect(await s.consume(owner, "m", 2, 60_000)).toBe(true);
    expect(await s.consume(owner, "m", 2, 60_000)).toBe(false);
  });

  it("works on a shared client, which it neither connects nor closes", async () => {
    await using shared = await inspector(redis.url);
    const s = new RedisRateLimitStore({ client: shared });
    const owner = `shared-${Math.random()}`;
    expect(await s.consume(owner, "m", 1, 60_000)).toBe(true);
    expect(await s.consume(owner, "m", 1, 60_000)).toBe(false);
    await s.close();
    expect(shared.isReady).toBe(true);
  });

  it("validates limit and periodMs", async () => {
    const s = store();
    await expect(s.consume("a", "m", 0, 10)).rejects.toThrow(RangeError);
    await expect(s.consume("a", "m", 1, 0)).rejects.toThrow(RangeError);
    await expect(s.consume("a", "m", 1, Number.NaN)).rejects.toThrow(RangeError);
  });

  it("rejects with RedisUnavailableError while Redis is down, and works again when it is back", async () => {
    await using own = await startRedisServer();
    const s = new RedisRateLimitStore({ url: own.url, reconnectDelayMs: [10, 50] });
    stores.push(s);
    const owner = `outage-${Math.random()}`;
    expect(await s.consume(owner, "m", 5, 60_000)).toBe(true);
    await own.stop("SIGKILL");
    await expect(s.consume(owner, "m", 5, 60_000)).rejects.toBeInstanceOf(RedisUnavailableError);
    await own.start();
    await expect.poll(() => s.consume(owner, "m", 5, 60_000).catch(() => "down"), { interval: 20, timeout: 5000 }).toBe(true);
  });

  it("fails the first use with a clear error when Redis cannot be reached", async () => {
    const s = new RedisRateLimitStore({ url: "redis://127.0.0.1:1", connectTimeoutMs: 200, reconnectDelayMs: [10, 50] });
    await expect(s.consume("a", "m", 1, 1000)).rejects.toThrow(/could not connect to Redis at redis:\/\/127\.0\.0\.1:1 within 200 ms/);
    await s.close();
  });
});
