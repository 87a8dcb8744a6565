// Session resumption on one node, on the wire (PROTOCOL.md § Session resumption), as a plain JSON client does it.
import { ClientType, PacketSource, type Packet } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it } from "vitest";
import type { WebSocketServerOptions } from "../src/index.js";
import { ResumeHandler } from "./resumeHandler.js";
import { startServer } from "./startServer.js";

interface SessionInfo {
  token: string;
  recovered: boolean;
  reason: string | null;
  window: number;
}

const isSession = (p: Packet): boolean => p.rpc?.type === "response" && p.rpc.call_id === "$session";

async function open(url: string, resume: string): Promise<{ client: RawClient; session: SessionInfo }> {
  const client = await RawClient.connect(`${url}?resume=${resume}`, ClientType.GENERIC);
  const packet = await client.waitFor(isSession);
  return { client, session: (packet.rpc as { response: SessionInfo }).response };
}

/** Messages (not RPC answers) received so far, in order, removed from the queue. */
function messages(client: RawClient): Packet[] {
  const out = client.packets.filter((p) => p.rpc === null);
  client.packets.splice(0, client.packets.length, ...client.packets.filter((p) => p.rpc !== null));
  return out;
}

async function start(handler: ResumeHandler, resume: WebSocketServerOptions["resume"] = { window: "1m" }) {
  return startServer({ handler, resume });
}

