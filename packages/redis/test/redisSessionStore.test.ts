import { requireRedisServer, startRedisServer, type RedisServer } from "@webshocket/test-utils";
import { silentLogger } from "@webshocket/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisSessionStore } from "../src/index.js";
import { inspector } from "./clusterNode.js";

const hasRedis = requireRedisServer("@webshocket/redis session store tests");

/** Resolves with the next token reported to `store`'s `taken` listener. */
function notices() {
  const got: string[] = [];
  let wake: (() => void) | undefined;
  return {
    got,
    taken: (token: string) => {
      got.push(token);
      wake?.();
    },
    next: (n: number) => new Promise<void>((resolve) => (got.length >= n ? resolve() : (wake = () => got.length >= n && resolve()))),
  };
}

describe.skipIf(!hasRedis)("RedisSessionStore", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("takes a snapshot once in the cluster, tells the other nodes, and remembers why a token is retired", async () => {
    const prefix = `s${Math.random().toString(36).slice(2)}:`;
    const a = new RedisSessionStore({ url: redis.url, prefix });
    const b = new RedisSessionStore({ url: redis.url, prefix });
    const onA = notices();
    const onB = notices();
    await a.start(onA.taken, silentLogger);
    await b.start(onB.taken, silentLogger);
    await using look = await inspector(redis.url);
    try {
      await a.put("tok1", '{"uid":"u"}', 60_000);
      const ttl = Number(await look.sendCommand(["PTTL", `${prefix}session:tok1`]));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await a.touch(["tok1"], 600_000);
      expect(Number(await look.sendCommand(["PTTL", `${prefix}session:tok1`]))).toBeGreaterThan(60_000);

      expect(await b.take("tok1")).toEqual({ snapshot: '{"uid":"u"}' });
      await onA.next(1);
      expect(onA.got).toEqual(["tok1"]); // the other node hears of it
      expect(await a.take("tok1")).toEqual({ reason: "used" });
      expect(await a.take("never")).toEqual({ reason: "unknown" });

      await b.restore("tok1", '{"uid":"u"}', 60_000); // the client went away before its session opened
      expect(await a.take("tok1")).toEqual({ snapshot: '{"uid":"u"}' });
      await onB.next(1);
      expect(onB.got).toEqual(["tok1"]);

      await a.put("tok2", "{}", 60_000);
      await a.retire("tok2", "closed");
      expect(await b.take("tok2")).toEqual({ reason: "closed" });
      expect(onA.got).toEqual(["tok1"]); // its own take was not reported back to it
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("refuses bad options", () => {
    expect(() => new RedisSessionStore({ url: "http://x" })).toThrow(TypeError);
    expect(() => new RedisSessionStore({ retiredTtlMs: -1 })).toThrow(RangeError);
  });
});
