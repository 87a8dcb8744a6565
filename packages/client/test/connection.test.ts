// Connection life cycle against a real @webshocket/server: retry, reconnect, channels, broadcast,
// send/recv, TLS.
import {
  ConnectionFailedError,
  ConnectionState,
  PacketSource,
  ReceiveTimeoutError,
  type Packet,
} from "@webshocket/protocol";
import { WebSocketServer } from "@webshocket/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocketClient, type ClientEvents } from "../src/index.js";
import { closedPort } from "./helpers/freePort.js";
import { selfSigned } from "./helpers/selfSigned.js";
import { startServer, TestHandler } from "./helpers/testHandler.js";

afterEach(() => vi.restoreAllMocks());

describe("connect with retry", () => {
  it("retries a closed port with growing delays, then fails with ConnectionFailedError", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5); // jitter = interval / 2
    const port = await closedPort();
    const client = new WebSocketClient(`ws://127.0.0.1:${port}`);
    const retries: ClientEvents["retry"][] = [];
    client.on("retry", (info) => retries.push(info));
    const error = await client.connect({ retry: true, maxRetryAttempt: 3, retryInterval: "10ms" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionFailedError);
    expect((error as Error).message).toMatch(/after 4 attempt\(s\)/);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(retries.map((r) => r.delayMs)).toEqual([10 + 5, 20 + 5, 40 + 5]);
    expect(client.state).toBe(ConnectionState.DISCONNECTED);
  });

  it("does not retry by default", async () => {
    const client = new WebSocketClient(`ws://127.0.0.1:${await closedPort()}`);
    const onRetry = vi.fn();
    client.on("retry", onRetry);
    await expect(client.connect()).rejects.toBeInstanceOf(ConnectionFailedError);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it("connects once the server comes up during the retries", async () => {
    const port = await closedPort();
    const client = new WebSocketClient(`ws://127.0.0.1:${port}`);
    let server: WebSocketServer | undefined;
    client.on("retry", ({ attempt }) => {
      if (attempt === 1) {
        server = new WebSocketServer({ host: "127.0.0.1", port, handler: new TestHandler(), closeGracePeriod: 50 });
        void server.start();
      }
    });
    await client.connect({ retry: true, maxRetryAttempt: 10, retryInterval: "20ms" });
    expect((await client.sendRpc("add", 1, 2)).data).toBe(3);
    await client.close();
    await server?.close();
  });
});

describe("auto-reconnect", () => {
  it("reconnects after a server restart on the same port", async () => {
    // A fixed port, as a real deployment has: uWebSockets.js sets SO_REUSEADDR only when the port
    // is not 0, and without it the first server's TIME_WAIT sockets would block the restart.
    const port = await closedPort();
    const first = await startServer(port);
    await using client = new WebSocketClient(first.server.url, { autoReconnect: { retryInterval: "20ms", maxRetryAttempt: 50 } });
    await client.connect();
    expect((await client.sendRpc("add", 1, 1)).data).toBe(2);

    const disconnected = client.once("disconnect");
    await first.server.close(); // sends 1001 Going Away
    expect(await disconnected).toMatchObject({ code: 1001, willReconnect: true });
    expect(client.state).toBe(ConnectionState.CONNECTING);
    await expect(client.sendRpc("add", 1, 1)).rejects.toThrow(/Not connected/);

    const reconnected = client.once("reconnect");
    const second = await startServer(port);
    await using _ = second.server;
    const { attempts } = await reconnected;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(client.state).toBe(ConnectionState.CONNECTED);
    expect((await client.sendRpc("add", 2, 2)).data).toBe(4);
  });

  it("reconnects when the server drops the connection, failing the call in flight at once", async () => {
    const { server } = await startServer();
    await using _ = server;
    await using client = new WebSocketClient(server.url, { rpcTimeout: null, autoReconnect: { retryInterval: "10ms" } });
    await client.connect();
    const states: ConnectionState[] = [];
    client.on("state", ({ state }) => states.push(state));
    const reconnected = client.once("reconnect");
    await expect(client.sendRpc("hang_up")).rejects.toMatchObject({ code: "CONNECTION_CLOSED", closeCode: 4000 });
    await reconnected;
    expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.CONNECTED]);
    expect((await client.sendRpc("add", 3, 4)).data).toBe(7);
  });

  it("stays disconnected without autoReconnect", async () => {
    const { server } = await startServer();
    const client = new WebSocketClient(server.url);
    await client.connect();
    const disconnected = client.once("disconnect");
    await server.close();
    expect(await disconnected).toMatchObject({ code: 1001, willReconnect: false });
    expect(client.state).toBe(ConnectionState.DISCONNECTED);
    await client.close();
    expect(client.state).toBe(ConnectionState.CLOSED);
  });
});

describe.each(["msgpack", "json"] as const)("messages (%s)", (format) => {
  it("send() wraps values as CUSTOM packets; recv() returns the server's packets", async () => {
    const { server } = await startServer();
    await using _ = server;
    await using client = await new WebSocketClient(server.url, { format }).connect();
    client.send("hello");
    const reply = await client.recv(5);
    expect(reply.source).toBe(PacketSource.CUSTOM);
    expect(reply.data).toEqual({ echo: "hello" });
    await expect(client.recv("50ms")).rejects.toBeInstanceOf(ReceiveTimeoutError);
  });

  it("delivers channel packets with their channel, and broadcasts to everyone", async () => {
    const { server } = await startServer();
    await using _ = server;
    await using alice = await new WebSocketClient(server.url, { format }).connect();
    const bobSeen: Packet[] = [];
    await using bob = await new WebSocketClient(server.url, { format, onReceive: (p) => bobSeen.push(p) }).connect();

    expect((await alice.sendRpc("join", "room-1")).data).toBe(true);
    await bob.sendRpc("say", "room-1", "hi room");
    const channel = await alice.recv(5);
    expect(channel).toMatchObject({ source: PacketSource.CHANNEL, channel: "room-1", data: "hi room" });

    await alice.sendRpc("shout", "hello all");
    const broadcast = await alice.recv(5);
    expect(broadcast).toMatchObject({ source: PacketSource.BROADCAST, data: "hello all" });
    await vi.waitFor(() => expect(bobSeen.map((p) => [p.source, p.data])).toEqual([[PacketSource.BROADCAST, "hello all"]]));
  });
});

describe("TLS (Node)", () => {
  const cert = selfSigned();
  if (!cert && process.env["CI"]) throw new Error("openssl is needed for the TLS test");

  it.skipIf(!cert)("connects to wss:// with a trusted CA, and refuses an untrusted certificate", async () => {
    if (!cert) return;
    const handler = new TestHandler();
    await using server = new WebSocketServer({ host: "127.0.0.1", port: 0, handler, tls: cert, closeGracePeriod: 50 });
    await server.start();
    expect(server.url).toMatch(/^wss:/);
    await using trusted = await new WebSocketClient(server.url, { tls: { ca: cert.cert } }).connect();
    expect((await trusted.sendRpc("add", 20, 22)).data).toBe(42);
    const untrusted = new WebSocketClient(server.url);
    await expect(untrusted.connect()).rejects.toThrow(/self.signed|certificate/i);
    await using insecure = await new WebSocketClient(server.url, { tls: { rejectUnauthorized: false } }).connect();
    expect((await insecure.sendRpc("add", 1, 1)).data).toBe(2);
  });
});
