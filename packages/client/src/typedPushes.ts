import { PacketSource, type ChannelName, type ChannelPayload, type Packet } from "@webshocket/protocol";
import type { SubscribeOptions, Subscription } from "./subscriptions.js";

/** The push payload types a server handler declares (`WebSocketHandler<State, Channels, Broadcast>`), read structurally. */
type Pushes<H> = H extends { readonly "~pushes"?: infer P }
  ? NonNullable<P> extends { readonly channels: infer M; readonly broadcast: infer B }
    ? { channels: M; broadcast: B }
    : { channels: Record<string, unknown>; broadcast: unknown }
  : { channels: Record<string, unknown>; broadcast: unknown };

/** The channel map of handler H: `{ "news.*": Headline; chat: ChatMessage }`. */
export type ChannelsOf<H> = Pushes<H>["channels"];
/** What handler H broadcasts. */
export type BroadcastOf<H> = Pushes<H>["broadcast"];

/** The push listeners of `client.typed<H>()`, typed by the handler's channel map. */
export interface TypedPushes<H> {
  /**
   * Calls `listener` with each message published to `channel` (an exact name; `news.tech` for a handler
   * declaring `"news.*": Headline` gets Headlines). Returns a function that removes it.
   */
  $on<C extends ChannelName<ChannelsOf<H>>>(channel: C, listener: ChannelListenerOf<H, C>): () => void;
  /** Calls `listener` with each broadcast. Returns a function that removes it. */
  $onBroadcast(listener: (data: BroadcastOf<H>, packet: Packet) => void): () => void;
  /** `client.subscribe(channel, onMessage, options)` with `onMessage` typed by the channel map (patterns too). */
  $subscribe<C extends ChannelName<ChannelsOf<H>>>(channel: C, onMessage: ChannelListenerOf<H, C>, options?: SubscribeOptions): Promise<Subscription>;
}

/** Builds the push listeners over the client's `message` event and `subscribe`. */
export function typedPushes(
  onMessage: (listener: (packet: Packet) => void) => () => void,
  subscribe: TypedPushes<unknown>["$subscribe"],
): TypedPushes<unknown> {
  return {
    $subscribe: subscribe,
    $on: (channel: string, listener: (data: never, packet: Packet) => void) =>
      onMessage((p) => p.source === PacketSource.CHANNEL && p.channel === channel && listener(p.data as never, p)),
    $onBroadcast: (listener: (data: unknown, packet: Packet) => void) =>
      onMessage((p) => p.source === PacketSource.BROADCAST && listener(p.data, p)),
  };
}

/**
 * A listener for channel (or pattern) C of handler H: what `client.subscribe(C, listener)` and `$on(C, listener)`
 * hand over. `news.*` (a pattern subscription) and `news.tech` both get a declared `"news.*"`'s type.
 */
export type ChannelListenerOf<H, C extends string> = (data: ChannelPayload<ChannelsOf<H>, C>, packet: Packet) => void;
