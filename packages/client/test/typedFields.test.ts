// typed<H>() over rpc() fields against a real server: every call that type-checks works.
import { RPCErrorCode, RPCMethodNotFoundError } from "@webshocket/protocol";
import { describe, expect, it } from "vitest";
import { WebSocketClient } from "../src/index.js";
import { startFieldServer, type FieldHandler } from "./helpers/typedHandler.js";

async function setup() {
  const { server } = await startFieldServer();
  const client = await new WebSocketClient(server.url).connect();
  return {
    client,
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
    },
  };
}

describe("typed<H>() with rpc() fields (real server)", () => {
  it("calls fields by name and alias, with optional parameters, schemas and streams", async () => {
    await using ctx = await setup();
    const api = ctx.client.typed<FieldHandler>();
    expect(await api.add(2, 3)).toBe(5);
    expect(await api.multiply(2, 3)).toBe(6);
    expect(await api.repeat("ab")).toBe("abab");
    expect(await api.repeat("ab", 3)).toBe("ababab");
    expect(await api.opt(1)).toEqual([1]);
    expect(await api.opt(1, 2)).toEqual([1, 2]);
    expect(await api.whoami()).toBe("nobody");
    const seen: number[] = [];
    for await (const n of api.countTo(3)) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("hands typed listeners the pushes of their channel", async () => {
    await using ctx = await setup();
    const api = ctx.client.typed<FieldHandler>();
    const got: string[] = [];
    const broadcast = new Promise<string>((resolve) => api.$onBroadcast((data) => resolve(data.notice)));
    const offNews = api.$on("news.tech", (data, packet) => got.push(`${packet.channel}: ${data.title}`));
    api.$on("chat", (data) => got.push(`${data.from}> ${data.text}`));
    await api.news();
    expect(await broadcast).toBe("all");
    expect(got).toEqual(["news.tech: typed", "bot> hi"]);
    offNews();
    // The broadcast comes last in each round: once it is here, the round's channel pushes have been handled.
    const second = new Promise<string>((resolve) => api.$onBroadcast((data) => resolve(data.notice)));
    await api.news();
    await second;
    expect(got).toEqual(["news.tech: typed", "bot> hi", "bot> hi"]);
  });

  it("subscribes from the client with a typed callback ($subscribe)", async () => {
    await using ctx = await setup();
    const api = ctx.client.typed<FieldHandler>();
    let resolve!: (title: string) => void;
    const got = new Promise<string>((r) => (resolve = r));
    const sub = await api.$subscribe("news.*", (headline, packet) => resolve(`${packet.channel}: ${headline.title}`));
    await api.post("subscribed");
    expect(await got).toBe("news.tech: subscribed");
    sub.unsubscribe();
  });

  it("hides the aliased name and non-RPC methods on the server too; decorated methods stay callable", async () => {
    await using ctx = await setup();
    for (const name of ["mul", "helper"]) {
      await expect(ctx.client.typed<Record<string, (conn: unknown) => unknown>>()[name]!()).rejects.toBeInstanceOf(RPCMethodNotFoundError);
    }
    expect((await ctx.client.call("legacy")).data).toBe("legacy");
    const refused = await ctx.client.call("repeat", ["ab", 0]);
    expect(refused.rpc.error).toBe(RPCErrorCode.INVALID_PARAMS);
  });
});
