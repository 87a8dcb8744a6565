// Session resumption end to end: our client, a real server, and a TCP proxy the test cuts mid-burst.
import { PacketSource, type Packet } from "@webshocket/protocol";
import { rpcMethod, silentLogger, WebSocketHandler, WebSocketServer, type ClientConnection } from "@webshocket/server";
import { startTcpProxy } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { WebSocketClient, type ClientEvents } from "../src/index.js";

type Conn = ClientConnection<{ name: string }>;

/** Resolves on the first event of a kind (already happened or future). */
class Hooks {
  readonly seen: string[] = [];
  #waiters: Array<[string, () => void]> = [];
  add(kind: string): void {
    this.seen.push(kind);
    this.#waiters = this.#waiters.filter(([k, resolve]) => (k === kind ? (resolve(), false) : true));
  }
  next(kind: string): Promise<void> {
    return new Promise((resolve) => this.#waiters.push([kind, resolve]));
  }
}

class BurstHandler extends WebSocketHandler<{ name: string }> {
  readonly hooks = new Hooks();
  burst: Promise<void> = Promise.resolve();
  override onSuspend(): void {
    this.hooks.add("suspend");
  }
  override onResume(): void {
    this.hooks.add("resume");
  }
  override onDisconnect(): void {
    this.hooks.add("disconnect");
  }
  @rpcMethod() login(conn: Conn, name: string): string {
    conn.state.name = name;
    conn.subscribe(["room.a", "news.*"]);
    return conn.uid;
  }
  @rpcMethod() whoami(conn: Conn): [string, string | undefined] {
    return [conn.uid, conn.state.name];
  }
  /** n publishes, 50 per event-loop turn, to an exact channel and a pattern's channels in turn. */
  @rpcMethod() start(_conn: Conn, n: number): boolean {
    this.burst = (async () => {
      for (let i = 0; i < n; ) {
        for (const end = Math.min(n, i + 50); i < end; i++) void this.publish(i % 2 === 0 ? "room.a" : `news.${i % 10}`, i);
        await new Promise<void>((r) => setImmediate(r));
      }
    })();
    return true;
  }
}

const native = new WebSocketServer({ port: 0, logger: silentLogger, handler: new WebSocketHandler() }).engine === "uws";
const engines: ReadonlyArray<"uws" | "ws"> = native ? ["uws", "ws"] : ["ws"];

describe.each(engines)("resumption through a cut connection (%s engine)", (engine) => {
  it.each(["msgpack", "json"] as const)("%s: every one of 10,000 publishes arrives once, in order; state and subscriptions survive", async (format) => {
    const handler = new BurstHandler();
    await using server = await new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, engine, handler, resume: { window: "1m" } }).start();
    await using proxy = await startTcpProxy(server.port);
    await using client = new WebSocketClient(`ws://127.0.0.1:${proxy.port}`, { format, autoReconnect: { retryInterval: "10ms", maxRetryAttempt: 50 } });
    const received: number[] = [];
    let cutAt = -1;
    let done: () => void = () => {};
    const all = new Promise<void>((r) => (done = r));
    client.on("message", (p: Packet) => {
      if (p.source !== PacketSource.CHANNEL) return;
      received.push(p.data as number);
      if (received.length === 1000) {
        cutAt = received.length;
        proxy.cut();
      }
      if (received.length === 10_000) done();
    });
    const reconnects: ClientEvents["reconnect"][] = [];
    client.on("reconnect", (e) => reconnects.push(e));
    await client.connect();
    const uid = (await client.call("login", ["alice"])).data as string;
    const suspended = handler.hooks.next("suspend");
    await client.call("start", [10_000]);
    await suspended; // the server saw the drop
    await handler.burst; // and kept publishing while the client was away
    const resumed = handler.hooks.next("resume");
    proxy.restore();
    await resumed;
    await all;
    expect(cutAt).toBe(1000);
    expect(reconnects).toEqual([{ attempts: expect.any(Number), recovered: true, reason: null }]);
    expect(received).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect((await client.call("whoami")).data).toEqual([uid, "alice"]);
    expect(handler.hooks.seen).toEqual(["suspend", "resume"]);
  });

  it("tells the client when its session could not be kept, and starts a fresh one", async () => {
    const handler = new BurstHandler();
    await using server = await new WebSocketServer({ host: "127.0.0.1", port: 0, logger: silentLogger, engine, handler, resume: { window: "10ms" } }).start();
    await using proxy = await startTcpProxy(server.port);
    await using client = new WebSocketClient(`ws://127.0.0.1:${proxy.port}`, { format: "json", autoReconnect: { retryInterval: "10ms", maxRetryAttempt: 50 } });
    await client.connect();
    const uid = (await client.call("login", ["bob"])).data as string;
    const gone = handler.hooks.next("disconnect");
    proxy.cut();
    await gone; // the window passed
    const reconnected = client.once("reconnect");
    proxy.restore();
    expect(await reconnected).toMatchObject({ recovered: false, reason: "expired" });
    const [again, name] = (await client.call("whoami")).data as [string, string | undefined];
    expect(again).not.toBe(uid);
    expect(name ?? undefined).toBeUndefined(); // a fresh session: no state
  });
});
