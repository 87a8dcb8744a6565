// typed<T>() over a real @webshocket/server handler class: base-class members stay out.
import { describe, expectTypeOf, it } from "vitest";
import type { WebSocketClient } from "../src/index.js";
import type { RemoteApi } from "../src/typed.js";
import type { TestHandler } from "./helpers/testHandler.js";

declare const client: WebSocketClient;

describe("typed<TestHandler>()", () => {
  it("exposes exactly the handler's own public methods", () => {
    expectTypeOf<keyof RemoteApi<TestHandler>>().toEqualTypeOf<
      | "add"
      | "mul"
      | "greet"
      | "count_to"
      | "tally"
      | "ticker"
      | "failing_stream"
      | "never"
      | "hang_up"
      | "join"
      | "say"
      | "shout"
      | "limited"
      | "limited_stream"
    >();
  });

  it("infers parameters and results", () => {
    const api = client.typed<TestHandler>();
    expectTypeOf(api.add).toEqualTypeOf<(a: number, b: number) => Promise<number>>();
    expectTypeOf(api.greet).parameters.toEqualTypeOf<[name: string, punctuation?: string]>();
    expectTypeOf(api.greet("x")).toEqualTypeOf<Promise<string>>();
    expectTypeOf(api.count_to(3)).toEqualTypeOf<AsyncIterable<number>>();
    expectTypeOf(api.join("r")).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(api.never()).toEqualTypeOf<Promise<never>>();
    // @ts-expect-error: wrong argument type
    void api.add(1, "2");
    // @ts-expect-error: base-class member
    void api.broadcast("x");
  });
});
