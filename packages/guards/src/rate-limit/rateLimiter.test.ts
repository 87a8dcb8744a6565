import { describe, expect, it, vi } from "vitest";
import { MemoryRateLimitStore } from "./memoryRateLimitStore.js";
import { normalizeRateLimit } from "./rateLimit.js";
import { RateLimiter } from "./rateLimiter.js";
import type { RateLimitStore } from "./rateLimitStore.js";

describe("RateLimiter", () => {
  const config = normalizeRateLimit({ limit: 2, period: "1s" });

  it("uses a MemoryRateLimitStore by default, keyed by method name", () => {
    const limiter = new RateLimiter();
    expect(limiter.store).toBeInstanceOf(MemoryRateLimitStore);
    expect(limiter.check("c1", "add", config)).toBe(true);
    expect(limiter.check("c1", "add", config)).toBe(true);
    expect(limiter.check("c1", "add", config)).toBe(false);
    expect(limiter.check("c1", "mul", config)).toBe(true);
    expect(limiter.check("c2", "add", config)).toBe(true);
    limiter.release("c1");
    expect((limiter.store as MemoryRateLimitStore).size).toBe(1);
    expect(limiter.check("c1", "add", config)).toBe(true);
  });

  it("passes through to a custom (async) store", async () => {
    const store: RateLimitStore = {
      consume: vi.fn(async () => false),
      release: vi.fn(async () => {}),
    };
    const limiter = new RateLimiter(store);
    await expect(limiter.check("c1", "add", config)).resolves.toBe(false);
    expect(store.consume).toHaveBeenCalledWith("c1", "add", 2, 1000);
    await limiter.release("c1");
    expect(store.release).toHaveBeenCalledWith("c1");
  });
});
