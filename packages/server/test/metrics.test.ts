import { randomBytes } from "node:crypto";
import { parsePrometheusText, promValue, RawClient, type PromFamily } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { prometheusMetrics } from "../src/metrics/index.js";
import { ClientType, PacketSource, RPCErrorCode } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

async function scrape(port: number): Promise<Map<string, PromFamily>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

const sample = promValue;

describe("Prometheus metrics", () => {
  it("counts exactly the traffic sent: calls by method and code, latency, messages and bytes by format, streams, channels, fan-out", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler, middleware: [prometheusMetrics()] });
    await using c = await RawClient.connect(server.url);
    await using j = await RawClient.connect(server.url, ClientType.GENERIC);
    for (let i = 0; i < 7; i++) expect((await c.call("add", [i, 1])).response).toBe(i + 1);
    for (let i = 0; i < 3; i++) expect((await c.call(`nope${i}`, [])).error).toBe(RPCErrorCode.METHOD_NOT_FOUND);
    for (let i = 0; i < 2; i++) expect((await j.call("fail", ["x"])).error).toBe(RPCErrorCode.APPLICATION_ERROR);
    expect((await c.collect(c.request("count_to", [5]))).length).toBe(6);
    expect((await c.call("join", ["room"])).response).toBe(true);
    expect((await j.call("join", ["room"])).response).toBe(true);
    await c.call("publishTo", ["room", "hi"]);
    await c.waitFor((p) => p.source === PacketSource.CHANNEL);
    await j.waitFor((p) => p.source === PacketSource.CHANNEL);
    const m = await scrape(server.port);
    expect(sample(m, "webshocket_rpc_calls_total", { method: "add", code: "OK" })).toBe(7);
    expect(sample(m, "webshocket_rpc_calls_total", { method: "<unknown>", code: "METHOD_NOT_FOUND" })).toBe(3);
    expect(sample(m, "webshocket_rpc_calls_total", { method: "fail", code: "APPLICATION_ERROR" })).toBe(2);
    expect(sample(m, "webshocket_rpc_calls_total", { method: "count_to", code: "OK" })).toBe(1);
    expect(sample(m, "webshocket_rpc_calls_total", { method: "join", code: "OK" })).toBe(2);
    expect(sample(m, "webshocket_rpc_duration_seconds_count", { method: "add" })).toBe(7);
    expect(sample(m, "webshocket_rpc_duration_seconds_bucket", { method: "add", le: "+Inf" })).toBe(7);
    expect(sample(m, "webshocket_rpc_duration_seconds_bucket", { method: "add", le: "10" })).toBe(7);
    expect(sample(m, "webshocket_rpc_duration_seconds_count", { method: "<unknown>" })).toBe(3);
    expect(sample(m, "webshocket_connections")).toBe(2);
    expect(sample(m, "webshocket_connections_opened_total")).toBe(2);
    expect(sample(m, "webshocket_streams_open")).toBe(0);
    expect(sample(m, "webshocket_channels")).toBe(1);
    expect(sample(m, "webshocket_patterns")).toBe(0);
    expect(sample(m, "webshocket_fanout_deliveries_total")).toBe(2);
    // msgpack: 7 add + 3 unknown + 1 stream + 1 join + 1 publishTo in; their answers (the stream: 6) + 1 delivery out
    expect(sample(m, "webshocket_messages_received_total", { format: "msgpack" })).toBe(13);
    expect(sample(m, "webshocket_messages_sent_total", { format: "msgpack" })).toBe(7 + 3 + 6 + 1 + 1 + 1);
    expect(sample(m, "webshocket_messages_received_total", { format: "json" })).toBe(3);
    expect(sample(m, "webshocket_messages_sent_total", { format: "json" })).toBe(4);
    expect(sample(m, "webshocket_received_bytes_total", { format: "msgpack" })).toBeGreaterThan(13 * 40);
    expect(sample(m, "webshocket_sent_bytes_total", { format: "json" })).toBeGreaterThan(4 * 40);
    expect(sample(m, "webshocket_broker_up")).toBe(1);
    expect(sample(m, "webshocket_sessions_resumed_total")).toBe(0);
    await j.close();
    await c.call("add", [0, 0]);
    const after = await scrape(server.port);
    expect(sample(after, "webshocket_connections_closed_total", { code: "1005" }) ?? sample(after, "webshocket_connections_closed_total", { code: "1000" })).toBe(1);
  });

  it("keeps method labels bounded: 10,000 random method names are one \"<unknown>\" label", async () => {
    await using server = await startServer({ handler: new TestHandler(), middleware: [prometheusMetrics()] });
    await using c = await RawClient.connect(server.url);
    const names = Array.from({ length: 10_000 }, () => randomBytes(12).toString("hex"));
    const ids = names.map((n) => c.request(n, []));
    await c.waitUntil(() => c.packets.some((p) => p.rpc?.call_id === ids.at(-1)));
    await c.call("add", [1, 2]);
    const m = await scrape(server.port);
    const methods = new Set(m.get("webshocket_rpc_calls_total")?.samples.map((s) => s.labels.method));
    expect([...methods].sort()).toEqual(["<unknown>", "add"]);
    expect(sample(m, "webshocket_rpc_calls_total", { method: "<unknown>" })).toBe(10_000);
    const histogram = new Set(m.get("webshocket_rpc_duration_seconds")?.samples.map((s) => s.labels.method));
    expect([...histogram].sort()).toEqual(["<unknown>", "add"]);
  });
});
