import { ClientType } from "@webshocket/protocol";

/**
 * uWebSockets.js topic names. A publish is encoded once per client type and
 * published natively to that type's topic, so each subscriber gets bytes in its
 * own format. The prefixes keep user channel names apart from internal topics.
 */
export function channelTopic(type: ClientType, channel: string): string {
  return (type === ClientType.FRAMEWORK ? "\u0001m:" : "\u0001j:") + channel;
}

/** The topic every connection of a type joins for broadcasts (from the first broadcast on: see Fanout.broadcastLive). */
export function broadcastTopic(type: ClientType): string {
  return type === ClientType.FRAMEWORK ? "\u0002m" : "\u0002j";
}
