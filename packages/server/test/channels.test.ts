import { ClientType, PacketSource } from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { RawClient } from "@webshocket/test-utils";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

/** Sends a marker publish to `channel` and waits until `receiver` sees it: proves all earlier traffic arrived. */
async function barrier(sender: RawClient, receiver: RawClient, channel: string): Promise<void> {
  const mark = `barrier-${Math.random()}`;
  await sender.call("publishTo", [channel, mark]);
  await receiver.waitFor((p) => p.data === mark);
}

describe("channels", () => {
  it("delivers publishes to exact subscribers of both client types, with source and channel", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url, ClientType.GENERIC);
    expect((await a.call("join", ["room"])).response).toBe(true);
    expect((await b.call("join", ["room"])).response).toBe(true);
    await a.call("publishTo", ["room", { text: "hi" }]);
    for (const c of [a, b]) {
      const p = await c.waitFor((x) => x.source === PacketSource.CHANNEL);
      expect(p).toMatchObject({ channel: "room", data: { text: "hi" } });
    }
  });

  it("delivers to glob subscribers, once per client even with overlapping subscriptions", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using sub = await RawClient.connect(server.url);
    await using pub = await RawClient.connect(server.url);
    await sub.call("join", [["news.*", "news.tech", "news.[st]*", "n?ws.tech"]]);
    await sub.call("join", ["end"]);
    await pub.call("publishTo", ["news.tech", "cpu"]);
    await pub.call("publishTo", ["news.sports", "goal"]);
    await pub.call("publishTo", ["weather", "rain"]);
    await barrier(pub, sub, "end");
    const got = sub.packets.filter((p) => p.source === PacketSource.CHANNEL).map((p) => [p.channel, p.data]);
    expect(got).toEqual([
      ["news.tech", "cpu"],
      ["news.sports", "goal"],
    ]);
  });

  it("excludes the sender, and filters by predicate (data and function)", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    const clients = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.url)));
    const [red, blue, other] = clients as [RawClient, RawClient, RawClient];
    await red.call("setTeam", ["red"]);
    await blue.call("setTeam", ["blue"]);
    for (const c of clients) await c.call("join", [["room", "end"]]);
    await red.call("publishTo", ["room", "to-others", "exclude-me"]);
    await other.call("publishTo", ["room", "to-red", "red"]);
    await other.call("publishTo", ["room", "to-blue", "fn"]);
    for (const c of clients) await barrier(other, c, "end");
    const seen = (c: RawClient) => c.packets.filter((p) => p.channel === "room").map((p) => p.data);
    expect(seen(red)).toEqual(["to-red"]);
    expect(seen(blue)).toEqual(["to-others", "to-blue"]);
    expect(seen(other)).toEqual(["to-others"]);
    await Promise.all(clients.map((c) => c.close()));
  });

  it("keeps publish order per client across exact, pattern and predicate publishes", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    await using red = await RawClient.connect(server.url);
    await using blue = await RawClient.connect(server.url);
    await using generic = await RawClient.connect(server.url, ClientType.GENERIC);
    await red.call("setTeam", ["red"]);
    await blue.call("setTeam", ["blue"]);
    for (const c of [red, blue, generic]) await c.call("join", [["news.*", "room", "end"]]);
    // 1,100 messages: more than an outbox holds (1,024) before it is flushed in the middle of a batch.
    const sequence = Array.from({ length: 1100 }, (_, i) => [i % 7 === 3 ? "room" : `news.${i % 4}`, i, i % 5 === 2 ? "red" : "all"]);
    const everyone = sequence.filter(([, , mode]) => mode !== "red").map(([, data]) => data);
    const all = sequence.map(([, data]) => data);
    // Once from inside an RPC (deliveries deferred to the check phase), once from outside any uWS callback.
    await red.call("publishSequence", [sequence]);
    for (const [channel, data, mode] of sequence) void handler.publish(channel as string, data, mode === "red" ? { predicate: (x) => x.state.team === "red" } : {});
    for (const c of [red, blue, generic]) await barrier(blue, c, "end");
    const seen = (c: RawClient) => c.packets.filter((p) => p.source === PacketSource.CHANNEL && p.channel !== "end").map((p) => p.data);
    expect(seen(red)).toEqual([...all, ...all]);
    expect(seen(blue)).toEqual([...everyone, ...everyone]);
    expect(seen(generic)).toEqual([...everyone, ...everyone]);
  });

  it("publishes to several channels in one call", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using c = await RawClient.connect(server.url);
    await c.call("join", [["a", "b"]]);
    await c.call("publishTo", [["a", "b", "c"], "x"]);
    await c.waitUntil(() => c.packets.filter((p) => p.source === PacketSource.CHANNEL).length === 2);
    expect(c.packets.filter((p) => p.source === PacketSource.CHANNEL).map((p) => p.channel).sort()).toEqual(["a", "b"]);
  });

  it("deletes empty channels and removes a disconnecting client everywhere", async () => {
    const handler = new TestHandler();
    await using server = await startServer({ handler });
    const a = await RawClient.connect(server.url);
    await using b = await RawClient.connect(server.url);
    await a.call("join", [["x", "y.*"]]);
    await b.call("join", ["x"]);
    expect([...handler.channels.keys()]).toEqual(["x"]);
    expect([...handler.patterns.keys()]).toEqual(["y.*"]);
    await a.close();
    await vi.waitFor(() => expect(handler.clients.size).toBe(1));
    expect(handler.channels.get("x")?.size).toBe(1);
    expect(handler.patterns.size).toBe(0);
    await b.call("leave", ["x"]);
    expect(handler.channels.size).toBe(0);
  });

  it("refuses subscriptions past maxSubscribedChannels, all or nothing", async () => {
    await using server = await startServer({ handler: new TestHandler(), maxSubscribedChannels: 2 });
    await using c = await RawClient.connect(server.url);
    expect((await c.call("join", [["a", "b", "c"]])).response).toBe(false);
    expect((await c.call("join", [["a", "b"]])).response).toBe(true);
    expect((await c.call("join", ["a"])).response).toBe(true);
    expect((await c.call("join", ["c.*"])).response).toBe(false);
  });
});

