// Client-initiated subscriptions ($subscribe / $unsubscribe), against a real server.
import { ClientType, type Packet, type RPCResponse } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { channel, ClientConnection, Is, RPCError, RPCErrorCode, rpcMethod, WebSocketHandler } from "../src/index.js";
import { startServer } from "./startServer.js";

class NewsHandler extends WebSocketHandler {
  hookCalls: string[] = [];
  /** When set, canSubscribe waits for this before answering. */
  gate: Promise<boolean> | undefined;
  gateReached: (() => void) | undefined;
  disconnected: (() => void) | undefined;

  @rpcMethod() login(conn: ClientConnection) {
    conn.state.is_member = true;
    return true;
  }

  @rpcMethod() publishTo(_conn: ClientConnection, name: string, data: unknown) {
    return this.publish(name, data);
  }

  @rpcMethod() emitNews(_conn: ClientConnection, name: string, data: unknown) {
    return this.emit(this.news, data, { channel: name });
  }

  @rpcMethod() emitLobby(_conn: ClientConnection, data: unknown) {
    return this.emit(this.lobby, data);
  }

  @channel("news.*", { requires: Is("is_member") })
  news(conn: ClientConnection, name: string) {
    return { initial: name, uid: conn.uid.length > 0 };
  }

  @channel("lobby")
  async lobby(_conn: ClientConnection) {
    await Promise.resolve();
    return undefined; // answered null
  }

  @channel("vault")
  vault(): never {
    throw new RPCError("The vault is sealed.", { rpcCode: RPCErrorCode.ACCESS_DENIED });
  }

  override canSubscribe(_conn: ClientConnection, name: string): boolean | Promise<boolean> {
    this.hookCalls.push(name);
    if (name === "slow") {
      this.gateReached?.();
      return this.gate ?? false;
    }
    return name.startsWith("open.");
  }

  override onDisconnect(): void {
    this.disconnected?.();
  }
}

const channelPackets = (c: RawClient, name: string): unknown[] => c.packets.filter((p: Packet) => p.channel === name).map((p) => p.data);

/** Publishes a marker to `name` and waits until `c` has it: everything published before has arrived. */
async function marker(c: RawClient, name: string): Promise<void> {
  const mark = `mark-${Math.random()}`;
  await c.call("publishTo", [name, mark]);
  await c.waitFor((p) => p.channel === name && p.data === mark);
}