describe("session resumption (one node, plain JSON client)", () => {
  it("sends nothing new to a client that does not opt in, and disconnects it at once", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler);
    const old = await RawClient.connect(server.url, ClientType.GENERIC);
    expect((await old.call("join", [["room.a"]])).response).toBe(true);
    await handler.publish("room.a", "hello");
    await old.waitUntil(() => old.packets.length === 1);
    expect(old.packets.map((p) => [p.source, p.data])).toEqual([[PacketSource.CHANNEL, "hello"]]);
    old.ws.terminate();
    await handler.events.reach("disconnect", 1);
    expect(handler.events.count("suspend")).toBe(0);
  });

  it("resumes after a drop: same uid, state, subscriptions; every missed message once, in order; the token is single-use", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler);
    const { client: first, session } = await open(server.url, "");
    expect(session).toMatchObject({ recovered: false, reason: null, window: 60 });
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const uid = (await first.call("login", ["alice"])).response as string;
    await first.call("join", [["room.a", "news.*"]]);
    await first.call("direct", ["d0"]); // conn.send counts as a message too
    await handler.publish("room.a", 0);
    await handler.broadcast("b1");
    await first.waitUntil(() => first.packets.filter((p) => p.rpc === null).length === 3);
    const seen = messages(first).length;
    first.ws.terminate(); // no close frame: an unexpected drop
    await handler.events.reach("suspend", 1);
    expect(handler.events.count("disconnect")).toBe(0);

    await handler.publish("news.1", 1);
    await handler.broadcast("b2");
    handler.conns.get(uid)?.send("d1");
    await handler.publish("room.a", 2);

    const { client: second, session: resumed } = await open(server.url, `${session.token}.${seen}`);
    expect(resumed.recovered).toBe(true);
    expect(resumed.token).not.toBe(session.token);
    await second.waitUntil(() => second.packets.filter((p) => p.rpc === null).length === 4);
    expect(messages(second).map((p) => [p.source, p.data])).toEqual([
      [PacketSource.CHANNEL, 1],
      [PacketSource.BROADCAST, "b2"],
      [PacketSource.CUSTOM, "d1"],
      [PacketSource.CHANNEL, 2],
    ]);
    await handler.events.reach("resume", 1);
    expect((await second.call("whoami")).response).toEqual([uid, "alice"]);
    expect(handler.events.count("connect")).toBe(1);
    await handler.publish("news.9", 3); // still subscribed to the pattern, live again
    await second.waitUntil(() => second.packets.some((p) => p.data === 3));

    // The used token cannot take over: a fresh session, told why.
    const { client: thief, session: refused } = await open(server.url, `${session.token}.0`);
    expect(refused).toMatchObject({ recovered: false, reason: "used" });
    expect((await thief.call("whoami")).response).not.toEqual([uid, "alice"]);
    await thief.close();
    await second.close(); // a normal close ends the session at once
    await handler.events.reach("disconnect", 2);
    const { client: late, session: closed } = await open(server.url, `${resumed.token}.0`);
    expect(closed).toMatchObject({ recovered: false, reason: "closed" });
    await late.close();
  });

  it("resumes a session whose old socket the server still thinks open (the holder of the token is its client)", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler);
    const { client: first, session } = await open(server.url, "");
    const uid = (await first.call("login", ["bob"])).response as string;
    const { client: second, session: resumed } = await open(server.url, `${session.token}.0`);
    expect(resumed.recovered).toBe(true);
    expect((await second.call("whoami")).response).toEqual([uid, "bob"]);
    await first.closed; // the stale socket is let go
    await second.close();
    await handler.events.reach("disconnect", 1);
  });

  it("refuses unknown tokens and sequence numbers it never sent", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler);
    const { session: unknown, client: a } = await open(server.url, "AAAAAAAAAAAAAAAAAAAAAAAA.0");
    expect(unknown).toMatchObject({ recovered: false, reason: "unknown" });
    const { session: garbage, client: b } = await open(server.url, "x");
    expect(garbage).toMatchObject({ recovered: false, reason: "unknown" });
    a.ws.terminate();
    await handler.events.reach("suspend", 1);
    const { session: ahead, client: c } = await open(server.url, `${unknown.token}.5`);
    expect(ahead).toMatchObject({ recovered: false, reason: "mismatch" });
    await handler.events.reach("disconnect", 1); // the session is over
    await b.close();
    await c.close();
  });

  it("ends a suspended session the application closes: onDisconnect at once, the client is told closed", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler);
    const { client, session } = await open(server.url, "");
    const uid = (await client.call("login", ["eve"])).response as string;
    client.ws.terminate();
    await handler.events.reach("suspend", 1);
    handler.conns.get(uid)?.close();
    await handler.events.reach("disconnect", 1);
    const { session: after, client: again } = await open(server.url, `${session.token}.0`);
    expect(after).toMatchObject({ recovered: false, reason: "closed" });
    await again.close();
  });

  it("ends the session when the window passes: onDisconnect then, and the client is told expired", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler, { window: "20ms" });
    const { client, session } = await open(server.url, "");
    await client.call("join", [["room.a"]]);
    client.ws.terminate();
    await handler.events.reach("suspend", 1);
    await handler.events.reach("disconnect", 1);
    expect(server.channelStats.channels).toBe(0);
    const { session: after, client: again } = await open(server.url, `${session.token}.0`);
    expect(after).toMatchObject({ recovered: false, reason: "expired" });
    expect(after.token).not.toBe(session.token);
    await again.close();
  });

  it("ends a suspended session whose buffer overflows: the client is told overflow", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler, { window: "1m", maxMessages: 5 });
    const { client, session } = await open(server.url, "");
    await client.call("join", [["room.a"]]);
    for (let i = 0; i < 8; i++) await handler.publish("room.a", i); // live: only the last 5 are kept
    await client.waitUntil(() => client.packets.filter((p) => p.rpc === null).length === 8);
    client.ws.terminate();
    await handler.events.reach("suspend", 1);
    for (let i = 0; i < 5; i++) await handler.publish("room.a", i); // fits
    expect(handler.events.count("disconnect")).toBe(0);
    await handler.publish("room.a", 5); // one more than it keeps: the client could not get everything
    await handler.events.reach("disconnect", 1);
    const { session: after, client: again } = await open(server.url, `${session.token}.8`);
    expect(after).toMatchObject({ recovered: false, reason: "overflow" });
    await again.close();
  });

  it("counts maxBytes the same way", async () => {
    const handler = new ResumeHandler();
    await using server = await start(handler, { window: "1m", maxBytes: "1KiB" });
    const { client, session } = await open(server.url, "");
    await client.call("join", [["room.a"]]);
    client.ws.terminate();
    await handler.events.reach("suspend", 1);
    await handler.publish("room.a", "x".repeat(2000));
    await handler.events.reach("disconnect", 1);
    const { session: after, client: again } = await open(server.url, `${session.token}.0`);
    expect(after).toMatchObject({ recovered: false, reason: "overflow" });
    await again.close();
  });
});
