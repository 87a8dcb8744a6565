/**
 * Keeps the benchmark harness from rotting: builds the C load generator, runs it
 * for a fraction of a second against the bench servers (in this process) and checks
 * behaviour only — correct answers, every message delivered. Never timings.
 * The webshocket server is checked on both engines (uws and ws), as the bench runs it.
 */
import { jsonCodec, msgpackCodec, type Packet, type RPCResponse } from "@webshocket/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSocketIoUws } from "../servers/socketio-uws.js";
import { startUwsRaw } from "../servers/uws-raw.js";
import { askedEngine, startWebshocket } from "../servers/webshocket.js";
import { startWsLoop } from "../servers/ws-loop.js";
import { buildLoadgen, holdConnections, runLoadgen } from "../src/loadgen.js";
import { FANOUT_TARGETS, MEMORY_TARGETS, RPC_TARGETS, STREAM_TARGETS } from "../src/scenarios.js";
import { SERVERS } from "../src/serverProcess.js";
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
const ENGINES = ["uws", "ws"] as const;
const webshocketPorts: Record<(typeof ENGINES)[number], number> = { uws: 0, ws: 0 };

beforeAll(async () => {
  buildLoadgen();
  for (const engine of ENGINES) {
    const server = await startWebshocket(0, engine);
    closers.push(() => server.close());
    expect(server.engine).toBe(engine);
    webshocketPorts[engine] = server.port;
  }
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
    expect(packet.data).toBeNull(); // the result travels once, in rpc.response
  }
}

describe("the bench's targets", () => {
  it("every target runs on a known server, and the ws engine has the same rows as uws", () => {
    const all = [...RPC_TARGETS, ...FANOUT_TARGETS, ...MEMORY_TARGETS, ...STREAM_TARGETS];
    for (const t of all) expect(SERVERS).toContain(t.server);
    for (const list of [RPC_TARGETS, FANOUT_TARGETS, MEMORY_TARGETS, STREAM_TARGETS]) {
      const uws = list.filter((t) => t.server === "webshocket").map((t) => t.id.replace("webshocket-", ""));
      const ws = list.filter((t) => t.server === "webshocket-ws").map((t) => t.id.replace("webshocket-ws-", ""));
      expect(ws).toEqual(uws);
    }
    expect(RPC_TARGETS.map((t) => t.id)).toEqual(expect.arrayContaining(["webshocket-ws-msgpack", "rpc-websockets", "socketio-default", "ws-loop"]));
  });

  it("the webshocket server runs on the engine asked for: --engine, else WEBSHOCKET_ENGINE, else uws", () => {
    expect(askedEngine([], {})).toBe("uws");
    expect(askedEngine([], { WEBSHOCKET_ENGINE: "auto" })).toBe("uws");
    expect(askedEngine([], { WEBSHOCKET_ENGINE: "ws" })).toBe("ws");
    expect(askedEngine(["--engine", "ws"], {})).toBe("ws");
    expect(askedEngine(["--engine", "uws"], { WEBSHOCKET_ENGINE: "ws" })).toBe("uws");
    expect(() => askedEngine(["--engine", "auto"], {})).toThrow(RangeError);
  });
});

describe.each(ENGINES)("load generator against the webshocket bench server (%s engine)", (engine) => {
  let webshocketPort = 0;
  beforeAll(() => {
    webshocketPort = webshocketPorts[engine];
  });
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

  it.each([
    ["msgpackr's default pack", false, "msgpackr"],
    ["json.dumps's separators", true, "python-json"],
    ["JSON in another field order", true, "json-reordered"],
  ] as const)("RPC with requests written by %s: every answer carries the right sum", async (_name, json, layout) => {
    const endpoint = json ? ENDPOINTS.webshocketJson : ENDPOINTS.webshocketMsgpack;
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint, spec: webshocketAddSpec(json, layout), conns: 2, window: 4, warmup: 0.05, duration: 0.2, dump: 50 });
    expect(r.exitCode).toBe(0);
    expect(r.responses).toBeGreaterThan(0);
    expect(r.mismatch).toBe(0);
    expectCorrectSums(r.dumps.map((d) => (json ? jsonCodec : msgpackCodec).decode(d)));
  });

  it("RPC with the seed's browser snippet (no call id): every answer carries one of the sums", async () => {
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint: ENDPOINTS.webshocketJson, spec: webshocketAddSpec(true, "seed"), conns: 2, window: 4, warmup: 0.05, duration: 0.2, dump: 50 });
    expect(r.exitCode).toBe(0);
    expect(r.responses).toBeGreaterThan(0);
    expect(r.mismatch).toBe(0);
    const sums = new Set(Array.from({ length: VARIANTS }, (_, i) => addArgs(i)[0] + addArgs(i)[1]));
    for (const d of r.dumps) expect(sums.has((jsonCodec.decode(d).rpc as RPCResponse).response as number)).toBe(true);
  });

  it("RPC with msgpack in another field order and no call id: every answer carries one of the sums", async () => {
    const r = await runLoadgen({ mode: "rpc", port: webshocketPort, endpoint: ENDPOINTS.webshocketMsgpack, spec: webshocketAddSpec(false, "msgpack-reordered"), conns: 2, window: 4, warmup: 0.05, duration: 0.2, dump: 50 });
    expect(r.exitCode).toBe(0);
    expect(r.responses).toBeGreaterThan(0);
    expect(r.mismatch).toBe(0);
    const sums = new Set(Array.from({ length: VARIANTS }, (_, i) => addArgs(i)[0] + addArgs(i)[1]));
    for (const d of r.dumps) expect(sums.has((msgpackCodec.decode(d).rpc as RPCResponse).response as number)).toBe(true);
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
  it("bare ws echo (the ceiling on ws) and send-loop fan-out", async () => {
    const server = await startWsLoop(0);
    closers.push(server.close);
    const spec = echoSpec();
    const rpc = await runLoadgen({ mode: "rpc", port: server.port, endpoint: ENDPOINTS.plain, spec, conns: 2, window: 4, warmup: 0, duration: 0.1, dump: 5 });
    expect(rpc.error).toBe("");
    expect(rpc.exitCode).toBe(0);
    expect(rpc.responses).toBeGreaterThan(0);
    expect(rpc.mismatch).toBe(0);
    // An echo: every answer is one of the requests, byte for byte.
    const sent = new Set((spec.req ?? []).map((f) => Buffer.from(f.payload).toString("hex")));
    for (const d of rpc.dumps) expect(sent.has(Buffer.from(d).toString("hex"))).toBe(true);
    const fan = await runLoadgen({ mode: "fanout", port: server.port, endpoint: ENDPOINTS.plain, spec: controlFanoutSpec(10), conns: 10, expect: 10, timeout: 20 });
    expect(fan.error).toBe("");
    expect(fan.messages).toBe(100);
  });

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
