import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientType, PacketSource, ServerState, createPacket } from "@webshocket/protocol";
import { describe, expect, it, vi } from "vitest";
import { WebSocketServer } from "../src/index.js";
import { RawClient } from "@webshocket/test-utils";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

describe("server life cycle", () => {
  it("reports its state and bound port", async () => {
    const server = await startServer({ handler: TestHandler });
    expect(server.state).toBe(ServerState.LISTENING);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    await server.close();
    expect(server.state).toBe(ServerState.CLOSED);
  });

  it("close() lets running calls finish, then sends 1001 to every client", async () => {
    const handler = new TestHandler();
    const server = await startServer({ handler, closeGracePeriod: 10_000 });
    const c = await RawClient.connect(server.url);
    const id = c.request("slow", ["done"]);
    await vi.waitFor(() => expect(handler.release).toBeDefined());
    const closing = server.close();
    expect(server.state).toBe(ServerState.CLOSING);
    handler.release?.();
    const [response] = await c.collect(id);
    expect(response?.response).toBe("done");
    expect((await c.closed).code).toBe(1001);
    await closing;
    expect(server.state).toBe(ServerState.CLOSED);
    expect(handler.clients.size).toBe(0);
  });

  it("round-trips 1 MiB messages and closes only an oversize sender with 1009", async () => {
    await using server = await startServer({ handler: new TestHandler(), maxPayloadLength: 2 * 1024 * 1024 });
    await using ok = await RawClient.connect(server.url);
    const big = "y".repeat(1024 * 1024);
    expect((await ok.call("echo", [big])).response).toBe(big);
    const bad = await RawClient.connect(server.url);
    bad.sendRaw(new Uint8Array(3 * 1024 * 1024));
    expect((await bad.closed).code).toBe(1009);
    expect((await ok.call("add", [1, 2])).response).toBe(3);
  });

  it("serves wss:// from key and cert files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "webshocket-tls-"));
    const keyFile = join(dir, "key.pem");
    const certFile = join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    await using server = await startServer({ handler: new TestHandler(), tls: { keyFile, certFile } });
    expect(server.url.startsWith("wss://")).toBe(true);
    await using c = await RawClient.connect(server.url, ClientType.FRAMEWORK, { rejectUnauthorized: false });
    expect((await c.call("add", [20, 22])).response).toBe(42);
    const rs = await c.collect(c.request("count_to", [2]));
    expect(rs.map((r) => r.response)).toEqual([1, 2, null]);
    await c.call("join", ["tls-room"]);
    await c.call("publishTo", ["tls-room", "secure"]);
    expect((await c.waitFor((p) => p.channel === "tls-room")).data).toBe("secure");
  });

  it("manual mode hands out connections and packets", async () => {
    await using server = new WebSocketServer({ port: 0 });
    await server.start();
    await expect(new WebSocketServer({ handler: new TestHandler() }).accept()).rejects.toThrow(TypeError);
    await using c = await RawClient.connect(`ws://127.0.0.1:${server.port}`, ClientType.GENERIC);
    const conn = await server.accept();
    expect(conn.clientType).toBe(ClientType.GENERIC);
    c.sendPacket(createPacket(PacketSource.CUSTOM, { data: "one" }));
    c.sendRaw(JSON.stringify({ source: 4, data: "two" }), false);
    expect((await conn.recv(5)).data).toBe("one");
    const seen: unknown[] = [];
    for await (const packet of conn) {
      seen.push(packet.data);
      break;
    }
    expect(seen).toEqual(["two"]);
    await expect(conn.recv(0.05)).rejects.toMatchObject({ code: "RECEIVE_TIMEOUT" });
    conn.send("hello");
    expect((await c.waitFor((p) => p.source === PacketSource.CUSTOM)).data).toBe("hello");
  });
});
