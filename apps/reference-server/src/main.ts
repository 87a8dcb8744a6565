import { RedisBroker, RedisRateLimitStore, redactUrl } from "@webshocket/redis";
import { WebSocketServer } from "@webshocket/server";
import { limitedUser } from "./clusterMethods.js";
import { configFromEnv } from "./config.js";
import { ReferenceHandler } from "./referenceHandler.js";

const options = configFromEnv(process.env);
const handler = new ReferenceHandler();
handler.registerRpcMethod(limitedUser);
const server = new WebSocketServer({ ...options, handler });
const store = options.rateLimitStore instanceof RedisRateLimitStore ? options.rateLimitStore : undefined;
await server.start();
await store?.connect();
if (options.broker instanceof RedisBroker) console.log(`cluster: node ${options.broker.nodeId} on ${redactUrl(options.broker.options.url)}`);
console.log(`listening on ${server.url} (engine: ${server.engine})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server
      .close()
      .then(() => store?.close())
      .then(() => process.exit(0));
  });
}
