// typed<H>() over a handler with rpc() fields: exactly the RPC methods, under their wire names.
import { describe, expectTypeOf, it } from "vitest";
import type { WebSocketClient } from "../src/index.js";
import type { RemoteApi } from "../src/typed.js";
import type { ChannelListenerOf } from "../src/typedPushes.js";
import type { ChatMessage, FieldHandler, Headline } from "./helpers/typedHandler.js";

declare const client: WebSocketClient;
const api = client.typed<FieldHandler>();

describe("typed<H>() with rpc() fields", () => {
  it("exposes the rpc() fields under their wire names, nothing else", () => {
    expectTypeOf<keyof RemoteApi<FieldHandler>>().toEqualTypeOf<"add" | "multiply" | "repeat" | "opt" | "countTo" | "whoami" | "news" | "post">();
  });

  it("types parameters and results, from schemas too", () => {
    expectTypeOf(api.add).toEqualTypeOf<(a: number, b: number) => Promise<number>>();
    expectTypeOf(api.multiply(2, 3)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(api.repeat).parameters.toEqualTypeOf<[string, (number | undefined)?]>();
    expectTypeOf(api.repeat("a")).toEqualTypeOf<Promise<string>>();
    expectTypeOf(api.opt(1)).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(api.countTo(3)).toEqualTypeOf<AsyncIterable<number>>();
    expectTypeOf(api.whoami()).toEqualTypeOf<Promise<string>>();
  });

  it("refuses what the server would not accept", () => {
    // @ts-expect-error: the real name of an aliased method is hidden
    void api.mul(2, 3);
    // @ts-expect-error: a public method that is not an RPC method
    void api.helper();
    // @ts-expect-error: a base-class member
    void api.publish("x", 1);
    // @ts-expect-error: wrong argument type, from the params schema
    void api.repeat(1);
    // @ts-expect-error: too many arguments
    void api.add(1, 2, 3);
    // @ts-expect-error: aliases are carried by the types; no map is accepted
    client.typed<FieldHandler>({ aliases: { add: "plus" } });
  });
});

describe("typed pushes", () => {
  it("types channel payloads by the handler's channel map, patterns included", () => {
    api.$on("news.tech", (data) => expectTypeOf(data).toEqualTypeOf<Headline>());
    api.$on("chat", (data) => expectTypeOf(data).toEqualTypeOf<ChatMessage>());
    api.$onBroadcast((data) => expectTypeOf(data).toEqualTypeOf<{ notice: string }>());
    void api.$subscribe("news.*", (data) => expectTypeOf(data).toEqualTypeOf<Headline>());
    // @ts-expect-error: not a channel of this handler
    void api.$subscribe("sports", () => {});
    // @ts-expect-error: not a channel of this handler
    api.$on("sports", () => {});
    // @ts-expect-error: a chat listener does not get Headlines
    api.$on("chat", (data: Headline) => data);
  });

  it("leaves untyped handlers untyped", () => {
    client.typed<{ ping(conn: unknown): string }>().$on("anything", (data) => expectTypeOf(data).toEqualTypeOf<unknown>());
  });
});

describe("ChannelListenerOf (for client.subscribe)", () => {
  it("gives a pattern subscription the declared pattern's type", () => {
    expectTypeOf<Parameters<ChannelListenerOf<FieldHandler, "news.*">>[0]>().toEqualTypeOf<Headline>();
    expectTypeOf<Parameters<ChannelListenerOf<FieldHandler, "chat">>[0]>().toEqualTypeOf<ChatMessage>();
  });
});
