// Positions on live channel messages (PROTOCOL.md § 12): only clients that opted in with `?positions` get the
// field; everyone else gets today's bytes; fan-out encodes once per variant, not per recipient.
import { ClientType, codecFor, jsonCodec, msgpackCodec, PacketSource, type Packet } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClientConnection, rpcMethod, WebSocketHandler, type HistoryResult } from "../src/index.js";
import { startServer } from "./startServer.js";

class Handler extends WebSocketHandler {
  @rpcMethod() join(conn: ClientConnection, names: string[]) {
    return this.subscribe(conn, names);
  }
}

/** A client that also keeps every frame's raw bytes. */
async function connect(url: string, type: ClientType, positions: boolean): Promise<{ c: RawClient; raw: Uint8Array[] }> {
  const c = await RawClient.connect(positions ? `${url}/?positions=1` : url, type);
  const raw: Uint8Array[] = [];
  c.ws.on("message", (data: Buffer) => raw.push(new Uint8Array(data)));
  return { c, raw };
}

const isChannel = (p: Packet): boolean => p.source === PacketSource.CHANNEL;

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([ClientType.FRAMEWORK, ClientType.GENERIC])("positions (client type %s)", (type) => {
  it("go only to clients that opted in, equal to $history's offsets; the others get today's bytes", async () => {
    const handler = new Handler();
    await using server = await startServer({ handler, history: { channels: ["kept.*"] } });
    const plain = await connect(server.url, type, false);
    const opted = await connect(server.url, type, true);
    await using _p = plain.c;
    await using _o = opted.c;
    for (const { c } of [plain, opted]) expect((await c.call("join", [["kept.a", "kept.b", "free", "kept.*"]])).response).toBe(true);
    const n = 20 + Math.floor(Math.random() * 60);
    const sent: Array<[string, unknown]> = [];
    for (let i = 0; i < n; i++) {
      const channel = ["kept.a", "kept.b", "free"][Math.floor(Math.random() * 3)] as string;
      const data = i % 2 === 0 ? { i, text: Math.random().toString(36) } : [i, null];
      sent.push([channel, data]);
      await handler.publish(channel, data);
    }
    await handler.broadcast("all");
    // Subscribed to kept.a and kept.*: each publish still arrives once.
    for (const { c } of [plain, opted]) await c.waitUntil(() => c.packets.filter(isChannel).length === n && c.packets.some((p) => p.source === PacketSource.BROADCAST));
    const codec = codecFor(type);
    // Not opted in: no field, and the exact bytes of a packet without one.
    const plainChannel = plain.c.packets.filter(isChannel);
    const plainRaw = plain.raw.filter((b) => codec.decode(b).source === PacketSource.CHANNEL);
    plainChannel.forEach((p, i) => {
      expect("position" in p).toBe(false);
      expect(Buffer.from(plainRaw[i] as Uint8Array)).toEqual(Buffer.from(codec.encode({ source: PacketSource.CHANNEL, data: p.data, rpc: null, channel: p.channel, timestamp: p.timestamp, correlation_id: null })));
    });
    // Opted in: a position on every message of a channel that keeps history, none elsewhere (nor on the broadcast).
    const got = opted.c.packets.filter(isChannel);
    expect(got.map((p) => [p.channel, p.data])).toEqual(sent);
    expect(opted.c.packets.find((p) => p.source === PacketSource.BROADCAST)).not.toHaveProperty("position");
    for (const channel of ["kept.a", "kept.b"]) {
      const h = (await opted.c.call("$history", [channel, null, null])).response as HistoryResult;
      const live = got.filter((p) => p.channel === channel);
      expect(live.map((p) => p.position)).toEqual(h.publications.map((pub) => [h.epoch, pub.offset]));
      expect(live.map((p) => p.data)).toEqual(h.publications.map((pub) => pub.data));
    }
    for (const p of got.filter((p) => p.channel === "free")) expect(p).not.toHaveProperty("position");
  });
});

it("encodes a publish once per variant (client type × positioned), whatever the number of recipients", async () => {
  const handler = new Handler();
  await using server = await startServer({ handler, history: true });
  const clients: RawClient[] = [];
  try {
    const per = 3 + Math.floor(Math.random() * 5);
    for (const type of [ClientType.FRAMEWORK, ClientType.GENERIC]) {
      for (const positions of [false, true]) {
        for (let k = 0; k < per; k++) {
          const { c } = await connect(server.url, type, positions);
          clients.push(c);
          expect((await c.call("join", [["room"]])).response).toBe(true);
        }
      }
    }
    const m = vi.spyOn(msgpackCodec, "encode");
    const j = vi.spyOn(jsonCodec, "encode");
    await handler.publish("room", { hello: "world" });
    for (const c of clients) await c.waitUntil(() => c.packets.some(isChannel));
    expect(m).toHaveBeenCalledTimes(2);
    expect(j).toHaveBeenCalledTimes(2);
    expect(m.mock.calls.map(([p]) => p.position)).toEqual([undefined, [expect.any(String), 1]]);
    // Without history on the channel there is one variant per client type.
    m.mockClear(), j.mockClear();
    await handler.broadcast("b");
    for (const c of clients) await c.waitUntil(() => c.packets.some((p) => p.source === PacketSource.BROADCAST));
    expect(m).toHaveBeenCalledTimes(1);
    expect(j).toHaveBeenCalledTimes(1);
  } finally {
    for (const c of clients) await c.close();
  }
});
