import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ClientType, PacketSource, RPCErrorCode, SUBPROTOCOL, type Packet } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { rpcMethod, type ClientConnection } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

class HostileHandler extends TestHandler {
  #open: () => void = () => {};
  #gate = new Promise<void>((resolve) => (this.#open = resolve));
  /** Lets every pending `slow` call finish. */
  releaseAll(): void {
    this.#open();
    this.#gate = new Promise<void>((resolve) => (this.#open = resolve));
  }
  /** Keeps nothing (the base class records packets for other tests). */
  override onReceive(c: ClientConnection, packet: Packet): void {
    c.send({ echo: packet.data, source: packet.source });
  }
  @rpcMethod() override async slow(_c: ClientConnection, id: string): Promise<string> {
    await this.#gate;
    return id;
  }
  @rpcMethod() setState(c: ClientConnection, key: string, value: unknown): boolean {
    (c.state as Record<string, unknown>)[key] = value;
    return Object.keys(c.state).includes(key);
  }
  @rpcMethod() keys(c: ClientConnection): string[] {
    return Object.keys(c.state);
  }
}

const deepJson = (n: number) => `{"source":4,"data":${"[".repeat(n)}${"]".repeat(n)}}`;
const deepMsgpack = (n: number) => new Uint8Array([0x82, 0xa6, ...Buffer.from("source"), 0x04, 0xa4, ...Buffer.from("data"), ...new Array<number>(n).fill(0x91), 0xc0]);

/** A JSON RPC request frame. */
const rpc = (method: string, args: unknown[], id: string) => JSON.stringify({ source: 5, rpc: { type: "request", method, args, kwargs: {}, call_id: id } });
const as = (n: number) => "a".repeat(n);

/** One hostile input: a description and what the attacker sends. */
type Attack = [name: string, type: ClientType, send: (ws: WebSocket) => void];

const attacks: Attack[] = [
  ["malformed msgpack", ClientType.FRAMEWORK, (ws) => ws.send(new Uint8Array([0x92, 0xcd]))],
  ["msgpack with trailing garbage", ClientType.FRAMEWORK, (ws) => ws.send(new Uint8Array([0x80, 0xff, 0xff]))],
  ["malformed JSON", ClientType.GENERIC, (ws) => ws.send('{"source": 5, "rpc": {')],
  ["JSON of the wrong shape", ClientType.GENERIC, (ws) => ws.send(JSON.stringify([1, 2, { source: "5" }]))],
  ["wrong-typed RPC fields", ClientType.GENERIC, (ws) => ws.send(JSON.stringify({ source: 5, rpc: { type: "request", method: ["add"], args: "1,2", kwargs: [], call_id: 7 } }))],
  ["unknown RPC type", ClientType.GENERIC, (ws) => ws.send(JSON.stringify({ source: 5, rpc: { type: "explode", call_id: "z" } }))],
  ["__proto__ in kwargs", ClientType.GENERIC, (ws) => ws.send('{"source":5,"rpc":{"type":"request","method":"add","args":[1,2],"kwargs":{"__proto__":{"polluted":true}},"call_id":"p1"}}')],
  ["__proto__ in args", ClientType.GENERIC, (ws) => ws.send('{"source":5,"rpc":{"type":"request","method":"echo","args":[{"__proto__":{"polluted":true}}],"call_id":"p2"}}')],
  ["constructor.prototype in data", ClientType.GENERIC, (ws) => ws.send('{"source":4,"data":{"constructor":{"prototype":{"polluted":true}}}}')],
  ["__proto__ as a state key", ClientType.GENERIC, (ws) => ws.send('{"source":5,"rpc":{"type":"request","method":"setState","args":["__proto__",{"polluted":true}],"call_id":"p3"}}')],
  ["10,000-deep JSON", ClientType.GENERIC, (ws) => ws.send(deepJson(10_000))],
  ["10,000-deep msgpack", ClientType.FRAMEWORK, (ws) => ws.send(deepMsgpack(10_000))],
  ["invalid UTF-8 in a text frame", ClientType.GENERIC, (ws) => ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false })],
  ["invalid UTF-8 in a binary JSON frame", ClientType.GENERIC, (ws) => ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: true })],
  ["text frame to a msgpack server side", ClientType.FRAMEWORK, (ws) => ws.send("hello", { binary: false })],
  ["oversize frame", ClientType.FRAMEWORK, (ws) => ws.send(new Uint8Array(3 * 1024 * 1024))],
  ["flood of tiny frames", ClientType.FRAMEWORK, (ws) => { for (let i = 0; i < 20_000; i++) ws.send(new Uint8Array([i & 0xff])); }],
  ["backtracking-hostile channel patterns, then publishes to names of 22..38 a's", ClientType.GENERIC, (ws) => {
    ws.send(rpc("join", [["*(a*)*(a*)*(a*)b", `${"a*".repeat(16)}b`]], "j"));
    ws.send(rpc("publishSequence", [Array.from({ length: 17 }, (_, i) => [as(22 + i), i])], "p"));
  }],
  ["publishes to 1 MB channel names while a pattern is subscribed", ClientType.GENERIC, (ws) => {
    ws.send(rpc("join", ["*"], "j"));
    for (let i = 0; i < 4; i++) ws.send(rpc("publishTo", [`${i}${"n".repeat(1 << 20)}`, i], `p${i}`));
  }],
  ["joins of 60 KB patterns and join/leave of unique patterns", ClientType.GENERIC, (ws) => {
    for (let i = 0; i < 20; i++) ws.send(rpc("join", [`${i}.${"p".repeat(60_000)}*`], `big${i}`));
    for (let i = 0; i < 200; i++) {
      ws.send(rpc("join", [`${i}.${"p".repeat(200)}*`], `j${i}`));
      ws.send(rpc("leave", [`${i}.${"p".repeat(200)}*`], `l${i}`));
    }
  }],
  ["RPC flood past rpcTaskLimit", ClientType.GENERIC, (ws) => {
    for (let i = 0; i < 2_000; i++) ws.send(JSON.stringify({ source: 5, rpc: { type: "request", method: "slow", args: [String(i)], call_id: `f${i}` } }));
  }],
];

