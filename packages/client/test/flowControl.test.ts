// Stream flow control against real servers: a webshocket server that honours $credit, a hostile
// (or old) server that ignores it, and a client that turns it off.
import { ConnectionState, createResponse, jsonCodec, StreamOverflowError, type Packet } from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { WebSocketServer as RawServer } from "ws";
import { WebSocketClient } from "../src/index.js";
import { startServer } from "./helpers/testHandler.js";

const between = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo + 1));

describe.each(["msgpack", "json"] as const)("stream flow control (%s)", (format) => {
  it("a slow reader of a 1e9-value stream holds at most `window` chunks; the server produces no more than granted", async () => {
    const { server, handler } = await startServer();
    const window = between(2, 80);
    const client = new WebSocketClient(server.url, { format, streamWindow: window });
    await client.connect();
    try {
      const stream = client.stream<number>("tally", [1e9]);
      const batch = Math.ceil(window / 2); // the client grants after reading half a window
      const reads = between(window, 4 * window);
      for (let read = 1; read <= reads; read++) {
        const { value } = await stream.next();
        expect(value?.data).toBe(read);
        const granted = Math.floor(read / batch) * batch;
        // The server may send `window + granted` in all; wait until it has, then it must stop there.
        await vi.waitFor(() => expect(stream.buffered).toBe(window + granted - read));
        expect(stream.buffered).toBeLessThanOrEqual(window);
        expect(handler.produced).toBe(window + granted);
        expect(handler.produced - read).toBeLessThanOrEqual(window);
      }
      await stream.return();
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("`window: null` sends no credit and buffers the whole stream, as before", async () => {
    const { server, handler } = await startServer();
    const client = new WebSocketClient(server.url, { format });
    await client.connect();
    try {
      const n = between(500, 3000);
      const stream = client.stream<number>("tally", [n], { window: null });
      const first = await stream.next();
      expect(first.value?.data).toBe(1);
      await vi.waitFor(() => expect(stream.buffered).toBe(n - 1));
      expect(handler.produced).toBe(n);
      let count = 1;
      for await (const _ of stream) count++;
      expect(count).toBe(n);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("a server that ignores credit", () => {
  it("cannot make the client hold more than `window` chunks: the stream ends with StreamOverflowError and is cancelled", async () => {
    const flood = 200_000;
    const received: string[] = [];
    const raw = new RawServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => raw.once("listening", () => resolve()));
    raw.on("connection", (ws) => {
      ws.on("message", (data) => {
        const { packet } = jsonCodec.decodeDetailed(String(data));
        const rpc = packet.rpc;
        if (rpc?.type !== "request") return;
        received.push(rpc.method);
        if (rpc.method !== "flood") return;
        // 200,000 chunks of 100 bytes, no matter what credit the client granted; then a marker.
        const chunk = jsonCodec.stringify(createResponse(rpc.call_id, "x".repeat(100), { isStream: true }));
        for (let i = 0; i < flood; i++) ws.send(chunk);
        ws.send(jsonCodec.stringify({ source: 4, data: "flood sent" } as Packet));
      });
    });
    const port = (raw.address() as { port: number }).port;
    const window = between(8, 128);
    let marker = false;
    const client = new WebSocketClient(`ws://127.0.0.1:${port}`, { format: "json", streamWindow: window, onReceive: () => (marker = true) });
    await client.connect();
    try {
      const stream = client.stream<string>("flood");
      stream.start();
      await vi.waitFor(() => expect(marker).toBe(true), { timeout: 30_000 });
      // Every chunk has arrived: the client kept `window` of them and dropped the rest.
      expect(stream.buffered).toBe(window);
      await vi.waitFor(() => expect(received).toEqual(["$credit", "flood", "$cancel"]));
      let read = 0;
      await expect(
        (async () => {
          for await (const p of stream) {
            expect(p.data).toHaveLength(100);
            read++;
          }
        })(),
      ).rejects.toThrow(StreamOverflowError);
      expect(read).toBe(window);
      expect(client.state).toBe(ConnectionState.CONNECTED);
    } finally {
      await client.close();
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});
