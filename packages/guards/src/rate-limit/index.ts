export { MemoryRateLimitStore, type MemoryRateLimitStoreOptions } from "./memoryRateLimitStore.js";
export {
  getRateLimit,
  normalizeRateLimit,
  RATE_LIMIT,
  rateLimit,
  type RateLimitConfig,
  type RateLimitDecorator,
  type RateLimitOptions,
  type RateLimitTarget,
} from "./rateLimit.js";
export { RateLimiter } from "./rateLimiter.js";
export type { RateLimitStore } from "./rateLimitStore.js";
export { SlidingWindow } from "./slidingWindow.js";
