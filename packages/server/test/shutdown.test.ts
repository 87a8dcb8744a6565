import { fileURLToPath } from "node:url";
import { RawClient, spawnServer } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { PacketSource } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

const fixture = fileURLToPath(new URL("./fixtures/shutdownServer.mjs", import.meta.url));

describe("graceful shutdown", () => {
  it("on SIGTERM: readiness flips first, calls in flight finish, the hook runs, clients see 1001, exit 0", async () => {
    await using server = await spawnServer(fixture);
    const http = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    await using c = await RawClient.connect(server.url);
    const ids = ["a", "b", "c"].map((id) => c.request("slow", [id]));
    expect((await c.call("ping")).response).toBe("pong"); // answered after the three arrived: they are in flight
    const exited = new Promise<[number | null, string | null]>((resolve) => server.process.once("exit", (code, signal) => resolve([code, signal])));
    const draining = new Promise<void>((resolve) => {
      const seen = (): void => {
        if (!server.output().includes("shutting down gracefully")) return;
        server.process.stdout?.off("data", seen);
        resolve();
      };
      server.process.stdout?.on("data", seen);
    });
    server.process.kill("SIGTERM");
    await draining;
    const ready = await fetch(`${http}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    await expect(RawClient.connect(server.url)).rejects.toThrow(/503/);
    expect(c.packets.some((p) => ids.includes(p.rpc?.call_id ?? ""))).toBe(false); // still running
    expect(server.output()).not.toMatch(/hook ran/);
    await c.call("release");
    const answers = await Promise.all(ids.map((id) => c.waitFor((p) => p.rpc?.call_id === id)));
    expect(answers.map((p) => (p.rpc as { response?: unknown } | null)?.response)).toEqual(["a", "b", "c"]);
    const bye = await c.waitFor((p) => p.source === PacketSource.BROADCAST);
    expect(bye.data).toBe("bye");
    expect((await c.closed).code).toBe(1001);
    expect(await exited).toEqual([0, null]);
    expect(server.output()).toMatch(/hook ran/);
  });

  it("close() in process: ready is false at once, onServerShutdown runs once before the sockets close", async () => {
    const events: string[] = [];
    const handler = new (class extends TestHandler {
      override onServerShutdown(): void {
        events.push(`shutdown, ${this.clients.size} client(s)`);
      }
    })();
    const server = await startServer({ handler, health: true });
    expect(server.ready).toBe(true);
    const c = await RawClient.connect(server.url);
    const closing = server.close();
    expect(server.ready).toBe(false);
    await closing;
    expect((await c.closed).code).toBe(1001);
    expect(events).toEqual(["shutdown, 1 client(s)"]);
  });
});
