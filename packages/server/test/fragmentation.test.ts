import { ClientType, codecFor, createPacket, PacketSource, type Packet } from "@webshocket/protocol";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { rpcMethod, WebSocketHandler, type ClientConnection } from "../src/index.js";
import { messages, RawSocket } from "./rawSocket.js";
import { startServer } from "./startServer.js";

const MiB = 1024 * 1024;
const codec = codecFor(ClientType.GENERIC);

class BigHandler extends WebSocketHandler {
  /** A reply of `n` characters. */
  @rpcMethod() big(_c: ClientConnection, n: number): string {
    return "r".repeat(n);
  }
  /** Subscribes the caller, publishes `p` characters to the channel, and replies with `r` characters. */
  @rpcMethod() both(conn: ClientConnection, r: number, p: number): string {
    conn.subscribe("ch");
    void this.publish("ch", "p".repeat(p));
    return "r".repeat(r);
  }
}

function call(method: string, args: unknown[], id = "c1"): Buffer {
  return Buffer.from(codec.encode(createPacket(PacketSource.RPC, { rpc: { type: "request", method, args, kwargs: {}, call_id: id } })));
}

function decode(data: Buffer): Packet {
  return codec.decode(new Uint8Array(data)) as Packet;
}

/** The reply's value (in `rpc.response`; its `data` is null) or the publish's data. */
function payloadOf(packet: Packet): unknown {
  return packet.rpc?.type === "response" ? packet.rpc.response : packet.data;
}

async function upgraded(port: number): Promise<RawSocket> {
  const raw = await RawSocket.open(port);
  expect(await raw.status()).toBe(101);
  return raw;
}

