import { RedisBroker, RedisRateLimitStore, RedisSessionStore } from "@webshocket/redis";
import { parseDuration } from "@webshocket/protocol";
import type { HistoryOptions, WebSocketServerOptions } from "@webshocket/server";
import { prometheusMetrics } from "@webshocket/server/metrics";
import { tokenAuth } from "./tokenAuth.js";

/** Reads the reference server's settings from environment variables. */
export function configFromEnv(env: NodeJS.ProcessEnv): WebSocketServerOptions {
  const port = env.PORT === undefined || env.PORT === "" ? 5000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be 0..65535, got ${env.PORT}`);
  const options: WebSocketServerOptions = { host: env.HOST || "127.0.0.1", port };
  if (env.TLS_CERT || env.TLS_KEY) {
    if (!env.TLS_CERT || !env.TLS_KEY) throw new Error("TLS needs both TLS_CERT and TLS_KEY.");
    options.tls = { certFile: env.TLS_CERT, keyFile: env.TLS_KEY };
  }
  if (env.MAX_CONNECTIONS) {
    const max = Number(env.MAX_CONNECTIONS);
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`MAX_CONNECTIONS must be a positive integer, got ${env.MAX_CONNECTIONS}`);
    options.maxConnections = max;
  }
  if (env.ALLOWED_ORIGINS) {
    // Browser handshakes from other origins get 403 (cross-site WebSocket hijacking).
    options.allowedOrigins = env.ALLOWED_ORIGINS.split(",").map((o) => o.trim()).filter((o) => o !== "");
  }
  if (env.AUTH_TOKEN) {
    // Every connection must present the token: ?token=… or Authorization: Bearer …; others get 401.
    options.authenticate = tokenAuth(env.AUTH_TOKEN);
  }
  if (env.RESUME_WINDOW) {
    // Session resumption: a dropped client that opted in keeps its session this long (PROTOCOL.md § 11).
    parseDuration(env.RESUME_WINDOW); // a bad value stops the server here, naming the formats
    options.resume = { window: env.RESUME_WINDOW };
  }
  if (env.REDIS_URL) {
    // Cluster mode: channels, broadcast and rate limits span every node on this Redis.
    const prefix = env.REDIS_PREFIX || "webshocket:";
    // With RESUME_WINDOW too: sessions and channel history live in Redis, so a client resumes on any node.
    const history = options.resume === undefined ? undefined : historyFromEnv(env);
    options.broker = new RedisBroker({ url: env.REDIS_URL, prefix, history });
    options.rateLimitStore = new RedisRateLimitStore({ url: env.REDIS_URL, prefix: `${prefix}rl:` });
    if (typeof options.resume === "object") options.resume.store = new RedisSessionStore({ url: env.REDIS_URL, prefix });
  }
  if (env.METRICS === "1") {
    // Operations: Prometheus metrics at /metrics, liveness at /healthz, readiness at /readyz, on this port.
    options.middleware = [prometheusMetrics()];
    options.health = true;
  }
  return options;
}

/** Channel history of a cluster with resumption: HISTORY_SIZE publications (default 1,000) for HISTORY_TTL (default 5m) per channel. */
function historyFromEnv(env: NodeJS.ProcessEnv): HistoryOptions {
  const size = env.HISTORY_SIZE ? Number(env.HISTORY_SIZE) : 1000;
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`HISTORY_SIZE must be a positive integer, got ${env.HISTORY_SIZE}`);
  const ttl = env.HISTORY_TTL || "5m";
  parseDuration(ttl);
  return { size, ttl };
}
