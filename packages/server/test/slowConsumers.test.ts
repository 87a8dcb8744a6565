import { PacketSource } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import type { ClientConnection } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

class SlowHandler extends TestHandler {
  readonly slowReports: Array<{ uid: string; buffered: number }> = [];
  override onSlowConsumer(conn: ClientConnection, bufferedAmount: number): void {
    this.slowReports.push({ uid: conn.uid, buffered: bufferedAmount });
  }
}

const LIMIT = 512 * 1024;
// Under chunkSize (64 KiB) once encoded: one frame per message, dropped only over the limit. (A fragmented
// message is dropped as soon as it could pass the limit: test/fragmentation.test.ts.)
const payload = "z".repeat(60 * 1024);

async function flood(server: Awaited<ReturnType<typeof startServer>>, handler: SlowHandler, until: () => boolean): Promise<number> {
  let sent = 0;
  while (!until() && sent < 2000) {
    await handler.publish("feed", payload);
    sent++;
    await new Promise((r) => setImmediate(r)); // let uWS write what the sockets will take
  }
  return sent;
}

function pause(c: RawClient): { resume(): void } {
  const socket = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  socket.pause();
  return socket;
}

describe("slow consumers", () => {
  it("are disconnected with 1008 by default, visibly, while fast clients get everything", async () => {
    const handler = new SlowHandler();
    await using server = await startServer({ handler, maxBackpressure: LIMIT, backpressureCheckInterval: 20 });
    const slow = await RawClient.connect(server.url);
    await using fast = await RawClient.connect(server.url);
    await slow.call("join", ["feed"]);
    await fast.call("join", ["feed"]);
    const socket = pause(slow);
    const sent = await flood(server, handler, () => server.stats.slowConsumerDisconnects > 0);
    expect(server.stats.slowConsumerDisconnects).toBe(1);
    expect(handler.slowReports).toHaveLength(1);
    expect(handler.slowReports[0]?.buffered).toBeGreaterThanOrEqual(LIMIT);
    // Memory stayed bounded: nothing near `sent` × 64 KiB was kept for the slow socket.
    expect(sent * payload.length).toBeGreaterThan(LIMIT);
    await fast.waitUntil(() => fast.packets.filter((p) => p.source === PacketSource.CHANNEL).length === sent);
    socket.resume();
    expect((await slow.closed).code).toBe(1008);
    await vi.waitFor(() => expect(handler.clients.size).toBe(1));
  });

  it("are dropped after the grace period when they never read again", async () => {
    const handler = new SlowHandler();
    await using server = await startServer({ handler, maxBackpressure: LIMIT, backpressureCheckInterval: 20, slowConsumerGrace: 50 });
    const slow = await RawClient.connect(server.url);
    await slow.call("join", ["feed"]);
    pause(slow);
    await flood(server, handler, () => server.stats.slowConsumerDisconnects > 0);
    await vi.waitFor(() => expect(handler.clients.size).toBe(0));
    expect(handler.disconnected).toHaveLength(1);
  });
});
