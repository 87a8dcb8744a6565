// client.subscribe() against a real @webshocket/server: authorization, initial values, routing,
// unsubscribe, patterns, AbortSignal, resubscription after a reconnection.
import { RPCError, RPCErrorCode } from "@webshocket/protocol";
import { channel, Is, rpcMethod, silentLogger, WebSocketHandler, WebSocketServer, type ClientConnection } from "@webshocket/server";
import { describe, expect, it } from "vitest";
import { WebSocketClient } from "../src/index.js";

class Newsroom extends WebSocketHandler {
  /** When set, canSubscribe("slow") waits for it. */
  gate: Promise<boolean> | undefined;
  gateReached: (() => void) | undefined;

  @rpcMethod() login(conn: ClientConnection) {
    conn.state.member = true;
  }

  @rpcMethod() post(_conn: ClientConnection, name: string, data: unknown) {
    return this.publish(name, data);
  }

  @rpcMethod() hangUp(conn: ClientConnection) {
    conn.close(4000, "bye");
  }

  @channel("public")
  public(_conn: ClientConnection) {
    return null;
  }

  @channel("news.*", { requires: Is("member") })
  news(_conn: ClientConnection, name: string) {
    return `welcome to ${name}`;
  }

  override canSubscribe(_conn: ClientConnection, name: string): boolean | Promise<boolean> {
    if (name !== "slow") return false;
    this.gateReached?.();
    return this.gate ?? false;
  }
}

async function setup(format: "msgpack" | "json", autoReconnect = false) {
  const handler = new Newsroom();
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, handler, logger: silentLogger, closeGracePeriod: 1000 });
  await server.start();
  const client = new WebSocketClient(server.url, { format, ...(autoReconnect ? { autoReconnect: { retryInterval: "10ms" } } : {}) });
  await client.connect();
  return {
    handler,
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
    },
  };
}

/** Resolves with the next `n` messages a callback gets. */
function collector() {
  const got: unknown[] = [];
  let wake: (() => void) | undefined;
  return {
    got,
    on: (data: unknown) => {
      got.push(data);
      wake?.();
    },
    async until(n: number) {
      while (got.length < n) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

describe.each(["msgpack", "json"] as const)("client.subscribe (%s)", (format) => {
  it("is refused with ACCESS_DENIED naming the channel, then authorized with its initial value", async () => {
    await using t = await setup(format);
    const refused = await t.client.subscribe("news.eu", () => {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RPCError);
    expect(refused).toMatchObject({ rpcCode: RPCErrorCode.ACCESS_DENIED, message: "Access denied for channel 'news.eu'." });
    await t.client.sendRpc("login");
    const news = collector();
    const sub = await t.client.subscribe("news.eu", news.on);
    expect(sub).toMatchObject({ channel: "news.eu", initial: "welcome to news.eu" });
    await t.client.sendRpc("post", "news.eu", { headline: "one" });
    await news.until(1);
    expect(news.got).toEqual([{ headline: "one" }]);
    expect(t.client.queuedPackets).toBe(0); // routed to the callback, not to recv()
  });

  it("routes a pattern subscription's channels, and stops after unsubscribe()", async () => {
    await using t = await setup(format);
    await t.client.sendRpc("login");
    const all = collector();
    const eu = collector();
    const pattern = await t.client.subscribe("news.*", all.on);
    expect(pattern.initial).toBe("welcome to news.*");
    const exact = await t.client.subscribe("news.eu", eu.on);
    await t.client.sendRpc("post", "news.us", "us");
    await t.client.sendRpc("post", "news.eu", "eu");
    await t.client.sendRpc("post", "weather", "rain"); // nobody asked: not delivered at all
    await all.until(2);
    await eu.until(1);
    expect(all.got).toEqual(["us", "eu"]);
    expect(eu.got).toEqual(["eu"]);
    exact.unsubscribe();
    exact.unsubscribe(); // idempotent
    await t.client.sendRpc("post", "news.eu", "eu again");
    await all.until(3);
    expect(eu.got).toEqual(["eu"]);
    expect(t.handler.channels.has("news.eu")).toBe(false);
    expect(t.client.queuedPackets).toBe(0);
  });

  it("keeps the server subscription while another subscription of the same name remains", async () => {
    await using t = await setup(format);
    await t.client.sendRpc("login");
    const a = collector();
    const b = collector();
    const first = await t.client.subscribe("news.eu", a.on);
    await t.client.subscribe("news.eu", b.on);
    first.unsubscribe();
    await t.client.sendRpc("post", "news.eu", "still here");
    await b.until(1);
    expect(a.got).toEqual([]);
  });

  it("an AbortSignal unsubscribes, and aborting while the server authorizes rejects and leaves", async () => {
    await using t = await setup(format);
    await t.client.sendRpc("login");
    const controller = new AbortController();
    await t.client.subscribe("news.eu", () => {}, { signal: controller.signal });
    expect(t.handler.channels.has("news.eu")).toBe(true);
    controller.abort();
    await t.client.sendRpc("login"); // the $unsubscribe went first
    expect(t.handler.channels.has("news.eu")).toBe(false);

    let allow!: (ok: boolean) => void;
    t.handler.gate = new Promise((resolve) => (allow = resolve));
    const reached = new Promise<void>((resolve) => (t.handler.gateReached = resolve));
    const early = new AbortController();
    const pending = t.client.subscribe("slow", () => {}, { signal: early.signal });
    await reached;
    early.abort(new Error("changed my mind"));
    await expect(pending).rejects.toThrow("changed my mind");
    allow(true); // the server subscribes anyway (in this process: before the next request); its answer makes the client leave again
    await t.client.sendRpc("login"); // the answer to $subscribe came first, and the client sent $unsubscribe
    await t.client.sendRpc("login"); // which the server has handled now
    expect(t.handler.channels.has("slow")).toBe(false);
  });

  it("resubscribes after an automatic reconnection", async () => {
    await using t = await setup(format, true);
    const news = collector();
    await t.client.subscribe("public", news.on);
    const reconnected = t.client.once("reconnect");
    await t.client.sendRpc("hangUp").catch(() => {});
    await reconnected;
    await t.client.sendRpc("post", "public", "after"); // behind the $subscribe sent on reconnection
    await news.until(1);
    expect(news.got).toEqual(["after"]);
  });
});
