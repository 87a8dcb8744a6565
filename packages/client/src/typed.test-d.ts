import { describe, expectTypeOf, it } from "vitest";
import { MathHandler } from "../test/helpers/handlerShape.js";
import type { WebSocketClient } from "./index.js";
import type { RemoteApi, RemoteMethod } from "./typed.js";

declare const client: WebSocketClient;
const api = client.typed<MathHandler>();

describe("client.typed<T>()", () => {
  it("drops the connection parameter and promises the awaited result", () => {
    expectTypeOf(api.add).toEqualTypeOf<(a: number, b: number) => Promise<number>>();
    expectTypeOf(api.add(10, 20)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(api.ping()).toEqualTypeOf<Promise<"pong">>();
    expectTypeOf(api.join("room")).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(api.say("room", "hi")).toEqualTypeOf<Promise<void>>();
    expectTypeOf(api.profile("u1")).resolves.toEqualTypeOf<{ id: string; tags: string[] }>();
  });

  it("turns async generators into async iterables of their yielded values", () => {
    expectTypeOf(api.count_to(3)).toEqualTypeOf<AsyncIterable<number>>();
    expectTypeOf(api.count_to).parameters.toEqualTypeOf<[n: number, _delayMs?: number]>();
  });

  it("leaves out the handler base class, non-public and static members", () => {
    expectTypeOf<keyof RemoteApi<MathHandler>>().toEqualTypeOf<"add" | "mul" | "count_to" | "join" | "say" | "ping" | "profile">();
  });

  it("refuses wrong names and argument types", async () => {
    // @ts-expect-error: no such method
    void api.subtract(1, 2);
    // @ts-expect-error: wrong argument type
    void api.add("10", 20);
    // @ts-expect-error: missing argument
    void api.add(10);
    // @ts-expect-error: too many arguments
    void api.ping(1);
    // @ts-expect-error: base-class member, not an RPC method
    void api.publish("room", 1);
    // @ts-expect-error: base-class member
    void api.onConnect;
    // @ts-expect-error: protected member
    void api.helper();
    // @ts-expect-error: a stream is not awaitable as a value
    const n: number = await api.count_to(3);
    void n;
    // @ts-expect-error: the result of add is a number
    const s: string = await api.add(1, 2);
    void s;
  });

  it("checks aliases against method names", () => {
    client.typed<MathHandler>({ aliases: { mul: "multiply" }, timeout: "5s" });
    // @ts-expect-error: unknown method in aliases
    client.typed<MathHandler>({ aliases: { divide: "div" } });
  });

  it("maps one method type", () => {
    type M = RemoteMethod<(conn: unknown, a: string, b?: number) => Promise<Date[]>>;
    expectTypeOf<M>().toEqualTypeOf<(a: string, b?: number) => Promise<Date[]>>();
    type G = RemoteMethod<(conn: unknown) => AsyncGenerator<string, void, unknown>>;
    expectTypeOf<G>().toEqualTypeOf<() => AsyncIterable<string>>();
  });
});

describe("client API types", () => {
  it("types results of sendRpc/call/streamRpc", async () => {
    const res = await client.sendRpc<number>("add", 1, 2);
    expectTypeOf(res.data).toEqualTypeOf<number>();
    expectTypeOf(res.rpc.response).toEqualTypeOf<number>();
    for await (const chunk of client.streamRpc<string>("feed")) expectTypeOf(chunk.data).toEqualTypeOf<string>();
    // @ts-expect-error: args of call() are an array
    void client.call("add", 1, 2);
    // @ts-expect-error: unknown option
    void client.call("add", [1, 2], { retries: 3 });
    // @ts-expect-error: not a duration
    void client.call("add", [], { timeout: "5 seconds" });
  });

  it("is AsyncDisposable and types its events", () => {
    expectTypeOf(client).toMatchTypeOf<AsyncDisposable>();
    client.on("disconnect", (e) => expectTypeOf(e.willReconnect).toEqualTypeOf<boolean>());
    // @ts-expect-error: no such event
    client.on("bogus", () => {});
  });
});
