// Broker: channels and broadcast across server nodes
export { RedisBroker } from "./redisBroker.js";
export type { RedisBrokerEvents, RedisBrokerStats, RedisBrokerStatus } from "./redisBrokerStats.js";
export type { RedisBrokerOptions, ResolvedRedisBrokerOptions } from "./redisBrokerOptions.js";

// Sessions across server nodes (resume.store)
export { RedisSessionStore, type RedisSessionStoreOptions } from "./redisSessionStore.js";

// Rate limits across server nodes
export { RedisRateLimitStore, type RedisCommandClient, type RedisRateLimitStoreOptions } from "./redisRateLimitStore.js";

// Errors and building blocks
export { RedisUnavailableError } from "./redisUnavailableError.js";
export { decodeEnvelope, encodeEnvelope, ENVELOPE_VERSION, type Envelope } from "./envelope.js";
export { RedisChannels } from "./redisChannels.js";
export { redactUrl } from "./redisBrokerOptions.js";
export { SLIDING_WINDOW_SCRIPT } from "./slidingWindowScript.js";
