import {
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionState,
  createPacket,
  createResponse,
  InvalidURIError,
  PacketSource,
  ReceiveTimeoutError,
  SUBPROTOCOL,
  WebSocketError,
} from "@webshocket/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeClient } from "../test/helpers/fakeClient.js";
import { FakeSocket } from "../test/helpers/fakeSocket.js";
import type { ClientEvents } from "./clientEvents.js";
import { WebSocketClient as BrowserClient } from "./index.browser.js";
import { WebSocketClient } from "./index.js";

beforeEach(() => FakeSocket.reset());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("URI validation", () => {
  it.each(["http://localhost:5000", "https://x.test", "localhost:5000", "", "ws://", "ftp://a", "ws://host/#frag"])(
    "throws InvalidURIError at once for %j",
    (uri) => {
      expect(() => new WebSocketClient(uri)).toThrow(InvalidURIError);
      expect(() => new BrowserClient(uri)).toThrow(InvalidURIError);
    },
  );

  it.each(["ws://localhost:5000", "wss://example.com/ws?token=1", "ws://[::1]:80/"])("accepts %j", (uri) => {
    expect(new WebSocketClient(uri).state).toBe(ConnectionState.DISCONNECTED);
  });

  it("refuses the tls option in the browser build", () => {
    expect(() => new BrowserClient("wss://x.test", { tls: { rejectUnauthorized: false } })).toThrow(WebSocketError);
  });
});

describe("connect and close", () => {
  it("offers the msgpack subprotocol and walks through the states", async () => {
    const states: ConnectionState[] = [];
    const client = new WebSocketClient("ws://fake.test:1", { WebSocket: FakeSocket });
    client.on("state", ({ state }) => states.push(state));
    const connecting = client.connect();
    expect(client.state).toBe(ConnectionState.CONNECTING);
    await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
    expect(FakeSocket.last.protocols).toEqual([SUBPROTOCOL]);
    FakeSocket.last.open();
    await expect(connecting).resolves.toBe(client);
    expect(client.state).toBe(ConnectionState.CONNECTED);
    await expect(client.connect()).resolves.toBe(client); // no-op when connected
    expect(FakeSocket.instances).toHaveLength(1);
    await client.close();
    expect(client.state).toBe(ConnectionState.CLOSED);
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.CLOSED]);
  });

  it("speaks JSON text frames without subprotocol in json format", async () => {
    const { client, socket } = await fakeClient({ format: "json" });
    expect(socket.protocols).toEqual([]);
    client.send({ hello: "world" });
    expect(typeof socket.sent[0]).toBe("string");
    expect(JSON.parse(socket.sent[0] as string)).toMatchObject({ source: 4, data: { hello: "world" } });
    await client.close();
  });

  it("fails with ConnectionFailedError without retry", async () => {
    FakeSocket.behaviour = "refuse";
    const client = new WebSocketClient("ws://fake.test:1", { WebSocket: FakeSocket });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionFailedError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(client.state).toBe(ConnectionState.DISCONNECTED);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it("retries with exponential backoff and jitter, then gives up", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    FakeSocket.behaviour = "refuse";
    const client = new WebSocketClient("ws://fake.test:1", { WebSocket: FakeSocket });
    const retries: ClientEvents["retry"][] = [];
    client.on("retry", (info) => retries.push(info));
    const outcome = expect(client.connect({ retry: true, maxRetryAttempt: 3, retryInterval: 2 })).rejects.toBeInstanceOf(
      ConnectionFailedError,
    );
    await vi.runAllTimersAsync();
    await outcome;
    expect(FakeSocket.instances).toHaveLength(4);
    expect(retries.map((r) => r.delayMs)).toEqual([2000 + 1000, 4000 + 1000, 8000 + 1000]);
    expect(retries.every((r) => !r.reconnecting)).toBe(true);
  });

  it("accepts duration strings and succeeds on a later attempt", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    FakeSocket.behaviour = "refuse";
    const client = new WebSocketClient("ws://fake.test:1", { WebSocket: FakeSocket });
    client.on("retry", ({ attempt }) => {
      if (attempt === 2) FakeSocket.behaviour = "open";
    });
    const connecting = client.connect({ retry: true, retryInterval: "100ms" });
    await vi.advanceTimersByTimeAsync(100 + 200);
    await expect(connecting).resolves.toBe(client);
    expect(FakeSocket.instances).toHaveLength(3);
    await client.close();
  });

  it("close() while connecting rejects connect", async () => {
    const client = new WebSocketClient("ws://fake.test:1", { WebSocket: FakeSocket });
    const connecting = client.connect();
    await vi.waitFor(() => expect(FakeSocket.instances).toHaveLength(1));
    await client.close();
    await expect(connecting).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(client.state).toBe(ConnectionState.CLOSED);
  });

  it("supports await using", async () => {
    let socket: FakeSocket | undefined;
    {
      await using client = (await fakeClient()).client;
      socket = FakeSocket.last;
      expect(client.state).toBe(ConnectionState.CONNECTED);
    }
    expect(socket.readyState).toBe(3);
  });
});

