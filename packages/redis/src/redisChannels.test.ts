import { describe, expect, it } from "vitest";
import { backoff } from "./backoff.js";
import { escapeGlob, RedisChannels } from "./redisChannels.js";
import { redactUrl, resolveBrokerOptions } from "./redisBrokerOptions.js";

describe("RedisChannels", () => {
  it("names one Redis channel per webshocket channel, one for broadcasts, and a pattern for all channels", () => {
    const c = new RedisChannels("app:");
    expect(c.channel("room.*")).toBe("app:c:room.*");
    expect(c.broadcast).toBe("app:b");
    expect(c.allChannels).toBe("app:c:*");
  });

  it("escapes glob characters of the prefix in the pattern", () => {
    expect(escapeGlob("a*b?[c]\\")).toBe("a\\*b\\?\\[c\\]\\\\");
    expect(new RedisChannels("t[1]:").allChannels).toBe("t\\[1\\]:c:*");
  });
});

describe("broker options", () => {
  it("applies documented defaults", () => {
    expect(resolveBrokerOptions({})).toEqual({
      url: "redis://127.0.0.1:6379",
      prefix: "webshocket:",
      connectTimeoutMs: 10_000,
      publishTimeoutMs: 5000,
      reconnectMinDelayMs: 50,
      reconnectMaxDelayMs: 2000,
      clientOptions: {},
      history: false,
    });
    expect(resolveBrokerOptions({ history: true }).history).toEqual({});
  });

  it("refuses bad values, naming them", () => {
    expect(() => resolveBrokerOptions({ url: "http://x" })).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => resolveBrokerOptions({ publishTimeoutMs: -1 })).toThrow(/publishTimeoutMs must be/);
  });

  it("hides passwords in log lines", () => {
    expect(redactUrl("redis://user:secret@host:6379/0")).toBe("redis://user:***@host:6379/0");
    expect(redactUrl("redis://:secret@host")).toBe("redis://:***@host");
    expect(redactUrl("redis://host:6379")).toBe("redis://host:6379");
  });

  it("backs off exponentially with jitter, capped", () => {
    const delay = backoff(50, 2000);
    for (let i = 0; i < 50; i++) {
      expect(delay(0)).toBeGreaterThanOrEqual(25);
      expect(delay(0)).toBeLessThanOrEqual(50);
      expect(delay(3)).toBeGreaterThanOrEqual(200);
      expect(delay(3)).toBeLessThanOrEqual(400);
      expect(delay(100)).toBeLessThanOrEqual(2000);
      expect(delay(100)).toBeGreaterThanOrEqual(1000);
    }
  });
});
