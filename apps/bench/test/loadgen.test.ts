/**
 * Keeps the benchmark harness from rotting: builds the C load generator, runs it
 * for a fraction of a second against the bench servers (in this process) and checks
 * behaviour only — correct answers, every message delivered. Never timings.
 */
import { jsonCodec, msgpackCodec, type Packet, type RPCResponse } from "@webshocket/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSocketIoUws } from "../servers/socketio-uws.js";
import { startUwsRaw } from "../servers/uws-raw.js";
import { startWebshocket } from "../servers/webshocket.js";
import { buildLoadgen, holdConnections, runLoadgen } from "../src/loadgen.js";
import {
  ENDPOINTS,
  VARIANTS,
  addArgs,
  controlFanoutSpec,
  echoSpec,
  socketIoAddSpec,
  socketIoFanoutSpec,
  webshocketAddSpec,
  webshocketFanoutSpec,
  webshocketStreamSpec,
  type Spec,
} from "../src/specs.js";

type Closer = () => unknown;
const closers: Closer[] = [];
let webshocketPort = 0;

beforeAll(async () => {
  buildLoadgen();
  const server = await startWebshocket(0);
  closers.push(() => server.close());
  webshocketPort = server.port;
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** Checks that every dumped answer is the response to add(a, b) for its call id. */
function expectCorrectSums(packets: Packet[]): void {
  expect(packets.length).toBeGreaterThan(0);
  for (const packet of packets) {
    const rpc = packet.rpc as RPCResponse;
    expect(rpc.type).toBe("response");
    expect(rpc.error).toBeNull();
    const i = Number(rpc.call_id.slice(1));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(VARIANTS);
    const [a, b] = addArgs(i);
    expect(rpc.response).toBe(a + b);
    expect(packet.data).toBe(a + b);
  }
}

describe("load generator against the webshocket bench server", () => {
  it("RPC with msgpack clients: every answer carries the right sum, in order", async () => {
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketAddSpec(false), conns: 4, window: 8, warmup: 0.05, duration: 0.3, dump: 100 });
    expect(r.error).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.responses).toBeGreaterThan(0);
    expect(r.mismatch).toBe(0);
    expectCorrectSums(r.dumps.map((d) => msgpackCodec.decode(d)));
  });

  it("RPC with JSON clients: every answer carries the right sum", async () => {
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint: ENDPOINTS.webshocketJson, spec: webshocketAddSpec(true), conns: 2, window: 4, warmup: 0.05, duration: 0.2, dump: 50 });
    expect(r.exitCode).toBe(0);
    expect(r.responses).toBeGreaterThan(0);
    expect(r.mismatch).toBe(0);
    expectCorrectSums(r.dumps.map((d) => jsonCodec.decode(d)));
  });

  it("1×1 busy-polling mode measures latency", async () => {
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketAddSpec(false), conns: 1, window: 1, warmup: 0.05, duration: 0.15, busy: true });
    expect(r.exitCode).toBe(0);
    expect(r.responses).toBeGreaterThan(0);
    expect(r.p50_us).toBeGreaterThan(0);
    expect(r.p99_us).toBeGreaterThanOrEqual(r.p50_us as number);
  });

  it("notices a wrong answer (the check is real)", async () => {
    const spec = webshocketAddSpec(false);
    const wrong: Spec = { req: spec.req?.map((f) => ({ ...f, needle: msgpackCodec.encodeValue("not in any answer") })) };
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: wrong, conns: 1, window: 1, warmup: 0, duration: 0.05 });
    expect(r.mismatch).toBeGreaterThan(0);
    expect(r.exitCode).not.toBe(0);
  });

  it.each(["exact", "wildcard", "predicate"] as const)("fan-out (%s): every subscriber gets every publish", async (mode) => {
    const r = await runLoadgen({ mode: "fanout", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketFanoutSpec(mode, 10), conns: 20, expect: 10, rounds: 2, warmupRounds: 1, timeout: 20, dump: 1 });
    expect(r.error).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.rounds_done).toBe(2);
    expect(r.messages).toBe(20 * 10 * 3);
    expect(r.bad_deliveries).toBe(0);
    const packet = msgpackCodec.decode(r.dumps[0] as Uint8Array);
    expect(packet.channel).toBe(mode === "wildcard" ? "bench.all" : "bench");
    expect(String(packet.data)).toHaveLength(64);
  });

  it("streaming: counts every value and sees the end marker", async () => {
    const r = await runLoadgen({ mode: "stream", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketStreamSpec(500), expect: 501, rounds: 2, timeout: 20, dump: 3 });
    expect(r.error).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.messages).toBe(2 * 501);
    const values = r.dumps.map((d) => (msgpackCodec.decode(d).rpc as RPCResponse).response);
    expect(values).toEqual([0, 1, 2]);
  });

  it("idle mode holds connections open until released", async () => {
    const held = await holdConnections({ mode: "idle", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: {}, conns: 50, timeout: 20 });
    const r = await held.release();
    expect(r.ready).toBe(50);
    expect(r.closed).toBe(0);
    expect(r.exitCode).toBe(0);
  });
});

describe("load generator against the baselines", () => {
  it("raw uWS echo and topic publish", async () => {
    const server = await startUwsRaw(0);
    closers.push(server.close);
    const rpc = await runLoadgen({ mode: "rpc", port: server.port, endpoint: ENDPOINTS.plain, spec: echoSpec(), conns: 2, window: 4, warmup: 0, duration: 0.1 });
    expect(rpc.exitCode).toBe(0);
    expect(rpc.responses).toBeGreaterThan(0);
    const fan = await runLoadgen({ mode: "fanout", port: server.port, endpoint: ENDPOINTS.plain, spec: controlFanoutSpec(10), conns: 10, expect: 10, timeout: 20 });
    expect(fan.error).toBe("");
    expect(fan.messages).toBe(100);
    // The diagnostic row: raw uWS publishing the very bytes webshocket sends for a channel message.
    const packets = await runLoadgen({ mode: "fanout", port: server.port, endpoint: ENDPOINTS.plain, spec: controlFanoutSpec(10, "pubpacket"), conns: 10, expect: 10, timeout: 20 });
    expect(packets.error).toBe("");
    expect(packets.messages).toBe(100);
  });

  it("socket.io on uWS: handshake, emit with ack, room emit", async () => {
    const server = await startSocketIoUws(0);
    closers.push(server.close);
    const rpc = await runLoadgen({ mode: "rpc", port: server.port, endpoint: ENDPOINTS.socketio, spec: socketIoAddSpec(), conns: 2, window: 4, warmup: 0, duration: 0.1, dump: 5 });
    expect(rpc.error).toBe("");
    expect(rpc.exitCode).toBe(0);
    expect(rpc.mismatch).toBe(0);
    for (const d of rpc.dumps) expect(Buffer.from(d).toString()).toMatch(/^43\d+\[\d+\]$/);
    const fan = await runLoadgen({ mode: "fanout", port: server.port, endpoint: ENDPOINTS.socketio, spec: socketIoFanoutSpec(5), conns: 10, expect: 5, timeout: 20 });
    expect(fan.error).toBe("");
    expect(fan.messages).toBe(50);
  });
});
