import { once } from "node:events";
import { parsePrometheusText, promValue, requireRedisServer, startRedisServer } from "@webshocket/test-utils";
import { silentLogger, WebSocketHandler, WebSocketServer } from "@webshocket/server";
import { prometheusMetrics } from "@webshocket/server/metrics";
import { describe, expect, it } from "vitest";
import { RedisBroker } from "../src/index.js";

const hasRedis = requireRedisServer("@webshocket/redis readiness test");

describe.skipIf(!hasRedis)("readiness and metrics follow the Redis link", () => {
  it("/readyz and webshocket_broker_up go down with Redis and back up with it; publishes are timed", async () => {
    await using redis = await startRedisServer();
    const broker = new RedisBroker({ url: redis.url, reconnectMaxDelayMs: 200 });
    await using server = await new WebSocketServer({ port: 0, handler: new WebSocketHandler(), broker, logger: silentLogger, health: true, middleware: [prometheusMetrics()] }).start();
    const http = `http://127.0.0.1:${server.port}`;
    const metrics = async () => parsePrometheusText(await (await fetch(`${http}/metrics`)).text());
    await server.handler.publish("news", 1);
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    let m = await metrics();
    expect(promValue(m, "webshocket_broker_up")).toBe(1);
    expect(promValue(m, "webshocket_broker_publish_duration_seconds_count", { result: "ok" })).toBe(1);

    const down = once(broker, "down");
    await redis.stop("SIGKILL");
    await down;
    expect(server.ready).toBe(false);
    const ready = await fetch(`${http}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([503, "broker link down\n"]);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    m = await metrics();
    expect([promValue(m, "webshocket_broker_up"), promValue(m, "webshocket_ready")]).toEqual([0, 0]);

    const up = once(broker, "up");
    await redis.start();
    await up;
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    expect(promValue(await metrics(), "webshocket_broker_up")).toBe(1);
  });
});