describe("large messages leave as fragments (chunkSize)", () => {
  it("sends a 12 MiB reply as frames of at most 64 KiB whose concatenation is the message", async () => {
    await using server = await startServer({ handler: BigHandler });
    const raw = await upgraded(server.port);
    const n = 12 * MiB + Math.floor(Math.random() * 1000);
    raw.send(1, call("big", [n]));
    await raw.until(() => messages(raw.frames).length === 1);
    raw.end();
    const [message] = messages(raw.frames);
    const sizes = message?.frames ?? [];
    expect(raw.frames[0]).toMatchObject({ fin: false, opcode: 2 });
    expect(raw.frames.slice(1).every((f) => f.opcode === 0)).toBe(true);
    expect(raw.frames.at(-1)?.fin).toBe(true);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(65536);
    expect(sizes.slice(0, -1).every((s) => s === 65536)).toBe(true);
    expect(sizes.length).toBe(Math.ceil((message?.data.length ?? 0) / 65536));
    expect(payloadOf(decode(message?.data ?? Buffer.alloc(0)))).toBe("r".repeat(n));
    console.log(`[${server.engine}] 12 MiB reply: ${message?.data.length} bytes in ${sizes.length} frames, largest ${Math.max(...sizes)}, last ${sizes.at(-1)}`);
  });

  it("sends a message of at most chunkSize bytes in one frame, and one byte more in two", async () => {
    await using server = await startServer({ handler: BigHandler, chunkSize: 4096 });
    const raw = await upgraded(server.port);
    // The reply's length around 4096 bytes: from one probe (a reply of 100 characters), then around the edge.
    raw.send(1, call("big", [100], "c0"));
    await raw.until(() => messages(raw.frames).length === 1);
    const overhead = (messages(raw.frames)[0]?.data.length ?? 0) - 100;
    const base = 4096 - overhead - 1; // "c1" and "c11" replies: one byte apart
    let sent = 1;
    for (const id of ["c1", "c11"]) for (let n = base - 3; n <= base + 3; n++, sent++) raw.send(1, call("big", [n], id));
    await raw.until(() => messages(raw.frames).length === sent);
    raw.end();
    const lengths = messages(raw.frames).map((m) => {
      expect(m.frames).toEqual(m.data.length <= 4096 ? [m.data.length] : [4096, m.data.length - 4096]);
      return m.data.length;
    });
    expect(lengths).toContain(4096);
    expect(lengths).toContain(4097);
  });

  it("never interleaves the fragments of a big reply and a big channel publish", async () => {
    await using server = await startServer({ handler: BigHandler });
    const raw = await upgraded(server.port);
    const r = 2 * MiB + Math.floor(Math.random() * 100_000);
    const p = 3 * MiB + Math.floor(Math.random() * 100_000);
    raw.send(1, call("both", [r, p]));
    raw.send(1, call("both", [p, r], "c2"));
    await raw.until(() => messages(raw.frames).length === 4);
    raw.end();
    const got = messages(raw.frames).map((m) => payloadOf(decode(m.data)));
    expect(got.filter((x) => x === "r".repeat(r)).length + got.filter((x) => x === "r".repeat(p)).length).toBe(2);
    expect(got.filter((x) => x === "p".repeat(p)).length + got.filter((x) => x === "p".repeat(r)).length).toBe(2);
    for (const m of messages(raw.frames)) expect(Math.max(...m.frames)).toBeLessThanOrEqual(65536);
  });

  it("sends text messages as fragments too (text frames, jsonBinaryFrames: false)", async () => {
    await using server = await startServer({ handler: BigHandler, jsonBinaryFrames: false, chunkSize: 1024 });
    const raw = await upgraded(server.port);
    const n = 5000 + Math.floor(Math.random() * 5000);
    raw.send(1, call("big", ["é".length * n]));
    await raw.until(() => messages(raw.frames).length === 1);
    raw.end();
    const [message] = messages(raw.frames);
    expect(message?.opcode).toBe(1);
    expect(Math.max(...(message?.frames ?? []))).toBeLessThanOrEqual(1024);
    expect(message?.frames.length).toBeGreaterThan(4);
    expect(payloadOf(decode(message?.data ?? Buffer.alloc(0)))).toBe("r".repeat(n));
  });

  it("sends every message in one frame with chunkSize 0", async () => {
    await using server = await startServer({ handler: BigHandler, chunkSize: 0 });
    const raw = await upgraded(server.port);
    raw.send(1, call("big", [MiB]));
    await raw.until(() => messages(raw.frames).length === 1);
    raw.end();
    expect(raw.frames.length).toBe(1);
    expect(raw.frames[0]?.fin).toBe(true);
  });

  it("sends a message whose fragments could pass maxBackpressure in one frame, whole, as before fragmentation", async () => {
    await using server = await startServer({ handler: BigHandler, maxBackpressure: MiB });
    const raw = await upgraded(server.port);
    const n = MiB + Math.floor(Math.random() * 1000);
    raw.send(1, call("big", [n])); // more than maxBackpressure on the wire, to an empty buffer
    await raw.until(() => messages(raw.frames).length === 1);
    raw.end();
    const [message] = messages(raw.frames);
    expect(message?.frames.length).toBe(1);
    expect(payloadOf(decode(message?.data ?? Buffer.alloc(0)))).toBe("r".repeat(n));
    expect(server.stats.droppedMessages).toBe(0);
  });

  for (const compression of [false, true]) {
    it(`a ws client reassembles a 12 MiB reply${compression ? " (permessage-deflate negotiated)" : ""}`, async () => {
      await using server = await startServer({ handler: BigHandler, compression });
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, { perMessageDeflate: compression, maxPayload: 64 * MiB });
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      expect(ws.extensions).toBe(compression ? "permessage-deflate" : "");
      const n = 6 * MiB + Math.floor(Math.random() * 1000);
      const reply = new Promise<Buffer>((resolve) => ws.once("message", (data: Buffer) => resolve(data)));
      ws.send(call("big", [n]));
      expect(payloadOf(decode(await reply))).toBe("r".repeat(n));
      const closed = new Promise((resolve) => ws.once("close", resolve));
      ws.close();
      await closed;
    });
  }
});