describe("client subscriptions", () => {
  it("refuses a declared channel until its predicate passes, naming the channel; then answers the initial value", async () => {
    await using server = await startServer({ handler: new NewsHandler() });
    for (const type of [ClientType.FRAMEWORK, ClientType.GENERIC]) {
      await using c = await RawClient.connect(server.url, type);
      expect(await c.call("$subscribe", ["news.eu"])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: "Access denied for channel 'news.eu'." });
      await c.call("login");
      expect(await c.call("$subscribe", ["news.eu"])).toMatchObject({ error: null, response: { initial: "news.eu", uid: true } });
      await c.call("publishTo", ["news.eu", "first"]);
      await c.waitFor((p) => p.channel === "news.eu" && p.data === "first");
      expect((await c.call("$subscribe", ["lobby"])).response).toBeNull();
      await c.call("emitLobby", ["hello"]);
      await c.waitFor((p) => p.channel === "lobby" && p.data === "hello");
    }
  });

  it("denies what nothing declares unless canSubscribe allows it (async too)", async () => {
    const handler = new NewsHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    await c.call("login");
    expect(await c.call("$subscribe", ["weather"])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: "Access denied for channel 'weather'." });
    expect((await c.call("$subscribe", ["open.1"])).response).toBeNull();
    handler.gate = Promise.resolve(true);
    expect((await c.call("$subscribe", ["slow"])).error).toBeNull();
    await marker(c, "slow");
    await marker(c, "open.1");
    // The hook sees only names no declaration covers.
    expect(handler.hookCalls).toEqual(["weather", "open.1", "slow"]);
  });

  it("authorizes a requested pattern only inside a declared one", async () => {
    const handler = new NewsHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    await c.call("login");
    for (const name of ["news.*", "news.eu.*", "news.?", "news.[ab]*"]) {
      expect((await c.call("$subscribe", [name])).error, name).toBeNull();
    }
    for (const name of ["*", "n*", "new[s]*", "*.eu", "?ews.eu"]) {
      expect(await c.call("$subscribe", [name]), name).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: `Access denied for channel '${name}'.` });
    }
    // Patterns the declaration does not cover went to the hook, which denies them.
    expect(handler.hookCalls).toEqual(["*", "n*", "new[s]*", "*.eu", "?ews.eu"]);
    await c.call("emitNews", ["news.a1", "by pattern"]);
    await c.waitFor((p) => p.channel === "news.a1" && p.data === "by pattern");
    expect((await c.call("emitNews", ["weather", "x"])).response).toMatch(/Internal server error/);
  });

  it("unsubscribes: nothing more arrives, and a second $unsubscribe answers false", async () => {
    await using server = await startServer({ handler: new NewsHandler() });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    await c.call("login");
    await c.call("$subscribe", ["news.eu"]);
    await c.call("$subscribe", ["open.marks"]);
    await marker(c, "news.eu");
    expect((await c.call("$unsubscribe", ["news.eu"])).response).toBe(true);
    await c.call("publishTo", ["news.eu", "after"]);
    await marker(c, "open.marks");
    expect(channelPackets(c, "news.eu")).not.toContain("after");
    expect((await c.call("$unsubscribe", ["news.eu"])).response).toBe(false);
  });

  it("a refusal thrown by the channel method leaves the client unsubscribed", async () => {
    const handler = new NewsHandler();
    await using server = await startServer({ handler });
    await using c = await RawClient.connect(server.url);
    expect(await c.call("$subscribe", ["vault"])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: "The vault is sealed." });
    expect(handler.channels.has("vault")).toBe(false);
  });

  it("a connection that closes while authorization runs is not subscribed", async () => {
    const handler = new NewsHandler();
    await using server = await startServer({ handler });
    let allow!: (ok: boolean) => void;
    handler.gate = new Promise<boolean>((resolve) => (allow = resolve));
    const reached = new Promise<void>((resolve) => (handler.gateReached = resolve));
    const gone = new Promise<void>((resolve) => (handler.disconnected = resolve));
    const c = await RawClient.connect(server.url);
    c.request("$subscribe", ["slow"]);
    await reached;
    const [conn] = handler.clients;
    await c.close();
    await gone;
    allow(true);
    await handler.gate;
    await server.close(); // waits for the pending subscription as for any running call
    expect(conn?.subscribedChannels.size).toBe(0);
  });

  it("counts a subscription being authorized against rpcTaskLimit", async () => {
    const handler = new NewsHandler();
    await using server = await startServer({ handler, rpcTaskLimit: 1 });
    let allow!: (ok: boolean) => void;
    handler.gate = new Promise<boolean>((resolve) => (allow = resolve));
    await using c = await RawClient.connect(server.url);
    const first = c.request("$subscribe", ["slow"]);
    expect((await c.call("$subscribe", ["slow"])).error).toBe(RPCErrorCode.RATE_LIMIT_EXCEEDED);
    allow(true);
    expect((await c.waitFor((p) => p.rpc?.call_id === first)).rpc).toMatchObject({ error: null, response: null });
    expect((await c.call("$subscribe", ["open.1"])).error).toBeNull();
  });

  it("answers bad arguments INVALID_PARAMS and respects maxPatternLength / maxSubscribedChannels", async () => {
    await using server = await startServer({ handler: new NewsHandler(), maxPatternLength: 8, maxSubscribedChannels: 2 });
    await using c = await RawClient.connect(server.url);
    await c.call("login");
    for (const args of [[], [1], [""], ["a", "b"], ["news.abcd*"]]) {
      const r = await c.call("$subscribe", args);
      expect(r.error, JSON.stringify(args)).toBe(RPCErrorCode.INVALID_PARAMS);
      expect(r.response).toMatch(/\$subscribe\(\) (expects|pattern longer)/);
    }
    expect((await c.call("$unsubscribe", [null])).error).toBe(RPCErrorCode.INVALID_PARAMS);
    expect((await c.call("$subscribe", ["news.a"])).error).toBeNull();
    expect((await c.call("$subscribe", ["news.b"])).error).toBeNull();
    expect((await c.call("$subscribe", ["news.c"])).response).toMatch(/maxSubscribedChannels/);
  });

  it("answers as the conformance vectors control/subscribe-* say", async () => {
    const vectors = JSON.parse(readFileSync(new URL("../../protocol/conformance/vectors.json", import.meta.url), "utf8")) as Array<{ name: string; value: Packet }>;
    const rpc = (name: string): RPCResponse => vectors.find((v) => v.name === name)?.value.rpc as RPCResponse;
    await using server = await startServer({ handler: new NewsHandler() });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    const denied = rpc("control/subscribe-denied");
    expect(await c.call("$subscribe", ["news.tech"])).toMatchObject({ response: denied.response, error: denied.error });
    await c.call("login");
    const answer = await c.call("$subscribe", ["news.tech"]);
    expect(answer).toMatchObject({ error: rpc("control/subscribed").error });
  });
});