describe("hostile input", () => {
  it("never takes the server down, never disturbs other clients, and leaves the heap at baseline", async () => {
    const handler = new HostileHandler();
    await using server = await startServer({ handler, maxPayloadLength: 2 * 1024 * 1024, rpcTaskLimit: 64 });
    await using bystander = await RawClient.connect(server.url);
    await using jsonBystander = await RawClient.connect(server.url, ClientType.GENERIC);
    let baseline = 0;
    for (let round = 0; round < 4; round++) {
      if (round === 1) baseline = heapAfterGc(); // after a warm-up round (JIT, caches)
      for (const [name, type, send] of attacks) {
        const ws = new WebSocket(server.url, type === ClientType.FRAMEWORK ? [SUBPROTOCOL] : []);
        ws.on("error", () => {});
        const closed = new Promise<void>((resolve) => ws.on("close", () => resolve()));
        await new Promise<void>((resolve) => ws.on("open", () => resolve()));
        send(ws);
        // The server is alive and answers others correctly after every attack.
        expect((await bystander.call("add", [round, 2])).response, name).toBe(round + 2);
        expect((await jsonBystander.call("multiply", [3, 3])).response, name).toBe(9);
        handler.releaseAll();
        ws.terminate();
        await closed;
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    await vi.waitFor(() => expect(handler.clients.size).toBe(2));
    const growth = heapAfterGc() - baseline;
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  });

  it("answers hostile RPCs with clear errors", async () => {
    await using server = await startServer({ handler: new HostileHandler() });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    c.sendRaw('{"source":5,"rpc":{"type":"request","method":"add","args":[1,2],"kwargs":{"__proto__":{"x":1}},"call_id":"k"}}', false);
    const kw = await c.waitFor((p) => p.rpc?.call_id === "k");
    expect(kw.rpc).toMatchObject({ error: RPCErrorCode.INVALID_PARAMS, response: expect.stringMatching(/unexpected keyword argument '__proto__'/) });
    c.sendRaw('{"source":5,"rpc":{"type":"request","method":"setState","args":["__proto__",{"polluted":true}],"call_id":"s"}}', false);
    const st = await c.waitFor((p) => p.rpc?.call_id === "s");
    expect((st.rpc as { response: unknown }).response).toBe(true);
    expect((await c.call("keys")).response).toEqual(["__proto__"]);
    c.sendRaw(deepJson(10_000), false);
    const deep = await c.waitFor((p) => p.source === PacketSource.CUSTOM);
    expect((deep.data as { source: number }).source).toBe(PacketSource.UNKNOWN);
  });
});
