import { describe, expectTypeOf, it } from "vitest";
import type { SessionState } from "@webshocket/guards";
import { WebSocketHandler } from "../handler.js";
import type { ChannelName, ChannelPattern, ChannelPayload } from "@webshocket/protocol";

interface Headline {
  title: string;
}
type Map = { "news.*": Headline; chat: { text: string }; "user.?.inbox": number };

describe("channel types", () => {
  it("turns fnmatch keys into template literal types", () => {
    expectTypeOf<ChannelPattern<"news.*">>().toEqualTypeOf<`news.${string}`>();
    expectTypeOf<ChannelPattern<"a*b*c">>().toEqualTypeOf<`a${string}b${string}c`>();
    expectTypeOf<ChannelPattern<"chat">>().toEqualTypeOf<"chat">();
    expectTypeOf<ChannelPattern<string>>().toEqualTypeOf<string>();
    expectTypeOf<ChannelName<Map>>().toEqualTypeOf<`news.${string}` | "chat" | `user.${string}.inbox`>();
  });

  it("finds the payload of a channel, or of a pattern subscription", () => {
    expectTypeOf<ChannelPayload<Map, "news.tech">>().toEqualTypeOf<Headline>();
    expectTypeOf<ChannelPayload<Map, "news.*">>().toEqualTypeOf<Headline>();
    expectTypeOf<ChannelPayload<Map, "user.7.inbox">>().toEqualTypeOf<number>();
    expectTypeOf<ChannelPayload<Record<string, unknown>, "any">>().toEqualTypeOf<unknown>();
  });
});

describe("a handler's publish and broadcast", () => {
  class News extends WebSocketHandler<SessionState, Map, { notice: string }> {
    async push(): Promise<void> {
      await this.publish("news.tech", { title: "t" });
      await this.publish(["news.a", "news.b"], { title: "t" });
      await this.publish("chat", { text: "hi" });
      await this.broadcast({ notice: "n" });
      expectTypeOf((await this.history("news.tech")).publications[0]!.data).toEqualTypeOf<Headline>();
      // @ts-expect-error: no such channel
      await this.history("sports");
      // @ts-expect-error: a chat message on a news channel
      await this.publish("news.tech", { text: "hi" });
      // @ts-expect-error: no such channel
      await this.publish("sports", { title: "t" });
      // @ts-expect-error: wrong broadcast payload
      await this.broadcast("hello");
    }
  }
  class Untyped extends WebSocketHandler {
    async push(name: string): Promise<void> {
      await this.publish(name, 1);
      await this.publish([name, "x"], { any: "thing" });
      await this.broadcast(null);
    }
  }
  it("checks payloads against the channel map", () => {
    void News;
    void Untyped;
  });
});

describe("publish with a channel or a list in one variable", () => {
  it("accepts string | Iterable<string> on an untyped handler", () => {
    class Any extends WebSocketHandler {
      go(target: string | string[]): Promise<void> {
        return this.publish(target, 1);
      }
    }
    void Any;
  });
});
