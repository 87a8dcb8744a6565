import type { Packet } from "@webshocket/protocol";
import { expectTypeOf, test } from "vitest";
import type { BaseClient } from "./client.js";
import type { Subscription } from "./subscriptions.js";

declare const client: BaseClient;

test("subscribe types its callback's data and its initial value, unknown by default", async () => {
  const sub = await client.subscribe<{ headline: string }, number>("news.*", (data, packet) => {
    expectTypeOf(data).toEqualTypeOf<{ headline: string }>();
    expectTypeOf(packet).toEqualTypeOf<Packet>();
  });
  expectTypeOf(sub).toEqualTypeOf<Subscription<number>>();
  expectTypeOf(sub.initial).toEqualTypeOf<number>();
  expectTypeOf(sub.unsubscribe).toEqualTypeOf<() => void>();
  const plain = await client.subscribe("chat", (data) => expectTypeOf(data).toEqualTypeOf<unknown>(), { signal: AbortSignal.timeout(1000) });
  expectTypeOf(plain.initial).toEqualTypeOf<unknown>();
  // @ts-expect-error the channel is a string
  void client.subscribe(1, () => {});
});