describe("send, recv and onReceive", () => {
  it("wraps non-packets as CUSTOM and sends packets as they are", async () => {
    const { client, socket } = await fakeClient();
    client.send("hi");
    client.send({ source: PacketSource.CHANNEL, channel: "room", data: 1 });
    expect(socket.packets.map((p) => [p.source, p.data, p.channel])).toEqual([
      [PacketSource.CUSTOM, "hi", null],
      [PacketSource.CHANNEL, 1, "room"],
    ]);
    await client.close();
    expect(() => client.send("late")).toThrow(ConnectionClosedError);
  });

  it("queues non-RPC packets for recv, keeping source and channel", async () => {
    const { client, socket } = await fakeClient();
    socket.push(createPacket(PacketSource.CHANNEL, { channel: "news", data: "n1" }));
    socket.push(createPacket(PacketSource.BROADCAST, { data: "all" }));
    socket.push(createResponse("unknown-call", 1)); // nobody waits: dropped, never queued
    const a = await client.recv(1);
    const b = await client.recv(1);
    expect([a.source, a.channel, a.data]).toEqual([PacketSource.CHANNEL, "news", "n1"]);
    expect([b.source, b.channel, b.data]).toEqual([PacketSource.BROADCAST, null, "all"]);
    expect(client.queuedPackets).toBe(0);
    await client.close();
  });

  it("bounds the queue by maxPacketQueue, dropping the oldest", async () => {
    const { client, socket } = await fakeClient({ maxPacketQueue: 2 });
    for (const n of [1, 2, 3]) socket.push(createPacket(PacketSource.CUSTOM, { data: n }));
    expect((await client.recv()).data).toBe(2);
    expect((await client.recv()).data).toBe(3);
    await client.close();
  });

  it("recv times out with ReceiveTimeoutError", async () => {
    const { client } = await fakeClient();
    vi.useFakeTimers();
    const waiting = expect(client.recv("250ms")).rejects.toBeInstanceOf(ReceiveTimeoutError);
    await vi.advanceTimersByTimeAsync(250);
    await waiting;
    vi.useRealTimers();
    await client.close();
  });

  it("recv rejects when the connection drops, and when not connected", async () => {
    const { client, socket } = await fakeClient();
    const waiting = client.recv(null);
    socket.drop(1001, "going away");
    await expect(waiting).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.recv()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("hands packets to onReceive instead of the queue", async () => {
    const seen: unknown[] = [];
    const { client, socket } = await fakeClient({ onReceive: (p) => seen.push(p.data) });
    const messages: unknown[] = [];
    client.on("message", (p) => messages.push(p.data));
    socket.push(createPacket(PacketSource.CUSTOM, { data: "x" }));
    expect(seen).toEqual(["x"]);
    expect(messages).toEqual(["x"]);
    expect(client.queuedPackets).toBe(0);
    await expect(client.recv()).rejects.toBeInstanceOf(WebSocketError);
    await client.close();
  });
});

describe("auto-reconnect", () => {
  it("reconnects after a drop and reports it", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { client, socket } = await fakeClient({ autoReconnect: { retryInterval: "10ms" } });
    const disconnect = client.once("disconnect");
    const reconnect = client.once("reconnect");
    FakeSocket.behaviour = "open";
    socket.drop(1001, "restart");
    expect(client.state).toBe(ConnectionState.CONNECTING);
    expect(await disconnect).toEqual({ code: 1001, reason: "restart", willReconnect: true });
    expect(await reconnect).toEqual({ attempts: 1, recovered: false, reason: null }); // a server that offers no resumption
    expect(client.state).toBe(ConnectionState.CONNECTED);
    expect(FakeSocket.instances).toHaveLength(2);
    await client.close();
  });

  it("gives up after maxRetryAttempt and emits reconnectFailed", async () => {
    const { client, socket } = await fakeClient({ autoReconnect: { retryInterval: "1ms", maxRetryAttempt: 2 } });
    const failed = client.once("reconnectFailed");
    FakeSocket.behaviour = "refuse";
    socket.drop();
    const { error } = await failed;
    expect(error).toBeInstanceOf(ConnectionFailedError);
    expect(FakeSocket.instances).toHaveLength(1 + 3);
    expect(client.state).toBe(ConnectionState.DISCONNECTED);
  });

  it("does not reconnect after close()", async () => {
    const { client } = await fakeClient({ autoReconnect: true });
    await client.close();
    expect(FakeSocket.instances).toHaveLength(1);
    expect(client.state).toBe(ConnectionState.CLOSED);
  });
});