describe("broadcast", () => {
  it("reaches connections opened before and after the first one, without any uWS topic", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using early = await RawClient.connect(server.url);
    await using generic = await RawClient.connect(server.url, ClientType.GENERIC);
    expect((await early.call("join", ["room"])).response).toBe(true);
    const topics = (): string[] => [...server.clients].flatMap((c) => (c.socket as { getTopics?: () => string[] } | undefined)?.getTopics?.() ?? []);
    await early.call("shout", ["first"]);
    await using late = await RawClient.connect(server.url);
    await generic.call("shout", ["second"]);
    for (const [c, expected] of [[early, ["first", "second"]], [generic, ["first", "second"]], [late, ["second"]]] as const) {
      await c.waitUntil(() => c.packets.filter((p) => p.source === PacketSource.BROADCAST).length === expected.length);
      expect(c.packets.filter((p) => p.source === PacketSource.BROADCAST).map((p) => p.data)).toEqual(expected);
    }
    expect(topics()).toEqual([]); // fan-out goes through outboxes: no native subscription to pay for
  });

  it("reaches everyone, or only those passing the predicate, minus excluded", async () => {
    await using server = await startServer({ handler: new TestHandler() });
    await using admin = await RawClient.connect(server.url);
    await using user = await RawClient.connect(server.url, ClientType.GENERIC);
    await admin.call("login", ["root", null, true]);
    await user.call("login", ["joe"]);
    await user.call("shout", ["all"]);
    await user.call("shout", ["admins only", "admins"]);
    await admin.call("shout", ["not me", "exclude-me"]);
    await admin.waitUntil(() => admin.packets.filter((p) => p.source === PacketSource.BROADCAST).length === 2);
    await user.waitUntil(() => user.packets.filter((p) => p.source === PacketSource.BROADCAST).length === 2);
    expect(admin.packets.filter((p) => p.source === PacketSource.BROADCAST).map((p) => p.data)).toEqual(["all", "admins only"]);
    expect(user.packets.filter((p) => p.source === PacketSource.BROADCAST).map((p) => p.data)).toEqual(["all", "not me"]);
  });
});
