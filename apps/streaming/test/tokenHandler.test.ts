// The token generator at the protocol level: a raw `$cancel` stops it and its finally block runs.
import { ClientType, PacketSource } from "@webshocket/protocol";
import { RawClient } from "@webshocket/test-utils";
import { silentLogger, WebSocketServer } from "@webshocket/server";
import { describe, expect, it, vi } from "vitest";
import { CANNED_REPLY, mockReply, tokenize } from "../src/mockTokens.js";
import { TokenHandler } from "../src/tokenHandler.js";

async function start(log: string[]): Promise<WebSocketServer> {
  return new WebSocketServer({ port: 0, handler: new TokenHandler((line) => log.push(line)), logger: silentLogger }).start();
}

describe("TokenHandler", () => {
  it("tokenizes losslessly", () => {
    expect(tokenize(CANNED_REPLY).join("")).toBe(CANNED_REPLY);
    expect(mockReply("  hi   there ")[0]).toBe("You ");
    expect(mockReply("").join("")).toBe(CANNED_REPLY);
  });

  it("streams every token, then reports completion", async () => {
    const log: string[] = [];
    await using server = await start(log);
    await using c = await RawClient.connect(server.url, ClientType.GENERIC);
    const chunks = await c.collect(c.request("generate", ["x"], { delay_ms: 0 }));
    expect(chunks.slice(0, -1).map((r) => r.response).join("")).toBe(mockReply("x").join(""));
    expect(chunks.at(-1)?.is_end).toBe(true);
    const ended = await c.waitFor((p) => p.source === PacketSource.CUSTOM);
    expect(ended.data).toMatchObject({ kind: "generation-ended", cancelled: false, tokens: mockReply("x").length });
    expect((await c.call("stats")).response).toEqual({ started: 1, completed: 1, cancelled: 0, running: 0 });
    expect(log).toEqual([]);
  });

  it("runs the generator's finally on $cancel and on disconnect", async () => {
    const log: string[] = [];
    await using server = await start(log);
    await using c = await RawClient.connect(server.url);
    const id = c.request("generate", ["x"], { delay_ms: 20 });
    await c.waitFor((p) => p.rpc?.type === "response" && p.rpc.call_id === id);
    expect((await c.call("$cancel", [id])).response).toBe(true);
    const ended = await c.waitFor((p) => p.source === PacketSource.CUSTOM);
    expect(ended.data).toMatchObject({ kind: "generation-ended", cancelled: true });
    expect(log[0]).toMatch(/^generation cancelled after \d+ of \d+ tokens \(finally ran\)$/);

    const d = await RawClient.connect(server.url);
    const other = d.request("generate", ["y"], { delay_ms: 20 });
    await d.waitFor((p) => p.rpc?.type === "response" && p.rpc.call_id === other);
    d.ws.close();
    await vi.waitFor(async () => expect((await c.call("stats")).response).toEqual({ started: 2, completed: 0, cancelled: 2, running: 0 }));
  });
});
