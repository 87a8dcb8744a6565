import { RPCErrorCode } from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { RawClient } from "@webshocket/test-utils";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

describe("streaming RPC", () => {
  it("sends each yielded value as a stream chunk, then the end", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const rs = await c.collect(c.request("count_to", [3]));
    expect(rs.map((r) => [r.response, r.is_stream, r.is_end])).toEqual([
      [1, true, false],
      [2, true, false],
      [3, true, false],
      [null, true, true],
    ]);
  });

  it("keeps order over many batched values (past every outbox slice and loop turn)", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const n = 5000;
    const rs = await c.collect(c.request("count_to", [n]));
    expect(rs.map((r) => r.response)).toEqual([...Array.from({ length: n }, (_, i) => i + 1), null]);
    expect(rs.filter((r) => r.is_end)).toHaveLength(1);
  });

  it("ends the stream with the error code when the generator throws", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    const rs = await c.collect(c.request("failing"));
    expect(rs.at(-1)).toMatchObject({ is_end: true, error: RPCErrorCode.APPLICATION_ERROR, response: "stream broke" });
  });

  it("closes the generator when the client cancels", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    const id = c.request("forever");
    await c.waitFor((p) => p.rpc?.call_id === id);
    expect((await c.call("$cancel", [id])).response).toBe(true);
    await vi.waitFor(() => expect(handler.streamEvents).toEqual(["start", "finally"]));
    expect((await c.call("$cancel", [id])).response).toBe(false);
  });

  it("closes the generator when the client disconnects", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    const c = await RawClient.connect(server.url);
    const id = c.request("forever");
    await c.waitFor((p) => p.rpc?.call_id === id);
    await c.close();
    await vi.waitFor(() => expect(handler.streamEvents).toEqual(["start", "finally"]));
  });

  it("stops pulling the generator while the reader is slow, and resumes", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler, streamHighWaterMark: 64 * 1024 });
    await using c = await RawClient.connect(server.url);
    const socket = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const n = 400;
    const id = c.request("big", [n, 256 * 1024]);
    const conn = () => [...server.clients][0];
    await vi.waitFor(() => expect(conn()?.bufferedAmount ?? 0).toBeGreaterThan(64 * 1024), { timeout: 10_000 });
    // 400 × 256 KiB = 100 MiB would be pulled at once without backpressure.
    expect(handler.pulls).toBeLessThan(n);
    expect(handler.streamEvents).not.toContain("big-done");
    socket.resume();
    const rs = await c.collect(id);
    expect(rs.filter((r) => !r.is_end)).toHaveLength(n);
    expect(handler.pulls).toBe(n);
  });
});
