import { ClientType } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { HandshakeRejection, type HandshakeRequest } from "../src/index.js";
import { startServer } from "./startServer.js";
import { TestHandler } from "./testHandler.js";

describe("handshake security", () => {
  it("blocks cross-site WebSocket hijacking with allowedOrigins", async () => {
    await using server = await startServer({ handler: new TestHandler(), allowedOrigins: ["https://app.example"] });
    await expect(RawClient.connect(server.url, ClientType.GENERIC, { origin: "https://evil.example" })).rejects.toThrow(/403/);
    await using good = await RawClient.connect(server.url, ClientType.GENERIC, { origin: "https://app.example" });
    expect((await good.call("add", [1, 2])).response).toBe(3);
    await using noOrigin = await RawClient.connect(server.url);
    expect((await noOrigin.call("add", [2, 2])).response).toBe(4);
  });

  it("accepts an origin function", async () => {
    await using server = await startServer({ handler: new TestHandler(), allowedOrigins: (o) => o.endsWith(".trusted.example") });
    await expect(RawClient.connect(server.url, ClientType.GENERIC, { origin: "https://x.other.example" })).rejects.toThrow(/403/);
    await using ok = await RawClient.connect(server.url, ClientType.GENERIC, { origin: "https://a.trusted.example" });
    expect((await ok.call("add", [1, 1])).response).toBe(2);
  });

  it("authenticate sees headers, query and address, and seeds session state", async () => {
    const seen: HandshakeRequest[] = [];
    await using server = await startServer({
      handler: new TestHandler(),
      authenticate: async (req) => {
        seen.push(req);
        await Promise.resolve();
        const token = req.query.get("token") ?? req.headers.authorization?.replace(/^Bearer /, "");
        if (token === "forbidden") throw new HandshakeRejection(403, "banned");
        if (token === "explode") throw new Error("database down");
        return token === "s3cret" ? { username: "ada" } : false;
      },
    });
    await using byQuery = await RawClient.connect(`${server.url}/ws?token=s3cret`);
    expect((await byQuery.call("whoami")).response).toBe("ada");
    await using byHeader = await RawClient.connect(server.url, ClientType.GENERIC, { headers: { authorization: "Bearer s3cret" } });
    expect((await byHeader.call("whoami")).response).toBe("ada");
    expect(seen[0]).toMatchObject({ url: "/ws", remoteAddress: "127.0.0.1" });
    await expect(RawClient.connect(`${server.url}/?token=wrong`)).rejects.toThrow(/401/);
    await expect(RawClient.connect(server.url)).rejects.toThrow(/401/);
    await expect(RawClient.connect(`${server.url}/?token=forbidden`)).rejects.toThrow(/403/);
    await expect(RawClient.connect(`${server.url}/?token=explode`)).rejects.toThrow(/500/);
  });

  it("survives clients that leave while authenticate is still running", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    await using server = await startServer({
      handler: new TestHandler(),
      authenticate: async () => {
        calls++;
        await gate;
        return true;
      },
    });
    const ws = new WebSocket(server.url);
    ws.on("error", () => {});
    await vi.waitFor(() => expect(calls).toBe(1));
    ws.terminate();
    release();
    await using later = await RawClient.connect(server.url);
    expect((await later.call("add", [3, 4])).response).toBe(7);
  });
});
