// Channel recovery against a server played by the test (FakeSocket): the cases a real one-node server cannot
// produce — a session restored on another node ("moved"), paged answers, a drop in the middle of a recovery.
import { createPacket, createResponse, PacketSource, type Packet, type RPCRequest } from "@webshocket/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeClient } from "../test/helpers/fakeClient.js";
import { FakeSocket } from "../test/helpers/fakeSocket.js";
import type { ClientEvents } from "./clientEvents.js";

beforeEach(() => FakeSocket.reset());
afterEach(() => FakeSocket.reset());

const E = "epochA";
const session = (recovered: boolean, reason: string | null): Packet => createResponse("$session", { token: "t", recovered, reason, window: 60 }, { isEnd: true });
const live = (offset: number, channel = "ch.a"): Packet => createPacket(PacketSource.CHANNEL, { channel, data: offset, position: [E, offset] });
const history = (from: number, to: number, offset: number, recovered = true) => ({
  epoch: E,
  offset,
  publications: Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => ({ offset: from + i, data: from + i })),
  recovered,
});

/** The next request for `method` the socket sends (polling the event loop, bounded by a count). */
async function request(socket: FakeSocket, method: string, skip = 0): Promise<RPCRequest> {
  for (let i = 0; i < 200; i++) {
    const found = socket.requests.filter((r) => r.method === method)[skip];
    if (found) return found;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`no ${method} request`);
}

async function subscribed() {
  const { client, socket } = await fakeClient({ autoReconnect: { retryInterval: "1ms" } });
  socket.push(session(false, null));
  const got: number[] = [];
  const subscribing = client.subscribe<number>("ch.a", (n) => got.push(n));
  socket.push(createResponse((await request(socket, "$subscribe")).call_id, null));
  await subscribing;
  for (let i = 1; i <= 2; i++) socket.push(live(i));
  expect(got).toEqual([1, 2]);
  return { client, socket, got };
}

async function reconnect(socket: FakeSocket): Promise<FakeSocket> {
  FakeSocket.behaviour = "open";
  const before = FakeSocket.instances.length;
  socket.drop();
  for (let i = 0; i < 200 && FakeSocket.instances.length === before; i++) await new Promise((r) => setImmediate(r));
  const next = FakeSocket.last;
  for (let i = 0; i < 200 && next.readyState !== 1; i++) await new Promise((r) => setImmediate(r));
  return next;
}

describe("channel recovery", () => {
  it('after a session restored on another node ("moved"): no re-subscription, paged $history, live messages held and de-duplicated', async () => {
    const { client, socket, got } = await subscribed();
    expect(socket.url).toContain("positions=1");
    const next = await reconnect(socket);
    const recover = client.once("recover");
    next.push(session(true, "moved"));
    next.push(live(300)); // live, while the history is read: held
    const first = await request(next, "$history");
    expect(first.args).toEqual(["ch.a", E, 2, 256]);
    next.push(live(301));
    next.push(createResponse(first.call_id, history(3, 258, 301)));
    const second = await request(next, "$history", 1);
    expect(second.args).toEqual(["ch.a", E, 258, 256]);
    next.push(createResponse(second.call_id, history(259, 300, 301)));
    expect(await recover).toEqual({ channels: [{ channel: "ch.a", recovered: true, replayed: 298 }] });
    next.push(live(302));
    expect(got).toEqual(Array.from({ length: 302 }, (_, i) => i + 1));
    expect(next.requests.map((r) => r.method)).toEqual(["$history", "$history"]); // its subscriptions were kept
    await client.close();
  });

  it("after a lost session: re-subscribes first; a position gone is reported, with none of the gap", async () => {
    const { client, socket, got } = await subscribed();
    const next = await reconnect(socket);
    const recover = client.once("recover");
    next.push(session(false, "expired"));
    next.push(live(9));
    const sub = await request(next, "$subscribe");
    await new Promise((r) => setImmediate(r));
    expect(next.requests.map((r) => r.method)).toEqual(["$subscribe"]); // $history waits for the subscription
    next.push(createResponse(sub.call_id, null));
    const asked = await request(next, "$history");
    next.push(createResponse(asked.call_id, history(0, -1, 9, false)));
    const report: ClientEvents["recover"] = await recover;
    expect(report.channels).toEqual([{ channel: "ch.a", recovered: false, replayed: 0 }]);
    next.push(live(10));
    expect(got).toEqual([1, 2, 9, 10]); // the live ones, none of 3..8
    await client.close();
  });

  it("a drop in the middle of a recovery starts it over on the next connection, even a resumed one", async () => {
    const { client, socket, got } = await subscribed();
    const second = await reconnect(socket);
    const recover = client.once("recover");
    second.push(session(true, "moved"));
    second.push(live(6)); // held, then lost with the socket: the history has it
    await request(second, "$history");
    const third = await reconnect(second);
    third.push(session(true, null)); // resumed this time; the recovery still has to finish
    const again = await request(third, "$history");
    expect(again.args).toEqual(["ch.a", E, 2, 256]);
    third.push(live(7));
    third.push(createResponse(again.call_id, history(3, 6, 6)));
    expect(await recover).toEqual({ channels: [{ channel: "ch.a", recovered: true, replayed: 4 }] });
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await client.close();
  });
});
