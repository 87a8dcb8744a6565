// Per-channel history ($history, handler.history) against a real server, from a plain JSON client.
import { ClientType } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import { channel, ClientConnection, Is, LocalBroker, WebSocketServer, RPCErrorCode, rpcMethod, WebSocketHandler, type Delivery, type HistoryQuery, type HistoryResult, type HistoryStore } from "../src/index.js";
import { ChannelHistory } from "../src/history/channelHistory.js";
import { resolveHistory } from "../src/history/historyOptions.js";
import { startServer } from "./startServer.js";

class HistoryHandler extends WebSocketHandler {
  @rpcMethod() login(conn: ClientConnection) {
    conn.state.is_member = true;
    return true;
  }

  @rpcMethod() join(conn: ClientConnection, name: string) {
    return this.subscribe(conn, name);
  }

  @channel("members.*", { requires: Is("is_member") })
  members() {
    return null;
  }

  override canSubscribe(_conn: ClientConnection, name: string): boolean | Promise<boolean> {
    return name.startsWith("open.") ? Promise.resolve(true) : false;
  }
}

async function history(c: RawClient, args: unknown[]): Promise<HistoryResult> {
  const r = await c.call("$history", args);
  expect(r.error).toBeNull();
  return r.response as HistoryResult;
}

describe("channel history", () => {
  it("returns exactly the publications after a position, in order, to a plain JSON client", async () => {
    const handler = new HistoryHandler();
    await using server = await startServer({ handler, history: { size: 1000 } });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    const start = await history(c, ["open.room", null, null]);
    expect(start).toMatchObject({ offset: 0, publications: [], recovered: true });
    const n = 50 + Math.floor(Math.random() * 200);
    const sent = Array.from({ length: n }, (_, i) => ({ i, text: Math.random().toString(36).slice(2), nested: [i, { even: i % 2 === 0 }] }));
    for (const data of sent) {
      await handler.publish("open.room", data);
      if (Math.random() < 0.3) await handler.publish("open.other", "noise");
    }
    // A position taken before the channel had any history is refused (no ring is made for reads), not partly answered.
    expect(await history(c, ["open.room", start.epoch, 0])).toMatchObject({ publications: [], recovered: false });
    const { epoch } = await history(c, ["open.room", null, null, 0]);
    const k = Math.floor(Math.random() * n);
    const got = await history(c, ["open.room", epoch, k]);
    expect(got).toMatchObject({ epoch, offset: n, recovered: true });
    expect(got.publications).toEqual(sent.slice(k).map((data, j) => ({ offset: k + 1 + j, data })));
    // Paging with limit reads the same, a page at a time.
    const pages: unknown[] = [];
    let at = 0;
    for (;;) {
      const page = await history(c, ["open.room", epoch, at, 17]);
      expect(page.publications.length).toBeLessThanOrEqual(17);
      if (page.publications.length === 0) break;
      pages.push(...page.publications.map((p) => p.data));
      at = page.publications.at(-1)!.offset;
    }
    expect(pages).toEqual(sent);
    // Without a position: the newest `limit`.
    expect((await history(c, ["open.room", null, null, 3])).publications.map((p) => p.offset)).toEqual([n - 2, n - 1, n]);
    // The server reads the same.
    expect(await handler.history("open.room", { since: { epoch, offset: k } })).toEqual(got);
  });

  it("says recovered: false, with no publications, for a position it no longer has", async () => {
    const handler = new HistoryHandler();
    await using server = await startServer({ handler, history: { size: 10 } });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    for (let i = 1; i <= 30; i++) await handler.publish("open.room", i);
    const { epoch } = await history(c, ["open.room", null, null, 0]);
    expect(await history(c, ["open.room", epoch, 5])).toEqual({ epoch, offset: 30, publications: [], recovered: false });
    expect(await history(c, ["open.room", "not-the-epoch", 25])).toEqual({ epoch, offset: 30, publications: [], recovered: false });
    expect(await history(c, ["open.room", epoch, 31])).toMatchObject({ publications: [], recovered: false });
    expect((await history(c, ["open.room", epoch, 20])).publications.map((p) => p.data)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  });

  it("allows a subscribed channel or one the client could subscribe to; denies the rest", async () => {
    const handler = new HistoryHandler();
    await using server = await startServer({ handler, history: true });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    await handler.publish("secret", "s");
    expect(await c.call("$history", ["secret", null, null])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED, response: "Access denied for channel 'secret'." });
    expect(await c.call("$history", ["members.eu", null, null])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED });
    await c.call("login");
    expect((await history(c, ["members.eu", null, null])).recovered).toBe(true);
    await c.call("join", ["secret"]); // subscribed by the server: allowed though canSubscribe says no
    expect((await history(c, ["secret", null, null])).publications).toEqual([{ offset: 1, data: "s" }]);
  });

  it("answers bad arguments INVALID_PARAMS, history off METHOD_NOT_FOUND, a channel without history APPLICATION_ERROR", async () => {
    const handler = new HistoryHandler();
    await using server = await startServer({ handler, history: { channels: ["open.kept.*"] } });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    for (const args of [[], ["open.x"], ["open.x", null], [1, null, null], ["", null, null], ["open.x", "e", null], ["open.x", null, 3], ["open.x", "e", -1], ["open.x", "e", 1.5], ["open.x", null, null, -1], ["open.x", null, null, 1, 2], ["open.*", null, null]]) {
      expect(await c.call("$history", args), JSON.stringify(args)).toMatchObject({ error: RPCErrorCode.INVALID_PARAMS });
    }
    expect(await c.call("$history", ["open.x", null, null])).toMatchObject({ error: RPCErrorCode.APPLICATION_ERROR });
    expect((await history(c, ["open.kept.1", null, null])).offset).toBe(0);
    await expect(handler.history("open.x")).rejects.toThrow(/keeps no history/);

    const off = new HistoryHandler();
    await using plain = await startServer({ handler: off });
    await using d = await RawClient.connect(plain.url, ClientType.GENERIC);
    expect(await d.call("$history", ["open.x", null, null])).toMatchObject({ error: RPCErrorCode.METHOD_NOT_FOUND });
    await expect(off.history("open.x")).rejects.toThrow(/history is off/);
  });

  it("uses a broker's own history: positions from the broker, reads answered when they settle", async () => {
    /** A shared store as a Redis one behaves: no `record`, asynchronous reads, positions assigned by the broker. */
    class SharedHistory implements HistoryStore {
      readonly memory = new ChannelHistory(resolveHistory({ channels: ["open.*"] })!);
      reads = 0;
      keeps(channel: string): boolean {
        return this.memory.keeps(channel);
      }
      async read(channel: string, query?: HistoryQuery): Promise<HistoryResult> {
        this.reads++;
        await Promise.resolve();
        return this.memory.read(channel, query);
      }
    }
    class HistoryBroker extends LocalBroker {
      readonly history = new SharedHistory();
      override publish(d: Delivery): void {
        super.publish(d.kind === "channel" ? { ...d, positions: d.channels.map((ch) => this.history.memory.record(ch, d.data)) } : d);
      }
    }
    const broker = new HistoryBroker();
    const handler = new HistoryHandler();
    await using server = await startServer({ handler, broker });
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    for (let i = 1; i <= 5; i++) await handler.publish(["open.a", "open.b"], i);
    const { epoch } = await history(c, ["open.a", null, null, 0]);
    expect(await history(c, ["open.a", epoch, 3])).toEqual({ epoch, offset: 5, publications: [{ offset: 4, data: 4 }, { offset: 5, data: 5 }], recovered: true });
    expect((await handler.history("open.b")).offset).toBe(5); // recorded once per publish: by the broker, not fan-out as well
    expect(broker.history.reads).toBe(3);
    expect(await c.call("$history", ["elsewhere", null, null])).toMatchObject({ error: RPCErrorCode.ACCESS_DENIED });
    await expect(handler.history("other")).rejects.toThrow(/keeps no history/);
  });

  it("refuses two sources of history, and per-node history behind a distributed broker", async () => {
    const withHistory = Object.assign(new LocalBroker(), { history: new ChannelHistory(resolveHistory(true)!) });
    expect(() => new WebSocketServer({ broker: withHistory, history: true })).toThrow(/`history` option and a `broker` with its own `history`/);
    const distributed = Object.assign(new LocalBroker(), { distributed: true });
    expect(() => new WebSocketServer({ broker: distributed, history: { size: 5 } })).toThrow(TypeError);
    expect(() => new WebSocketServer({ broker: distributed, history: false })).not.toThrow();
  });
});
